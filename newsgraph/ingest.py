"""Ingest: run the pipeline over pages and keep the results in a store.

    from newsgraph.ingest import ingest, recluster
    report = ingest(["pages/"], "news.db")

Pages are read and hashed first; a page whose (origin, hash) the store has
seen is skipped before the expensive pipeline runs. The rest go through the
pipeline a batch at a time and each batch is written in one transaction:
articles (a changed page at a known origin becomes a new version; the old
one is kept but leaves search, stories and events), entities, aliases,
meetings, quotes, the full-text index, the story each article joins and the
events its meetings merge into. A run killed mid-way loses only its last,
uncommitted batch; rerunning redoes that batch, so the store ends as an
uninterrupted run would have left it. Bad pages become rows of `errors` and
never stop a batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from newsgraph.model import Article, ErrorRecord, Page
from newsgraph.store import open_store
from newsgraph.store.base import Alias, ArticleRow, Store
from newsgraph.stories.clustering import Clusterer, Params
from newsgraph.stories.features import featurise
from newsgraph.stories.merge import EventMerger
from newsgraph.stories.metrics import adjusted_rand, pairwise
from newsgraph.stories.terms import index_text, normalise, words

DEFAULT_BATCH = 200
Processor = Callable[[list[Page]], Iterable[Article | ErrorRecord]]


@dataclass
class IngestReport:
    pages: int = 0  # pages read
    skipped: int = 0  # unchanged pages, not processed again
    articles: int = 0  # articles stored
    versions: int = 0  # of those, new versions of a page seen before
    known: int = 0  # pages whose article was already stored (same content)
    duplicates: int = 0  # articles flagged as near-duplicates (reprints)
    stories_created: int = 0
    meetings: int = 0
    errors: list[ErrorRecord] = field(default_factory=list)
    batches: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReclusterReport:
    articles: int
    stories_before: int
    stories_after: int
    pairwise_f1: float  # agreement of the new clustering with the previous one
    adjusted_rand: float
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def page_sha(page: Page) -> str:
    """A hash of everything the pipeline reads from a page, except its origin."""
    payload = json.dumps(
        [page.kind, page.text, page.url, page.title, page.published, page.outlet, page.language],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _run_pipeline(pages: list[Page]) -> Iterable[Article | ErrorRecord]:
    from newsgraph.pipeline import process_pages

    return process_pages(pages)


def article_aliases(article: Article) -> list[Alias]:
    """Every name an article's entities appear under: mention forms and
    lemmas in the article's language, the display name, and (people only)
    each word of their names, so "Umerov" finds "Rustem Umerov"."""
    language = article.language or "und"
    aliases: dict[tuple[str, str, str, str], Alias] = {}

    def add(form: str | None, entity_id: str, kind: str, lang: str) -> None:
        norm = normalise(form or "")
        if not norm:
            return
        phrase = "" if kind == "token" else index_text(form, lang)
        aliases.setdefault((norm, entity_id, lang, kind), Alias(norm, entity_id, lang, form, phrase, kind))

    for entity in article.entities:
        if not entity.id:
            continue
        name_language = "en" if (entity.name or "").isascii() else language
        add(entity.name, entity.id, "name", name_language)
        add(entity.lemma, entity.id, "lemma", language)
        for mention in entity.mentions:
            add(mention.text, entity.id, "form", language)
            add(mention.lemma, entity.id, "lemma", language)
        if (entity.type or "").upper().startswith("PER"):
            forms = [entity.name, entity.lemma, *(m.text for m in entity.mentions), *(m.lemma for m in entity.mentions)]
            for form in forms:
                parts = words(form or "")
                if len(parts) > 1:
                    for word, _, _ in parts:
                        if len(word) >= 3:
                            add(word, entity.id, "token", "en" if word.isascii() else language)
    return list(aliases.values())


class Writer:
    """Writes processed articles into a store: versions, index, stories, events."""

    def __init__(self, store: Store, report: IngestReport, params: Params = Params()):
        self.store = store
        self.report = report
        self.clusterer = Clusterer(store, params)
        self.events = EventMerger(store)

    def write(self, article: Article, ingested_at: datetime) -> None:
        store = self.store
        existing = store.article_row(article_id=article.id)
        if existing is not None:
            self.report.known += 1
            if not existing.is_latest and existing.origin == article.origin:
                self._restore(existing)
            return
        previous = store.latest_at_origin(article.origin)
        if previous is not None:
            self._retire(previous)
            self.report.versions += 1
        features = featurise(article, ingested_at)
        rid = store.insert_article(
            article, features,
            version=store.max_version(article.origin) + 1,
            previous_id=previous.id if previous else None,
            ingested_at=ingested_at.isoformat(),
            aliases=article_aliases(article),
        )
        store.index_text(rid, features.fts_text)
        row = store.article_row(rid=rid)
        self.clusterer.index(row, features)
        self._place(row)
        self.report.articles += 1

    def _place(self, row: ArticleRow) -> None:
        assignment = self.clusterer.assign(row)
        self.report.stories_created += assignment.new_story
        self.report.duplicates += assignment.duplicate_of is not None
        self.report.meetings += len(self.events.add_article(self.store.article_row(rid=row.rid)))
        for rid in assignment.estimated:  # their undated meetings now have a day
            dated = self.store.article_row(rid=rid)
            self.events.remove_article(dated)
            self.events.add_article(dated)

    def _retire(self, row: ArticleRow) -> None:
        """An older version: kept, but out of search, stories and events."""
        self.store.set_latest(row.rid, False)
        self.store.unindex_text(row.rid)
        self.events.remove_article(row)
        self.clusterer.remove(row)
        if not row.dated:
            self.store.set_cluster_ts(row.rid, None)

    def _restore(self, row: ArticleRow) -> None:
        """A page changed back to an earlier version: that version is the latest again."""
        current = self.store.latest_at_origin(row.origin)
        if current is not None:
            self._retire(current)
        self.store.set_latest(row.rid, True)
        article = self.store.get_article(row.id)
        self.store.index_text(row.rid, index_text(f"{article.title or ''}\n{article.body}", article.language))
        row = self.store.article_row(rid=row.rid)
        self.clusterer.reindex(row)
        self._place(row)


def ingest(
    paths: Iterable[str | os.PathLike],
    db: str | os.PathLike | Store,
    input_format: str = "auto",
    batch_size: int = DEFAULT_BATCH,
    processor: Processor | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """Read, process and store pages from files or directories; return what happened.

    `processor` maps a list of pages to one Article or ErrorRecord each, in
    order (default: the newsgraph pipeline); `on_batch` is called after each
    committed batch (progress)."""
    from newsgraph.readers import read

    # An engine that reads on its workers (dask: the bytes stay there) reads the files itself.
    items = getattr(processor, "read", read)([os.fspath(p) for p in paths], input_format)
    return ingest_pages(items, db, batch_size=batch_size, processor=processor, on_batch=on_batch)


def ingest_pages(
    items: Iterable[Page | ErrorRecord],
    db: str | os.PathLike | Store,
    batch_size: int = DEFAULT_BATCH,
    processor: Processor | None = None,
    on_batch: Callable[[IngestReport], None] | None = None,
) -> IngestReport:
    """`ingest` for pages already read (e.g. fetched from the web by
    `newsgraph watch`); ErrorRecords among them are stored as errors.

    With an engine (`processor`), the next batch is processed while the
    current one is written: the workers would otherwise idle through every
    write (about 30% of ingest time). Writes stay in input order, one
    transaction per batch, so a killed run still resumes as before."""
    store = open_store(db)
    report = IngestReport()
    started = time.perf_counter()
    try:
        with store.writer_lock("ingest"):  # a second ingest is refused (StoreBusy)
            writer = Writer(store, report)
            batches = (_prepare(store, report, batch) for batch in _batches(items, batch_size))
            if processor is None:
                done = ((batch, _process(_run_pipeline, batch)) for batch in batches)
            else:
                done = _ahead(processor, _unique(batches))
            for batch, results in done:
                _write_batch(store, writer, report, batch, results)
                if on_batch:
                    on_batch(report)
    finally:
        report.seconds = round(time.perf_counter() - started, 3)
        if store is not db:
            store.close()
    return report


@dataclass
class _Batch:
    read_errors: list[ErrorRecord]
    fresh: list[tuple[Page, tuple[str, str]]]  # pages to process, with their (origin, sha)
    skipped: int = 0  # pages dropped as already in an earlier batch of this run


def _prepare(store: Store, report: IngestReport, batch: list) -> _Batch:
    """Split a batch into read errors and the pages not stored yet."""
    read_errors = [item for item in batch if isinstance(item, ErrorRecord)]
    pages = [item for item in batch if isinstance(item, Page)]
    report.pages += len(pages)
    keys = [(page.origin, page_sha(page)) for page in pages]
    known = store.known_sources(keys)
    fresh: list[tuple[Page, tuple[str, str]]] = []
    for page, key in zip(pages, keys):
        if key in known:
            report.skipped += 1
        else:
            known.add(key)  # the same page twice in one batch is processed once
            fresh.append((page, key))
    return _Batch(read_errors, fresh)


def _unique(batches: Iterator[_Batch]) -> Iterator[_Batch]:
    """Drop pages an earlier, not yet written batch of this run already holds:
    with processing ahead of writing, the store cannot tell yet."""
    seen: set[tuple[str, str]] = set()
    for batch in batches:
        kept = [(page, key) for page, key in batch.fresh if key not in seen]
        seen.update(key for _, key in kept)
        batch.skipped = len(batch.fresh) - len(kept)
        batch.fresh = kept
        yield batch


def _process(process: Processor, batch: _Batch) -> list[Article | ErrorRecord]:
    results = list(process([page for page, _ in batch.fresh])) if batch.fresh else []
    if len(results) != len(batch.fresh):
        raise RuntimeError(f"the processor returned {len(results)} records for {len(batch.fresh)} pages")
    return results


def _ahead(process: Processor, batches: Iterator[_Batch]) -> Iterator[tuple[_Batch, list]]:
    """Yield each batch with its results while the next one is being processed
    (in a thread: the engine's workers do the work, the thread only waits)."""
    with ThreadPoolExecutor(1, thread_name_prefix="newsgraph-ahead") as ahead:
        pending: tuple[_Batch, Future] | None = None
        for batch in batches:
            future = ahead.submit(_process, process, batch)
            if pending:
                yield pending[0], pending[1].result()
            pending = batch, future
        if pending:
            yield pending[0], pending[1].result()


def _write_batch(store: Store, writer: Writer, report: IngestReport, batch: _Batch, results: list) -> None:
    report.skipped += batch.skipped
    now = _now()
    with store.transaction():
        for error in batch.read_errors:
            store.add_error(error.origin, error.error, now.isoformat())
            report.errors.append(error)
        for (page, (origin, sha)), result in zip(batch.fresh, results):
            if isinstance(result, ErrorRecord):
                store.add_error(result.origin, result.error, now.isoformat())
                store.add_source(origin, sha, None, "error", now.isoformat())
                report.errors.append(result)
                continue
            writer.write(result, now)
            store.add_source(origin, sha, result.id, "article", now.isoformat())
    report.batches += 1


def ingest_articles(
    articles: Iterable[Article],
    db: str | os.PathLike | Store,
    batch_size: int = DEFAULT_BATCH,
    ingested_at: datetime | None = None,
) -> IngestReport:
    """Store already processed articles (no source bookkeeping): for tests,
    benchmarks and engines that run the pipeline elsewhere."""
    store = open_store(db)
    report = IngestReport()
    started = time.perf_counter()
    try:
        with store.writer_lock("ingest"):
            writer = Writer(store, report)
            for batch in _batches(articles, batch_size):
                now = ingested_at or _now()
                with store.transaction():
                    for article in batch:
                        writer.write(article, now)
                report.batches += 1
    finally:
        report.seconds = round(time.perf_counter() - started, 3)
        if store is not db:
            store.close()
    return report


def recluster(db: str | os.PathLike | Store, params: Params = Params()) -> ReclusterReport:
    """Cluster every latest article again from scratch, in (published, id)
    order, and merge events again; report agreement with the clustering
    the store had before."""
    store = open_store(db)
    started = time.perf_counter()
    try:
        before = store.story_assignment()
        with store.writer_lock("recluster"), store.transaction():
            store.clear_stories()
            store.clear_events()
            clusterer = Clusterer(store, params, causal=True)
            merger = EventMerger(store)
            for rid in store.latest_in_order():
                assignment = clusterer.assign(store.article_row(rid=rid))
                merger.add_article(store.article_row(rid=rid))
                for other in assignment.estimated:
                    merger.remove_article(store.article_row(rid=other))
                    merger.add_article(store.article_row(rid=other))
        after = store.story_assignment()
        return ReclusterReport(
            articles=len(after),
            stories_before=len({s for s in before.values() if s}),
            stories_after=len({s for s in after.values() if s}),
            pairwise_f1=round(pairwise(after, before)[2], 4),
            adjusted_rand=round(adjusted_rand(after, before), 4),
            seconds=round(time.perf_counter() - started, 3),
        )
    finally:
        if store is not db:
            store.close()
