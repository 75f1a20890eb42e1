"""The store interface. Ingest, clustering, event merging, search and export
talk to a `Store` only; each backend (SQLite now, PostgreSQL later) keeps its
SQL dialect to itself. Rows cross the interface as the small dataclasses
below or plain dicts, never as cursors.

Write methods assume the caller holds `transaction()`: ingest commits once
per batch, so an interrupted run loses at most the batch in flight, which
the next run redoes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from newsgraph.model import Article

# What `iter_rows` and the exports know about.
TABLES = ("articles", "entities", "meetings", "events", "quotes", "stories")


@dataclass
class ArticleRow:
    """What clustering and versioning need to know about a stored article."""

    rid: int
    id: str
    origin: str
    ts: float
    day: str
    date_basis: str
    language: str | None
    outlet: str | None
    title: str | None
    version: int
    is_latest: bool
    story_id: str | None
    duplicate_of: str | None
    cluster_ts: float | None = None  # the time clustering uses; None = unknown

    @property
    def dated(self) -> bool:
        return self.date_basis == "published"


@dataclass
class StoryRow:
    id: str
    title: str
    title_article_id: str
    first_ts: float
    last_ts: float
    n_articles: int
    dated: bool = False  # first/last come from articles of known time
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


@dataclass
class Alias:
    norm: str
    entity_id: str
    language: str
    form: str
    phrase: str
    kind: str


@dataclass
class MeetingRow:
    """A meeting as one article reported it, with what event merging needs
    of its article."""

    id: str
    rid: int
    article_id: str
    idx: int
    data: dict[str, Any]
    ts: float
    day: str
    language: str | None
    outlet: str | None
    url: str | None
    story_id: str | None
    event_id: str | None
    date_basis: str = "published"
    cluster_ts: float | None = None


@dataclass
class Filters:
    language: str | None = None
    outlet: str | None = None
    topic: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    entity_ids: list[str] | None = None  # articles must mention one of these


class StoreBusy(RuntimeError):
    """Another writer holds the store (see Store.writer_lock)."""


class Store(ABC):
    """A newsgraph knowledge base. Open one with `newsgraph.store.open_store`."""

    url: str

    # -- lifecycle -------------------------------------------------------
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes inside commit together or not at all."""

    def writer_lock(self, what: str = "ingest") -> AbstractContextManager[None]:
        """Held by a writer (ingest, recluster) for its whole run. A second
        writer is refused with StoreBusy rather than interleaving its batches
        with the first one's; readers are never blocked. The lock must be
        released when its process dies, however it dies. Backends override
        this; the default does not lock."""
        return nullcontext()

    @abstractmethod
    def schema_version(self) -> int: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sources and errors ---------------------------------------------
    @abstractmethod
    def known_sources(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """The (origin, raw sha) pairs already ingested."""

    @abstractmethod
    def add_source(self, origin: str, raw_sha: str, article_id: str | None, status: str, seen_at: str) -> None: ...

    @abstractmethod
    def add_error(self, origin: str, error: str, seen_at: str) -> None: ...

    @abstractmethod
    def known_origins(self, origins: Iterable[str]) -> set[str]:
        """The origins among these that have any row in `sources` (stored or failed)."""

    # -- followed feeds (newsgraph watch) ---------------------------------
    @abstractmethod
    def feed_state(self, url: str) -> dict[str, Any] | None:
        """The feed's row (etag, last_modified, status, checked_at, changed_at), None if never fetched."""

    @abstractmethod
    def save_feed_state(self, url: str, *, etag: str | None, last_modified: str | None, status: int | None,
                        checked_at: str, changed: bool) -> None:
        """Remember a fetch of a feed; `changed` (a 200 answer) also sets changed_at."""

    # -- articles --------------------------------------------------------
    @abstractmethod
    def insert_article(self, article: Article, features: Any, *, version: int, previous_id: str | None,
                       ingested_at: str, aliases: list[Alias]) -> int:
        """Store an article (as the latest version at its origin) with its
        topics, entities, mentions, aliases, meetings and quotes; return its rid."""

    @abstractmethod
    def article_row(self, *, rid: int | None = None, article_id: str | None = None) -> ArticleRow | None: ...

    @abstractmethod
    def article_rows(self, rids: Iterable[int]) -> dict[int, ArticleRow]: ...

    @abstractmethod
    def latest_at_origin(self, origin: str) -> ArticleRow | None: ...

    @abstractmethod
    def max_version(self, origin: str) -> int:
        """The highest version number stored for an origin, 0 if none."""

    @abstractmethod
    def set_latest(self, rid: int, latest: bool) -> None: ...

    @abstractmethod
    def get_article(self, article_id: str) -> Article | None:
        """The article as ingested, rebuilt from the tables."""

    @abstractmethod
    def article_entity_ids(self, rid: int) -> list[str]: ...

    @abstractmethod
    def index_text(self, rid: int, text: str) -> None:
        """Put the lemmatised text of a latest article into the full-text index."""

    @abstractmethod
    def unindex_text(self, rid: int) -> None: ...

    @abstractmethod
    def latest_in_order(self) -> Iterator[int]:
        """rids of the latest articles in the recluster order: dated ones by
        (published, id), then undated ones in the order they were stored."""

    @abstractmethod
    def set_cluster_ts(self, rid: int, ts: float | None) -> None:
        """Set the time clustering uses for an article (and re-time its postings)."""

    # -- clustering features --------------------------------------------
    @abstractmethod
    def doc_count(self, bump: int = 0) -> int:
        """Number of indexed articles (after adding `bump`)."""

    @abstractmethod
    def term_ids(self, keys: Iterable[str], bump: bool = False) -> dict[str, tuple[int, int]]:
        """key -> (term id, document frequency); with bump, create missing
        keys and count one more document for each key first."""

    @abstractmethod
    def save_vector(self, rid: int, vector: bytes, signature: bytes | None) -> None:
        """Store an article's clustering vector (opaque bytes) and MinHash signature."""

    @abstractmethod
    def vectors(self, rids: Iterable[int]) -> dict[int, tuple[bytes, bytes | None]]: ...

    @abstractmethod
    def add_postings(self, rid: int, ts: float | None, postings: list[tuple[int, float]]) -> None:
        """Index an article under term ids at a time (None: its time is unknown)."""

    @abstractmethod
    def find_postings(self, tids: Iterable[int], window: tuple[float, float] | None, limit: int,
                      before_rid: int | None = None) -> list[tuple[int, int, float]]:
        """(tid, rid, weight) of articles indexed under each term: dated ones
        within the time window (any time if None), newest first, and undated
        ones stored before `before_rid`, latest first; at most `limit` each."""

    @abstractmethod
    def add_buckets(self, rid: int, buckets: list[int]) -> None: ...

    @abstractmethod
    def find_buckets(self, buckets: Iterable[int], limit: int) -> list[int]:
        """At most `limit` articles sharing buckets with these, those sharing
        the most first, then the oldest. Each bucket is read up to its `limit`
        oldest articles, so the cost is bounded, not growing with bucket sizes."""

    @abstractmethod
    def drop_index_entries(self, rid: int) -> None:
        """Remove an article's postings and LSH buckets (it is no longer a candidate)."""

    # -- stories ---------------------------------------------------------
    @abstractmethod
    def set_story(self, rid: int, story_id: str | None, duplicate_of: str | None) -> None: ...

    @abstractmethod
    def get_story(self, story_id: str) -> StoryRow | None: ...

    @abstractmethod
    def save_story(self, story: StoryRow) -> None:
        """Insert or replace a story row."""

    @abstractmethod
    def delete_story(self, story_id: str) -> None: ...

    @abstractmethod
    def move_story(self, source: str, target: str) -> None:
        """Merge story `source` into `target`: members and entity counts move,
        `source` is deleted. The caller updates `target`'s row."""

    @abstractmethod
    def story_members(self, story_id: str) -> list[ArticleRow]: ...

    @abstractmethod
    def bump_story_entities(self, story_id: str, entity_ids: Iterable[str], ts: float, delta: int) -> None: ...

    @abstractmethod
    def top_story_entities(self, story_id: str, k: int) -> list[str]: ...

    @abstractmethod
    def clear_stories(self) -> None:
        """Forget every story, duplicate flag and estimated time (before reclustering)."""

    @abstractmethod
    def story_assignment(self) -> dict[str, str]:
        """article id -> story id for every latest article."""

    # -- meetings and events --------------------------------------------
    @abstractmethod
    def meeting_rows(self, *, rid: int | None = None, event_id: str | None = None) -> list[MeetingRow]: ...

    @abstractmethod
    def find_events(self, keys: Iterable[str], ord_from: int, ord_to: int, limit: int) -> list[str]: ...

    @abstractmethod
    def save_event(self, event_id: str, merged: dict[str, Any], meeting_ids: list[str], keys: list[str], date_ord: int) -> None: ...

    @abstractmethod
    def delete_event(self, event_id: str) -> None: ...

    @abstractmethod
    def clear_events(self) -> None: ...

    # -- search ----------------------------------------------------------
    @abstractmethod
    def match_aliases(self, norms: Iterable[str]) -> dict[str, set[str]]:
        """normalised form -> ids of entities known under it."""

    @abstractmethod
    def entity_phrases(self, entity_ids: Iterable[str], limit: int) -> list[str]: ...

    @abstractmethod
    def has_entity(self, entity_id: str) -> bool: ...

    @abstractmethod
    def search_articles(self, groups: list[list[str]], filters: Filters, limit: int) -> list[dict[str, Any]]:
        """Latest articles matching every group (a group matches when any of
        its phrases, each a space-separated run of index terms, occurs),
        best first; with no groups, the newest matching the filters."""

    # -- export and stats -----------------------------------------------
    @abstractmethod
    def iter_rows(self, what: str) -> Iterator[dict[str, Any]]:
        """Rows of one of TABLES, as plain dicts (lists and dicts decoded)."""

    @abstractmethod
    def stats(self) -> dict[str, int]:
        """Row counts per table."""
