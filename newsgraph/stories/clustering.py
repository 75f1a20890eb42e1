"""Online story clustering: each new article joins the stories of the
articles it matches (merging them if there are several) or starts one.

Candidates come from indexes, never from a scan, so the cost of one article
does not grow with the store:

* an inverted index (the `postings` table) from each article's most salient
  keys - linked entity ids (language independent, so a Ukrainian and a
  Russian report of one event meet) and lemmas (within one language) - to
  the articles that have them, read only within +-`window_days` of the
  article's time (plus articles of unknown time), at most `per_key`
  articles per key;
* MinHash LSH buckets for near-duplicates (reprints), which are flagged
  with the article they reprint and join its story.

The best candidates by the partial dot product from the postings are then
scored exactly (`similarity`): a weighted mean of the entity cosine, the
lemma cosine (same language only) and topic overlap, over the signals both
articles have, damped linearly with the time between them. Every candidate
at or above the threshold links the article to its story; linked stories
merge. The stories are thus the connected components of the graph of
"score >= threshold" pairs, which does not depend on the order articles
arrive in (up to the per-key candidate limits).

Time: a dated article's time is its publication time. An undated article's
time is unknown (`cluster_ts` NULL): it is compared with articles of any
time at the stricter `undated_threshold`, never bridges stories far apart
in time, and takes the time of the dated article it matches.

Weights are tf-idf with the document frequencies as they stood when the
article was indexed, L2-normalised per kind of key and frozen in the
`vectors` table, so that an article is scored the same way whenever it is
met. `recluster` reruns only the assignment, over the stored vectors, dated
articles in (published, id) order, then the undated.
"""

from __future__ import annotations

import json
import math
import struct
from collections import OrderedDict
from dataclasses import dataclass, field
from itertools import islice

import numpy as np

from newsgraph.model import content_id
from newsgraph.store.base import ArticleRow, Store, StoryRow
from newsgraph.stories import minhash
from newsgraph.stories.features import Features

DAY = 86400.0
VECTOR_CACHE = 20_000  # decoded candidate vectors kept in memory


@dataclass(frozen=True)
class Params:
    window_days: float = 3.0
    threshold: float = 0.3  # both articles dated (tuned on bsnlp-raw, see docs/schema.md)
    undated_threshold: float = 0.45  # either article has no publication time: time says nothing
    entity_support: int = 4  # shared entities needed for the entity cosine to count in full
    duplicate_threshold: float = minhash.DUPLICATE_THRESHOLD
    entity_weight: float = 0.6
    lemma_weight: float = 0.4
    topic_weight: float = 0.1
    edge_factor: float = 0.6  # score multiplier at the edge of the time window
    vector_entities: int = 40  # keys kept in the stored vectors
    vector_lemmas: int = 100
    posting_entities: int = 15  # keys an article is findable under
    posting_lemmas: int = 25
    query_entities: int = 10  # keys a new article looks its candidates up by
    query_lemmas: int = 15
    per_key: int = 40  # articles read per key
    candidates: int = 25  # candidates scored exactly
    duplicate_candidates: int = 10  # near-duplicate candidates compared (those sharing the most LSH buckets)
    duplicate_step: int = 3  # ... this many at a time, until one is a reprint
    story_entities: int = 5  # main entities shown on a story


@dataclass
class Assignment:
    story_id: str
    new_story: bool
    score: float = 0.0
    matched: str | None = None  # the article it was matched to
    duplicate_of: str | None = None
    merged: list[str] = field(default_factory=list)  # stories merged into this one
    estimated: list[int] = field(default_factory=list)  # undated articles that took this article's time


