"""Storing and clustering at 1k, 10k and 100k articles, and search latency
on the largest store. This measures the store (writes, full-text index,
story clustering, event merging), not the NLP pipeline: the BSNLP raw
corpus goes through the pipeline once, and its processed articles are then
replicated to reach each size.

Copy k of the corpus has every date moved k spans later (a span being the
corpus's own range of dates plus a week), fresh ids and origins, the same
entities. Each copy thus adds stories of its own, at the corpus's own
density of articles per day, while the vocabulary, the entities and the
full-text index keep growing - the load a long-running store sees.
Articles without a date are in the first copy only: a copy of one would be
the same text again with no time to set it apart, which no feed produces,
and every copy would join one story that grows with the store (an earlier
version of this benchmark did that: clustering cost at 10k was then 1.95x
its cost at 1k, against 1.4x without).
"""

from __future__ import annotations

import dataclasses
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from newsgraph.model import Article, Page

WEEK = timedelta(days=7)


def process_corpus(paths: list[str], processor=None, batch: int = 200) -> tuple[list[Article], list]:
    """The corpus's pages through the pipeline (or `processor`): (articles, error records)."""
    from newsgraph.ingest import _batches
    from newsgraph.pipeline import process_pages
    from newsgraph.readers import read

    process = processor or (lambda pages: list(process_pages(pages)))
    articles, errors = [], []
    for pages in _batches(read(paths), batch):
        for item in process([p for p in pages if isinstance(p, Page)]):
            (articles if isinstance(item, Article) else errors).append(item)
        errors.extend(p for p in pages if not isinstance(p, Page))
    return articles, errors


def _shift_text(value: str | None, shift: timedelta) -> str | None:
    """An ISO date or datetime string moved by `shift`; other values as they are."""
    from newsgraph.stories.features import parse_time

    if not value or not shift:
        return value
    if len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-" and len(value.strip()) <= 10:
        try:
            return (date.fromisoformat(value[:10]) + shift).isoformat() + value[10:]
        except ValueError:
            return value
    parsed = parse_time(value)
    return (parsed + shift).isoformat() if parsed is not None else value


def date_span(articles: list[Article]) -> timedelta:
    """The corpus's range of publication dates, plus a week: the shift between copies."""
    from newsgraph.stories.features import parse_time

    times = [t for t in (parse_time(a.published) for a in articles) if t is not None]
    return (max(times) - min(times) + WEEK) if times else WEEK


def copy_article(article: Article, k: int, shift: timedelta) -> Article:
    from newsgraph.model import content_id

    if k == 0:
        return article
    meetings = [dataclasses.replace(m, date=_shift_text(m.date, shift)) for m in article.meetings]
    return dataclasses.replace(
        article,
        id=content_id(article.id, f"copy {k}"),
        origin=f"{article.origin}#copy-{k}",
        url=f"{article.url}#copy-{k}" if article.url else None,
        published=_shift_text(article.published, shift),
        meetings=meetings,
    )


def replicate(articles: list[Article], total: int) -> Iterator[tuple[int, Article]]:
    """(copy number, article) until `total` articles, copy after copy, each
    copy in publication order; undated articles in copy 0 only."""
    from newsgraph.stories.features import parse_time

    span = date_span(articles)
    ordered = sorted(articles, key=lambda a: (parse_time(a.published) or datetime.max.replace(tzinfo=UTC), a.id))
    n = 0
    dated = [a for a in ordered if parse_time(a.published) is not None]
    k = 0
    while n < total and (k == 0 or dated):
        for article in ordered if k == 0 else dated:
            if n == total:
                return
            yield k, copy_article(article, k, span * k)
            n += 1
        k += 1