@dataclass
class Vector:
    """An article's weighted keys: term id -> weight, heaviest first,
    L2-normalised per kind (entities, lemmas)."""

    language: str
    entities: dict[int, float] = field(default_factory=dict)
    lemmas: dict[int, float] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)

    def to_bytes(self) -> bytes:
        header = json.dumps([self.language, self.topics], ensure_ascii=False).encode("utf-8")
        parts = [struct.pack("<H", len(header)), header]
        for weights in (self.entities, self.lemmas):
            parts.append(struct.pack("<I", len(weights)))
            parts.append(np.fromiter(weights.keys(), dtype="<i4", count=len(weights)).tobytes())
            parts.append(np.fromiter(weights.values(), dtype="<f4", count=len(weights)).tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Vector:
        (size,) = struct.unpack_from("<H", data, 0)
        language, topics = json.loads(data[2 : 2 + size].decode("utf-8"))
        offset = 2 + size
        maps = []
        for _ in range(2):
            (n,) = struct.unpack_from("<I", data, offset)
            offset += 4
            tids = np.frombuffer(data, dtype="<i4", count=n, offset=offset).tolist()
            offset += 4 * n
            weights = np.frombuffer(data, dtype="<f4", count=n, offset=offset).tolist()
            offset += 4 * n
            maps.append(dict(zip(tids, weights)))
        return cls(language, maps[0], maps[1], topics)


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    return sum(a[t] * b[t] for t in a.keys() & b.keys())


def similarity(a: Vector, b: Vector, seconds_apart: float | None, params: Params) -> float:
    """How likely two articles report the same story, 0..1. `seconds_apart`
    is None when either time is unknown: no window, no damping."""
    parts: list[tuple[float, float]] = []
    if a.entities and b.entities:
        # One or two shared entities (a country, a president) are weak
        # evidence however rare they are: damp until `entity_support` are shared.
        shared = a.entities.keys() & b.entities.keys()
        support = min(1.0, len(shared) / params.entity_support)
        parts.append((params.entity_weight, sum(a.entities[t] * b.entities[t] for t in shared) * support))
    if a.language == b.language and a.lemmas and b.lemmas:
        parts.append((params.lemma_weight, _dot(a.lemmas, b.lemmas)))
    if a.topics and b.topics:
        shared = len(set(a.topics) & set(b.topics))
        parts.append((params.topic_weight, shared / len(set(a.topics) | set(b.topics))))
    if not parts or (seconds_apart is not None and abs(seconds_apart) > params.window_days * DAY):
        return 0.0
    base = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    if seconds_apart is None:
        return base
    distance = min(abs(seconds_apart) / (params.window_days * DAY), 1.0)
    return base * (1.0 - (1.0 - params.edge_factor) * distance)


def _top(weights: dict[int, float], limit: int) -> dict[int, float]:
    """The `limit` heaviest keys, L2-normalised, heaviest first."""
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {tid: w / norm for tid, w in top}


def _head(weights: dict[int, float], n: int) -> list[tuple[int, float]]:
    return list(islice(weights.items(), n))


class Clusterer:
    def __init__(self, store: Store, params: Params = Params(), causal: bool = False):
        self.store = store
        self.params = params
        self.causal = causal  # True when articles come in time order (recluster)
        # Decoded vectors of recent candidates, by article id (a vector never
        # changes once written; ids, unlike rids, are never reused).
        self._vectors: OrderedDict[str, Vector] = OrderedDict()

    def _candidate_vectors(self, rows: list[ArticleRow]) -> dict[str, Vector]:
        found = {r.id: self._vectors[r.id] for r in rows if r.id in self._vectors}
        missing = [r for r in rows if r.id not in found]
        if missing:
            stored = self.store.vectors([r.rid for r in missing])
            for r in missing:
                if r.rid in stored:
                    found[r.id] = self._vectors[r.id] = Vector.from_bytes(stored[r.rid][0])
        for article_id in found:
            self._vectors.move_to_end(article_id)
        while len(self._vectors) > VECTOR_CACHE:
            self._vectors.popitem(last=False)
        return found

    # -- indexing (once per article, at ingest) --------------------------
    def index(self, row: ArticleRow, features: Features) -> None:
        """Weigh an article's keys, store its vector and make it findable."""
        n_docs = self.store.doc_count(bump=1)
        entity_keys = {f"e:{eid}": count for eid, count in features.entities.items()}
        lemma_keys = {f"l:{key}": count for key, count in features.lemmas.items()}
        terms = self.store.term_ids([*entity_keys, *lemma_keys], bump=True)

        def weigh(counts: dict[str, float]) -> dict[int, float]:
            return {
                terms[key][0]: math.log1p(count) * math.log1p(n_docs / terms[key][1])
                for key, count in counts.items()
            }

        vector = Vector(
            language=features.language,
            entities=_top(weigh(entity_keys), self.params.vector_entities),
            lemmas=_top(weigh(lemma_keys), self.params.vector_lemmas),
            topics=list(features.topics),
        )
        self.store.save_vector(row.rid, vector.to_bytes(), features.signature)
        self._post(row, vector, features.signature)

    def reindex(self, row: ArticleRow) -> None:
        """Make a stored article findable again (an old version that is latest again)."""
        data, signature = self.store.vectors([row.rid])[row.rid]
        self._post(row, Vector.from_bytes(data), signature)

    def _post(self, row: ArticleRow, vector: Vector, signature: bytes | None) -> None:
        p = self.params
        postings = _head(vector.entities, p.posting_entities) + _head(vector.lemmas, p.posting_lemmas)
        self.store.add_postings(row.rid, row.cluster_ts, postings)
        if signature is not None:
            self.store.add_buckets(row.rid, minhash.bands(signature))

    # -- assignment (at ingest, and again at recluster) -------------------
    def assign(self, row: ArticleRow) -> Assignment:
        """Put an indexed article into a story: the story of every article it
        matches (merging them if there are several), else a new one. An
        article of unknown time follows only links that keep its story
        compact in time (`_compatible`) and takes the time of the dated
        article it matches best; a dated article gives its time to the
        undated articles it matches."""
        stored = self.store.vectors([row.rid]).get(row.rid)
        if stored is None:
            raise ValueError(f"article {row.id} has no stored vector; index it first")
        data, signature = stored
        vector = Vector.from_bytes(data)
        known = row.cluster_ts is not None
        duplicate = self._duplicate_of(row, signature)
        linked = self._matches(row, vector)
        # A reprint is flagged whenever it appears, but joins its original's
        # story only within the time window: stories are local in time.
        if duplicate is not None and (
            not known or duplicate.cluster_ts is None
            or abs(row.cluster_ts - duplicate.cluster_ts) <= self.params.window_days * DAY
        ):
            linked = [(1.0, duplicate), *[(s, c) for s, c in linked if c.rid != duplicate.rid]]
        if not known:
            linked = self._compatible(linked)
        assignment = Assignment(content_id("story", row.id), True)
        if linked:
            story_ids = list(dict.fromkeys(cand.story_id for _, cand in linked))
            target = self._merge(story_ids)
            score, best = linked[0]
            assignment = Assignment(target, False, score, best.id, merged=[s for s in story_ids if s != target])
        if duplicate is not None:
            assignment.duplicate_of = duplicate.duplicate_of or duplicate.id
        self._estimate_times(row, [cand for _, cand in linked], assignment)
        self._join(row, assignment)
        return assignment

    def _compatible(self, linked: list[tuple[float, ArticleRow]]) -> list[tuple[float, ArticleRow]]:
        """The links an article of unknown time may follow: its best one, and
        others only to stories close in time to those already taken, so that
        it never bridges two dated stories months apart."""
        span = self.params.window_days * DAY
        kept: list[tuple[float, ArticleRow]] = []
        lo = hi = None
        for score, cand in linked:
            story = self.store.get_story(cand.story_id)
            if story is not None and story.dated:
                if lo is not None and (story.first_ts - hi > span or lo - story.last_ts > span):
                    continue
                lo = story.first_ts if lo is None else min(lo, story.first_ts)
                hi = story.last_ts if hi is None else max(hi, story.last_ts)
            kept.append((score, cand))
        return kept

    def _estimate_times(self, row: ArticleRow, linked: list[ArticleRow], assignment: Assignment) -> None:
        """Undated articles take the time of the dated article they are linked to."""
        if row.cluster_ts is None:
            dated = [cand.cluster_ts for cand in linked if cand.cluster_ts is not None]
            if dated:
                row.cluster_ts = dated[0]
                self.store.set_cluster_ts(row.rid, row.cluster_ts)
            return
        for cand in linked:
            if cand.cluster_ts is None:
                self.store.set_cluster_ts(cand.rid, row.cluster_ts)
                assignment.estimated.append(cand.rid)

    def _usable(self, row: ArticleRow, rids: list[int]) -> list[ArticleRow]:
        """Candidates that are latest versions already in a story, other than the article itself."""
        rows = self.store.article_rows(rids)
        return [
            rows[r] for r in rids
            if r in rows and r != row.rid and rows[r].is_latest and rows[r].story_id and rows[r].origin != row.origin
        ]

    def _duplicate_of(self, row: ArticleRow, signature: bytes | None) -> ArticleRow | None:
        """The best reprint among the LSH candidates. Those sharing the most
        buckets are compared first, a few at a time, and a group holding a
        reprint ends the search: a text reprinted many times costs about
        what a text reprinted once does."""
        if signature is None:
            return None
        rids = self.store.find_buckets(minhash.bands(signature), self.params.duplicate_candidates)
        step = self.params.duplicate_step
        for start in range(0, len(rids), step):
            found = self._best_reprint(row, signature, rids[start:start + step])
            if found is not None:
                return found
        return None

    def _best_reprint(self, row: ArticleRow, signature: bytes, rids: list[int]) -> ArticleRow | None:
        candidates = self._usable(row, rids)
        if not candidates:
            return None
        stored = self.store.vectors([c.rid for c in candidates])
        best: tuple | None = None
        found = None
        for cand in candidates:
            other = stored.get(cand.rid, (None, None))[1]
            if other is None:
                continue
            score = minhash.jaccard(signature, other)
            key = (-score, _order(cand))
            if score >= self.params.duplicate_threshold and (best is None or key < best):
                best, found = key, cand
        return found

    def _matches(self, row: ArticleRow, vector: Vector) -> list[tuple[float, ArticleRow]]:
        """Candidate articles scoring at least the threshold, best first."""
        p = self.params
        query: dict[int, float] = {}
        for tid, w in _head(vector.entities, p.query_entities):
            query[tid] = w * p.entity_weight
        for tid, w in _head(vector.lemmas, p.query_lemmas):
            query[tid] = w * p.lemma_weight
        window = None
        if row.cluster_ts is not None:
            span = p.window_days * DAY
            # Reclustering goes in time order: nothing later than the article has a story yet.
            window = (row.cluster_ts - span, row.cluster_ts if self.causal else row.cluster_ts + span)
        partial: dict[int, float] = {}
        # Undated candidates: those stored before this article, as online.
        for tid, rid, weight in self.store.find_postings(query, window, p.per_key, before_rid=row.rid):
            if rid != row.rid:
                partial[rid] = partial.get(rid, 0.0) + query[tid] * weight
        ranked = sorted(partial, key=lambda r: (-partial[r], r))[: p.candidates]
        candidates = self._usable(row, ranked)
        vectors = self._candidate_vectors(candidates)
        scored = []
        for cand in candidates:
            if cand.id not in vectors:
                continue
            apart = None if row.cluster_ts is None or cand.cluster_ts is None else row.cluster_ts - cand.cluster_ts
            score = similarity(vector, vectors[cand.id], apart, p)
            # Only publication times are evidence; an estimated or unknown time is not.
            if score >= (p.threshold if row.dated and cand.dated else p.undated_threshold):
                scored.append((score, abs(apart) if apart is not None else math.inf, cand))
        scored.sort(key=lambda sc: (-sc[0], sc[1], sc[2].id))
        return [(score, cand) for score, _, cand in scored]

    # -- story bookkeeping ------------------------------------------------
    def _join(self, row: ArticleRow, assignment: Assignment) -> None:
        store = self.store
        story = None if assignment.new_story else store.get_story(assignment.story_id)
        if story is None:
            when = row.cluster_ts if row.cluster_ts is not None else row.ts
            story = StoryRow(
                id=assignment.story_id, title=row.title or "", title_article_id=row.id, first_ts=when,
                last_ts=when, n_articles=0, dated=row.cluster_ts is not None,
            )
        elif self._better_title(row, story, assignment.duplicate_of):
            story.title, story.title_article_id = row.title or "", row.id
        story.n_articles += 1
        _extend(story, row.cluster_ts, row.ts)
        story.languages = sorted({*story.languages, *([row.language] if row.language else [])})
        story.outlets = sorted({*story.outlets, *([row.outlet] if row.outlet else [])})
        store.save_story(story)
        store.bump_story_entities(story.id, store.article_entity_ids(row.rid), row.ts, +1)
        story.entities = store.top_story_entities(story.id, self.params.story_entities)
        store.save_story(story)
        store.set_story(row.rid, story.id, assignment.duplicate_of)

    def _merge(self, story_ids: list[str]) -> str:
        """Merge stories an article links into the biggest (then oldest) one;
        return its id. Members of the smaller stories are relabelled, so an
        article moves O(log n) times at most over the life of the store."""
        stories = [s for s in (self.store.get_story(sid) for sid in story_ids) if s is not None]
        stories.sort(key=lambda s: (-s.n_articles, not s.dated, s.first_ts, s.id))
        target = stories[0]
        for other in stories[1:]:
            self.store.move_story(other.id, target.id)
            target.n_articles += other.n_articles
            if other.dated and not target.dated:
                target.first_ts, target.last_ts, target.dated = other.first_ts, other.last_ts, True
            elif other.dated == target.dated:
                target.first_ts = min(target.first_ts, other.first_ts)
                target.last_ts = max(target.last_ts, other.last_ts)
            target.languages = sorted({*target.languages, *other.languages})
            target.outlets = sorted({*target.outlets, *other.outlets})
            mine = self.store.article_row(article_id=target.title_article_id)
            theirs = self.store.article_row(article_id=other.title_article_id)
            if other.title and (not target.title or (mine and theirs and _order(theirs) < _order(mine))):
                target.title, target.title_article_id = other.title, other.title_article_id
        if len(stories) > 1:
            target.entities = self.store.top_story_entities(target.id, self.params.story_entities)
            self.store.save_story(target)
        return target.id

    def _better_title(self, row: ArticleRow, story: StoryRow, duplicate_of: str | None) -> bool:
        """The story is titled by its earliest article (dated ones first) that has a title."""
        if not row.title or duplicate_of:
            return False
        current = self.store.article_row(article_id=story.title_article_id)
        return current is None or not story.title or _order(row) < _order(current)

    def remove(self, row: ArticleRow) -> None:
        """Take an article (a replaced version) out of its story."""
        store = self.store
        store.drop_index_entries(row.rid)
        if not row.story_id:
            return
        store.set_story(row.rid, None, None)
        members = [m for m in store.story_members(row.story_id) if m.rid != row.rid]
        if not members:
            store.delete_story(row.story_id)
            return
        store.bump_story_entities(row.story_id, store.article_entity_ids(row.rid), row.ts, -1)
        members.sort(key=_order)
        titled = [m for m in members if m.title and not m.duplicate_of] or members
        dated = [m.cluster_ts for m in members if m.cluster_ts is not None]
        times = dated or [m.ts for m in members]
        story = StoryRow(
            id=row.story_id, title=titled[0].title or "", title_article_id=titled[0].id,
            first_ts=min(times), last_ts=max(times), n_articles=len(members), dated=bool(dated),
            languages=sorted({m.language for m in members if m.language}),
            outlets=sorted({m.outlet for m in members if m.outlet}),
            entities=store.top_story_entities(row.story_id, self.params.story_entities),
        )
        store.save_story(story)


def _order(row: ArticleRow) -> tuple:
    """Earliest first, articles of known time before the others."""
    known = row.cluster_ts is not None
    return (not known, row.cluster_ts if known else row.ts, row.id)


def _extend(story: StoryRow, when: float | None, ingested: float) -> None:
    """Stretch a story's first/last seen over an article's time; times of
    undated articles count only while the story has no dated one."""
    if when is not None:
        if story.dated:
            story.first_ts, story.last_ts = min(story.first_ts, when), max(story.last_ts, when)
        else:
            story.first_ts = story.last_ts = when
            story.dated = True
    elif not story.dated:
        story.first_ts, story.last_ts = min(story.first_ts, ingested), max(story.last_ts, ingested)