def aligned_sizes(articles: list[Article], targets: list[int], window: int) -> list[int]:
    """Store sizes near `targets` that end `window` articles into a copy of
    the corpus: a window ending there holds the same articles (shifted in
    time) at every size, and what changes between them is only the size of
    the store. Windows at arbitrary sizes would compare different parts of
    the corpus, whose density of related articles differs more than the
    store does."""
    from newsgraph.stories.features import parse_time

    n_dated = sum(parse_time(a.published) is not None for a in articles)
    if not n_dated or window > n_dated:
        return targets
    starts = [0] + [len(articles) + k * n_dated for k in range(max(targets) // n_dated + 2)]
    return [min(starts, key=lambda start: abs(start + window - target)) + window for target in targets]


@contextmanager
def clustering_clock() -> Iterator[list[float]]:
    """Seconds spent in story clustering (Clusterer.index and .assign) while
    the block runs: [wall, CPU of this process]. CPU time is the cost that a
    busy machine does not blur (clustering runs in the ingest thread, SQLite
    included). The benchmark's only patch, undone on exit."""
    from newsgraph.stories.clustering import Clusterer

    spent = [0.0, 0.0]
    originals = {name: getattr(Clusterer, name) for name in ("index", "assign")}

    def timed(method):
        def run(*args, **kwargs):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                spent[0] += time.perf_counter() - started
                spent[1] += time.process_time() - cpu

        return run

    for name, method in originals.items():
        setattr(Clusterer, name, timed(method))
    try:
        yield spent
    finally:
        for name, method in originals.items():
            setattr(Clusterer, name, method)


def ingest_sizes(articles: list[Article], store, sizes: list[int], windows: tuple[int, ...] = (1000,),
                 batch: int = 200) -> list[dict]:
    """Grow one store to each size in `sizes` with `ingest_articles`; at each
    size and for each window, the cost per article of the last `window`
    articles (mean, and the median of its batches)."""
    from newsgraph.ingest import ingest_articles
    from newsgraph.stories.features import parse_time

    span = date_span(articles)
    # An undated article is taken to arrive just after the newest date of its copy.
    times = [t for t in (parse_time(a.published) for a in articles) if t is not None]
    arrival = (max(times) if times else datetime(2021, 1, 1, tzinfo=UTC)) + timedelta(days=1)
    results, batches = [], []
    stored = 0
    pending: list[Article] = []
    copy = 0
    with clustering_clock() as clustering:

        def flush() -> None:
            nonlocal stored
            before, cluster_before = time.perf_counter(), list(clustering)
            ingest_articles(pending, store, batch_size=batch, ingested_at=arrival + span * copy)
            stored += len(pending)
            batches.append((stored, len(pending), time.perf_counter() - before,
                            clustering[0] - cluster_before[0], clustering[1] - cluster_before[1]))
            pending.clear()

        edges = {edge for size in sizes for window in windows for edge in (size, size - window)}
        for k, article in replicate(articles, max(sizes)):
            if k != copy and pending:
                flush()
            copy = k
            pending.append(article)
            # batches end at each size and where each window starts, so that windows are exact
            if len(pending) == batch or stored + len(pending) in edges:
                flush()
        if pending:
            flush()
    for size, window in ((size, window) for window in windows for size in sizes):
        last = [b for b in batches if size - window < b[0] <= size]
        count = sum(b[1] for b in last)
        results.append({
            "articles": size,
            "window": count,
            "ms_per_article": round(1000 * sum(b[2] for b in last) / count, 3),
            "clustering_ms_per_article": round(1000 * sum(b[3] for b in last) / count, 3),
            "clustering_cpu_ms_per_article": round(1000 * sum(b[4] for b in last) / count, 3),
            "median_batch_ms_per_article": round(statistics.median(1000 * b[2] / b[1] for b in last), 3),
        })
    return results


def search_queries(articles: list[Article], count: int, seed: int = 13) -> list[str]:
    """Real queries: entity names as the articles write them - inflected
    forms ("Терезы Мэй"), one-word surnames, and names in another script
    (the Latin names the knowledge base gives linked entities)."""
    inflected, surnames, latin = set(), set(), set()
    for article in articles:
        for entity in article.entities:
            # knowledge-base names only: the others are transliterations of the page's own words
            if entity.wikidata and entity.name.isascii() and _name_like(entity.name):
                latin.add(entity.name)
            for mention in entity.mentions:
                if not _name_like(mention.text):
                    continue
                if mention.lemma and mention.text.lower() != mention.lemma.lower():
                    inflected.add(mention.text)
                if entity.type == "PER" and " " in mention.text:
                    surnames.add(mention.text.split()[-1])
    rng = random.Random(seed)
    pools = [sorted(inflected), sorted(surnames), sorted(latin)]
    queries = []
    for i in range(count):
        pool = pools[i % 3] or pools[0]
        queries.append(rng.choice(pool))
    return queries


def _name_like(text: str) -> bool:
    """One to three words of letters (hyphens inside): what a user types."""
    parts = text.split()
    return 1 <= len(parts) <= 3 and len(text) > 3 and all(p.replace("-", "").isalpha() for p in parts)


def search_latency(store, queries: list[str]) -> dict:
    from newsgraph.search import search

    latencies, found = [], 0
    for query in queries:
        started = time.perf_counter()
        hits = search(store, query, limit=20)
        latencies.append(1000 * (time.perf_counter() - started))
        found += bool(hits)
    latencies.sort()
    return {
        "queries": len(queries),
        "with_hits": found,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "max_ms": round(latencies[-1], 2),
    }
