"""The embedded store: one SQLite file (stdlib sqlite3), WAL mode, foreign
keys on, FTS5 for search. All SQL of the SQLite dialect lives here and in
migrations/sqlite/. Every value from a page goes in as a parameter, never
into the SQL text.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsgraph.model import Article
from newsgraph.store.base import Alias, ArticleRow, Filters, MeetingRow, Store, StoreBusy, StoryRow
from newsgraph.store.cache import TermCache
from newsgraph.store.rows import assemble_article, meeting_rows, quote_rows, read_article_row, to_json

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; writers are not kept apart
    fcntl = None

MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "sqlite"
CHUNK = 500  # values per IN (...) list
CACHE_KIB = 64 * 1024  # SQLite page cache per connection
MMAP_BYTES = 1 << 30
RANK_WINDOW = 3000  # matches ranked by bm25 before falling back to a full ranking (see search_articles)

_ARTICLE_COLUMNS = (
    "rid, id, origin, ts, day, date_basis, language, outlet, title, version, is_latest, story_id, duplicate_of,"
    " cluster_ts"
)
UNKNOWN_TS = -1e15  # postings of articles whose time is unknown


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _statements(script: str) -> Iterator[str]:
    """Split a migration script into complete statements."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer
            buffer = ""
    if buffer.strip() and not all(part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()):
        raise ValueError(f"incomplete statement at the end of a migration: {buffer[:80]!r}")


def fts_phrase(phrase: str) -> str:
    """One FTS5 string literal: the phrase quoted, inner quotes doubled, so
    that no user text is ever read as FTS5 syntax."""
    return '"' + phrase.replace('"', '""') + '"'


def fts_query(groups: list[list[str]]) -> str:
    return " AND ".join("(" + " OR ".join(fts_phrase(p) for p in group) + ")" for group in groups)


class SQLiteStore(Store):
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
        self.db.row_factory = sqlite3.Row
        if self.path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
        # NORMAL is durable against a killed process in WAL mode (only a power
        # cut can lose the last commits), and much faster than FULL.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA temp_store=MEMORY")
        # Index pages of a large store stay in memory: lookups cost the same
        # at 100k articles as at 1k.
        self.db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        self.db.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        self._depth = 0
        self._terms = TermCache()
        self.migrate()

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.db.close()

    @contextmanager
    def writer_lock(self, what: str = "ingest") -> Iterator[None]:
        # flock on a file beside the store, not on the store itself: SQLite's
        # own locks are fcntl locks on that file. The kernel drops an flock
        # when its process dies, so a killed ingest never leaves the store locked.
        if self.path == ":memory:" or fcntl is None:
            yield
            return
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
                raise StoreBusy(
                    f"{self.path} is being written by {holder}; wait for it to finish and run this again"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{what} (pid {os.getpid()})".encode(), 0)
            yield
        finally:
            os.close(fd)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._terms.check(self.db.execute("PRAGMA data_version").fetchone()[0])
        self._depth = 1
        try:
            yield
            self._flush_terms()
            self._depth = 0
            self.db.execute("COMMIT")
        except BaseException:
            self._depth = 0
            self._terms.clear()  # it counted what is not in the store
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        row = self.db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return row[0] or 0

    def migrate(self) -> None:
        """Apply, in order and each in its own transaction, every numbered
        migration newer than the store's schema_version."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        current = self.schema_version()
        scripts = sorted(MIGRATIONS.glob("*.sql"))
        if not scripts:
            raise RuntimeError(f"no migrations in {MIGRATIONS}: the package was installed without its data files")
        for path in scripts:
            version = int(path.name.split("_", 1)[0])
            if version <= current:
                continue
            with self.transaction():
                for statement in _statements(path.read_text(encoding="utf-8")):
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                    (version, path.stem, datetime.now(UTC).isoformat(timespec="seconds")),
                )

    # -- sources and errors ---------------------------------------------
    def known_sources(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for origin, sha in keys:
            row = self.db.execute("SELECT 1 FROM sources WHERE origin = ? AND raw_sha = ?", (origin, sha)).fetchone()
            if row:
                found.add((origin, sha))
        return found

    def add_source(self, origin: str, raw_sha: str, article_id: str | None, status: str, seen_at: str) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO sources (origin, raw_sha, article_id, status, seen_at) VALUES (?, ?, ?, ?, ?)",
            (origin, raw_sha, article_id, status, seen_at),
        )

    def add_error(self, origin: str, error: str, seen_at: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO errors (origin, error, seen_at) VALUES (?, ?, ?)", (origin, error, seen_at))

    def known_origins(self, origins: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(dict.fromkeys(origins))):
            rows = self.db.execute(f"SELECT DISTINCT origin FROM sources WHERE origin IN ({_marks(len(chunk))})", chunk)
            found.update(row[0] for row in rows)
        return found

    def feed_state(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT etag, last_modified, status, checked_at, changed_at FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        return dict(row) if row else None

    def save_feed_state(self, url: str, *, etag: str | None, last_modified: str | None, status: int | None,
                        checked_at: str, changed: bool) -> None:
        self.db.execute(
            "INSERT INTO feeds (url, etag, last_modified, status, checked_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
            " status = excluded.status, checked_at = excluded.checked_at,"
            " changed_at = COALESCE(excluded.changed_at, feeds.changed_at)",
            (url, etag, last_modified, status, checked_at, checked_at if changed else None),
        )

    # -- articles --------------------------------------------------------
    def insert_article(self, article: Article, features: Any, *, version: int, previous_id: str | None,
                       ingested_at: str, aliases: list[Alias]) -> int:
        cur = self.db.execute(
            "INSERT INTO articles (id, origin, url, outlet, aggregator, language, title, published, ts, day,"
            " date_basis, cluster_ts, body, warnings, version, is_latest, previous_id, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
            (
                article.id, article.origin, article.url, article.outlet, article.aggregator, article.language,
                article.title, article.published, features.ts, features.day, features.date_basis,
                features.ts if features.date_basis == "published" else None, article.body,
                to_json(list(article.warnings)), version, previous_id, ingested_at,
            ),
        )
        rid = cur.lastrowid
        self.db.executemany(
            "INSERT OR IGNORE INTO article_topics (rid, topic) VALUES (?, ?)", [(rid, t) for t in article.topics if t]
        )
        self._insert_entities(rid, article)
        self.db.executemany(
            "INSERT OR IGNORE INTO aliases (norm, entity_id, language, form, phrase, kind) VALUES (?, ?, ?, ?, ?, ?)",
            [(a.norm, a.entity_id, a.language, a.form, a.phrase, a.kind) for a in aliases],
        )
        self._insert_meetings(rid, article)
        self._insert_quotes(rid, article)
        return rid

    def _insert_entities(self, rid: int, article: Article) -> None:
        language = article.language or "und"
        counts: dict[str, int] = {}
        for entity in article.entities:
            if not entity.id:
                continue
            self.db.execute(
                "INSERT INTO entities (id, type, name, wikidata) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET wikidata = COALESCE(entities.wikidata, excluded.wikidata)",
                (entity.id, entity.type or "", entity.name or entity.lemma or entity.id, entity.wikidata),
            )
            if entity.lemma:
                self.db.execute(
                    "INSERT OR IGNORE INTO entity_lemmas (entity_id, language, lemma) VALUES (?, ?, ?)",
                    (entity.id, language, entity.lemma),
                )
            self.db.executemany(
                "INSERT OR IGNORE INTO mentions (rid, entity_id, start, end, text, lemma, type) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (rid, entity.id, int(m.start or 0), int(m.end or 0), m.text or "", m.lemma or "", m.type or "")
                    for m in entity.mentions
                ],
            )
            counts[entity.id] = counts.get(entity.id, 0) + max(1, len(entity.mentions))
        self.db.executemany(
            "INSERT INTO article_entities (entity_id, rid, mentions) VALUES (?, ?, ?)",
            [(eid, rid, n) for eid, n in counts.items()],
        )

    def _insert_meetings(self, rid: int, article: Article) -> None:
        for row, people in meeting_rows(rid, article):
            self.db.execute(
                "INSERT INTO meetings (id, rid, idx, kind, cameo, date, date_basis, place, planned, data)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                row,
            )
            self.db.executemany(
                "INSERT INTO meeting_participants (meeting_id, pos, entity_id, name, role, delegation)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                people,
            )

    def _insert_quotes(self, rid: int, article: Article) -> None:
        self.db.executemany(
            "INSERT INTO quotes (id, rid, idx, text, start, end, speaker_id, speaker) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            quote_rows(rid, article),
        )

    def article_row(self, *, rid: int | None = None, article_id: str | None = None) -> ArticleRow | None:
        if rid is not None:
            row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rid = ?", (rid,)).fetchone()
        else:
            row = self.db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return read_article_row(row) if row else None

    def article_rows(self, rids: Iterable[int]) -> dict[int, ArticleRow]:
        found: dict[int, ArticleRow] = {}
        for chunk in _chunks(list(rids)):
            for row in self.db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rid IN ({_marks(len(chunk))})", chunk
            ):
                found[row["rid"]] = read_article_row(row)
        return found

    def latest_at_origin(self, origin: str) -> ArticleRow | None:
        row = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE origin = ? AND is_latest = 1 ORDER BY version DESC LIMIT 1",
            (origin,),
        ).fetchone()
        return read_article_row(row) if row else None

    def max_version(self, origin: str) -> int:
        row = self.db.execute("SELECT MAX(version) FROM articles WHERE origin = ?", (origin,)).fetchone()
        return row[0] or 0

    def set_latest(self, rid: int, latest: bool) -> None:
        self.db.execute("UPDATE articles SET is_latest = ? WHERE rid = ?", (int(latest), rid))

    def get_article(self, article_id: str) -> Article | None:
        row = self.db.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        rid = row["rid"]
        mentions = self.db.execute(
            "SELECT m.*, e.type AS etype, e.name, e.wikidata, l.lemma AS elemma FROM mentions m"
            " JOIN entities e ON e.id = m.entity_id"
            " LEFT JOIN entity_lemmas l ON l.entity_id = m.entity_id AND l.language = ?"
            " WHERE m.rid = ? ORDER BY m.start, m.end",
            (row["language"] or "und", rid),
        )
        meetings = self.db.execute("SELECT data FROM meetings WHERE rid = ? ORDER BY idx", (rid,))
        quotes = self.db.execute("SELECT * FROM quotes WHERE rid = ? ORDER BY idx", (rid,)).fetchall()
        topics = [r[0] for r in self.db.execute("SELECT topic FROM article_topics WHERE rid = ? ORDER BY topic", (rid,))]
        return assemble_article(row, mentions.fetchall(), meetings.fetchall(), quotes, topics)

    def article_entity_ids(self, rid: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT entity_id FROM article_entities WHERE rid = ? ORDER BY entity_id", (rid,))]

    def index_text(self, rid: int, text: str) -> None:
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (rid,))
        self.db.execute("INSERT INTO articles_fts (rowid, lemmas) VALUES (?, ?)", (rid, text))

    def unindex_text(self, rid: int) -> None:
        self.db.execute("DELETE FROM articles_fts WHERE rowid = ?", (rid,))

    def latest_in_order(self) -> Iterator[int]:
        dated = "SELECT rid FROM articles WHERE is_latest = 1 AND date_basis = 'published' ORDER BY ts, id"
        undated = "SELECT rid FROM articles WHERE is_latest = 1 AND date_basis != 'published' ORDER BY rid"
        rids = [r[0] for r in self.db.execute(dated)] + [r[0] for r in self.db.execute(undated)]
        return iter(rids)

    def set_cluster_ts(self, rid: int, ts: float | None) -> None:
        self.db.execute("UPDATE articles SET cluster_ts = ? WHERE rid = ?", (ts, rid))
        self.db.execute("UPDATE postings SET ts = ? WHERE rid = ?", (UNKNOWN_TS if ts is None else ts, rid))

    # -- clustering features --------------------------------------------
    def doc_count(self, bump: int = 0) -> int:
        if bump:
            self.db.execute(
                "INSERT INTO meta (key, value) VALUES ('n_docs', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value",
                (bump,),
            )
        row = self.db.execute("SELECT value FROM meta WHERE key = 'n_docs'").fetchone()
        return int(row[0]) if row else 0

    def term_ids(self, keys: Iterable[str], bump: bool = False) -> dict[str, tuple[int, int]]:
        # Known terms come from the in-memory cache: the vocabulary lookups
        # were the part of clustering that grew with the store. Increments of
        # df are written once per transaction (_flush_terms).
        keys = list(dict.fromkeys(keys))
        if not self._depth:
            self._terms.check(self.db.execute("PRAGMA data_version").fetchone()[0])
        found = self._terms.get(keys)
        missing = [key for key in keys if key not in found]
        for chunk in _chunks(missing):
            for tid, key, df in self.db.execute(
                f"SELECT tid, key, df FROM terms WHERE key IN ({_marks(len(chunk))})", chunk
            ):
                found[key] = (tid, df)
        if not bump:
            self._terms.put(found)
            return found
        found = {key: (tid, df + 1) for key, (tid, df) in found.items()}
        self._terms.bump(tid for tid, _ in found.values())
        for key in keys:
            if key not in found:
                found[key] = (self.db.execute("INSERT INTO terms (key, df) VALUES (?, 1)", (key,)).lastrowid, 1)
        self._terms.put(found)
        if not self._depth:  # outside a transaction every statement commits at once
            self._flush_terms()
        return found

    def _flush_terms(self) -> None:
        self.db.executemany("UPDATE terms SET df = df + ? WHERE tid = ?", [(n, tid) for tid, n in self._terms.take_pending()])

    def save_vector(self, rid: int, vector: bytes, signature: bytes | None) -> None:
        self.db.execute("INSERT OR REPLACE INTO vectors (rid, vector, minhash) VALUES (?, ?, ?)", (rid, vector, signature))

    def vectors(self, rids: Iterable[int]) -> dict[int, tuple[bytes, bytes | None]]:
        found: dict[int, tuple[bytes, bytes | None]] = {}
        for chunk in _chunks(list(rids)):
            for rid, vector, sig in self.db.execute(
                f"SELECT rid, vector, minhash FROM vectors WHERE rid IN ({_marks(len(chunk))})", chunk
            ):
                found[rid] = (vector, sig)
        return found

    def add_postings(self, rid: int, ts: float | None, postings: list[tuple[int, float]]) -> None:
        ts = UNKNOWN_TS if ts is None else ts
        self.db.executemany(
            "INSERT OR REPLACE INTO postings (tid, ts, rid, weight) VALUES (?, ?, ?, ?)",
            [(tid, ts, rid, weight) for tid, weight in postings],
        )

    def find_postings(self, tids: Iterable[int], window: tuple[float, float] | None, limit: int,
                      before_rid: int | None = None) -> list[tuple[int, int, float]]:
        dated = window or (UNKNOWN_TS + 1, float("inf"))
        below = before_rid if before_rid is not None else 2**62
        found: list[tuple[int, int, float]] = []
        for tid in tids:
            rows = self.db.execute(
                "SELECT rid, weight FROM postings WHERE tid = ? AND ts BETWEEN ? AND ? ORDER BY ts DESC LIMIT ?",
                (tid, *dated, limit),
            ).fetchall()
            rows += self.db.execute(
                "SELECT rid, weight FROM postings WHERE tid = ? AND ts = ? AND rid < ? ORDER BY rid DESC LIMIT ?",
                (tid, UNKNOWN_TS, below, limit),
            ).fetchall()
            found.extend((tid, rid, weight) for rid, weight in rows)
        return found

    def add_buckets(self, rid: int, buckets: list[int]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO lsh (bucket, rid) VALUES (?, ?)", [(b, rid) for b in buckets])

    def find_buckets(self, buckets: Iterable[int], limit: int) -> list[int]:
        # One bounded range read per bucket: a bucket shared by many reprints
        # would otherwise be read whole.
        shared: dict[int, int] = {}
        for bucket in dict.fromkeys(buckets):
            for (rid,) in self.db.execute("SELECT rid FROM lsh WHERE bucket = ? ORDER BY rid LIMIT ?", (bucket, limit)):
                shared[rid] = shared.get(rid, 0) + 1
        return sorted(shared, key=lambda rid: (-shared[rid], rid))[:limit]

    def drop_index_entries(self, rid: int) -> None:
        self.db.execute("DELETE FROM postings WHERE rid = ?", (rid,))
        self.db.execute("DELETE FROM lsh WHERE rid = ?", (rid,))

    # -- stories ---------------------------------------------------------
    def set_story(self, rid: int, story_id: str | None, duplicate_of: str | None) -> None:
        self.db.execute("UPDATE articles SET story_id = ?, duplicate_of = ? WHERE rid = ?", (story_id, duplicate_of, rid))

    def get_story(self, story_id: str) -> StoryRow | None:
        row = self.db.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        return StoryRow(
            id=row["id"], title=row["title"], title_article_id=row["title_article_id"], first_ts=row["first_ts"],
            last_ts=row["last_ts"], n_articles=row["n_articles"], dated=bool(row["dated"]),
            languages=json.loads(row["languages"]),
            outlets=json.loads(row["outlets"]), entities=json.loads(row["entities"]),
        )

    def save_story(self, story: StoryRow) -> None:
        self.db.execute(
            "INSERT INTO stories (id, title, title_article_id, first_ts, last_ts, dated, first_seen, last_seen,"
            " n_articles, languages, outlets, entities) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET title = excluded.title, title_article_id = excluded.title_article_id,"
            " first_ts = excluded.first_ts, last_ts = excluded.last_ts, dated = excluded.dated,"
            " first_seen = excluded.first_seen, last_seen = excluded.last_seen, n_articles = excluded.n_articles,"
            " languages = excluded.languages, outlets = excluded.outlets, entities = excluded.entities",
            (
                story.id, story.title, story.title_article_id, story.first_ts, story.last_ts, int(story.dated),
                iso(story.first_ts), iso(story.last_ts), story.n_articles, to_json(story.languages),
                to_json(story.outlets), to_json(story.entities),
            ),
        )

    def delete_story(self, story_id: str) -> None:
        self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def move_story(self, source: str, target: str) -> None:
        self.db.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (target, source))
        self.db.execute(
            "INSERT INTO story_entities (story_id, entity_id, n, last_ts)"
            " SELECT ?, entity_id, n, last_ts FROM story_entities WHERE story_id = ?"
            " ON CONFLICT (story_id, entity_id) DO UPDATE SET n = n + excluded.n, last_ts = MAX(last_ts, excluded.last_ts)",
            (target, source),
        )
        self.db.execute("DELETE FROM stories WHERE id = ?", (source,))

    def story_members(self, story_id: str) -> list[ArticleRow]:
        rows = self.db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = ? AND is_latest = 1 ORDER BY ts, id", (story_id,)
        )
        return [read_article_row(r) for r in rows]

    def bump_story_entities(self, story_id: str, entity_ids: Iterable[str], ts: float, delta: int) -> None:
        ids = list(entity_ids)
        if delta > 0:
            self.db.executemany(
                "INSERT INTO story_entities (story_id, entity_id, n, last_ts) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (story_id, entity_id) DO UPDATE SET n = n + excluded.n,"
                " last_ts = MAX(last_ts, excluded.last_ts)",
                [(story_id, eid, delta, ts) for eid in ids],
            )
            return
        self.db.executemany(
            "UPDATE story_entities SET n = n + ? WHERE story_id = ? AND entity_id = ?",
            [(delta, story_id, eid) for eid in ids],
        )
        self.db.execute("DELETE FROM story_entities WHERE story_id = ? AND n <= 0", (story_id,))

    def top_story_entities(self, story_id: str, k: int) -> list[str]:
        rows = self.db.execute(
            "SELECT entity_id FROM story_entities WHERE story_id = ? ORDER BY n DESC, entity_id LIMIT ?", (story_id, k)
        )
        return [r[0] for r in rows]

    def clear_stories(self) -> None:
        self.db.execute(
            "UPDATE articles SET story_id = NULL, duplicate_of = NULL WHERE story_id IS NOT NULL OR duplicate_of IS NOT NULL"
        )
        self.db.execute(
            "UPDATE postings SET ts = ? WHERE rid IN"
            " (SELECT rid FROM articles WHERE date_basis != 'published' AND cluster_ts IS NOT NULL)",
            (UNKNOWN_TS,),
        )
        self.db.execute("UPDATE articles SET cluster_ts = NULL WHERE date_basis != 'published' AND cluster_ts IS NOT NULL")
        self.db.execute("DELETE FROM story_entities")
        self.db.execute("DELETE FROM stories")

    def story_assignment(self) -> dict[str, str]:
        return {
            r[0]: r[1] for r in self.db.execute("SELECT id, story_id FROM articles WHERE is_latest = 1 ORDER BY id")
        }

    # -- meetings and events --------------------------------------------
    def meeting_rows(self, *, rid: int | None = None, event_id: str | None = None) -> list[MeetingRow]:
        where, value = ("m.rid = ?", rid) if rid is not None else ("m.event_id = ?", event_id)
        rows = self.db.execute(
            "SELECT m.id, m.rid, m.idx, m.data, m.event_id, a.id AS article_id, a.ts, a.day, a.language, a.outlet,"
            f" a.url, a.story_id, a.date_basis, a.cluster_ts FROM meetings m JOIN articles a ON a.rid = m.rid WHERE {where} ORDER BY a.ts, a.id, m.idx",
            (value,),
        )
        return [
            MeetingRow(
                id=r["id"], rid=r["rid"], article_id=r["article_id"], idx=r["idx"], data=json.loads(r["data"]),
                ts=r["ts"], day=r["day"], language=r["language"], outlet=r["outlet"], url=r["url"],
                story_id=r["story_id"], event_id=r["event_id"], date_basis=r["date_basis"],
                cluster_ts=r["cluster_ts"],
            )
            for r in rows
        ]

    def find_events(self, keys: Iterable[str], ord_from: int, ord_to: int, limit: int) -> list[str]:
        found: list[str] = []
        for key in keys:
            for (event_id,) in self.db.execute(
                "SELECT event_id FROM event_participants WHERE key = ? AND date_ord BETWEEN ? AND ? LIMIT ?",
                (key, ord_from, ord_to, limit),
            ):
                if event_id not in found:
                    found.append(event_id)
        return found

    def save_event(self, event_id: str, merged: dict[str, Any], meeting_ids: list[str], keys: list[str], date_ord: int) -> None:
        date = merged.get("date") or {}
        place = merged.get("place") or {}
        kind = merged.get("kind") or {}
        cameo = merged.get("cameo") or {}
        self.db.execute(
            "INSERT INTO events (id, date, date_ord, kind, cameo, place, planned, n_sources, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET date = excluded.date,"
            " date_ord = excluded.date_ord, kind = excluded.kind, cameo = excluded.cameo, place = excluded.place,"
            " planned = excluded.planned, n_sources = excluded.n_sources, data = excluded.data",
            (
                event_id, date.get("value"), date_ord, kind.get("value"), cameo.get("value"),
                to_json(place["value"]) if place.get("value") is not None else None, int(bool(merged.get("planned"))),
                len(merged.get("sources") or []), to_json(merged),
            ),
        )
        self.db.execute("DELETE FROM event_participants WHERE event_id = ?", (event_id,))
        self.db.executemany(
            "INSERT OR IGNORE INTO event_participants (key, event_id, date_ord) VALUES (?, ?, ?)",
            [(key, event_id, date_ord) for key in keys],
        )
        self.db.execute("UPDATE meetings SET event_id = NULL WHERE event_id = ?", (event_id,))
        self.db.executemany("UPDATE meetings SET event_id = ? WHERE id = ?", [(event_id, mid) for mid in meeting_ids])

    def delete_event(self, event_id: str) -> None:
        self.db.execute("UPDATE meetings SET event_id = NULL WHERE event_id = ?", (event_id,))
        self.db.execute("DELETE FROM events WHERE id = ?", (event_id,))

    def clear_events(self) -> None:
        self.db.execute("UPDATE meetings SET event_id = NULL WHERE event_id IS NOT NULL")
        self.db.execute("DELETE FROM event_participants")
        self.db.execute("DELETE FROM events")

    # -- search ----------------------------------------------------------
    def match_aliases(self, norms: Iterable[str]) -> dict[str, set[str]]:
        norms = list(dict.fromkeys(norms))
        found: dict[str, set[str]] = {}
        for chunk in _chunks(norms):
            for norm, entity_id in self.db.execute(
                f"SELECT DISTINCT norm, entity_id FROM aliases WHERE norm IN ({_marks(len(chunk))})", chunk
            ):
                found.setdefault(norm, set()).add(entity_id)
        return found

    def entity_phrases(self, entity_ids: Iterable[str], limit: int) -> list[str]:
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        rows = self.db.execute(
            f"SELECT phrase, COUNT(*) AS n FROM aliases WHERE entity_id IN ({_marks(len(ids))}) AND kind != 'token'"
            " AND phrase != '' GROUP BY phrase ORDER BY n DESC, phrase LIMIT ?",
            (*ids, limit),
        )
        return [r[0] for r in rows]

    def has_entity(self, entity_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def search_articles(self, groups: list[list[str]], filters: Filters, limit: int) -> list[dict[str, Any]]:
        where: list[str] = []
        params: list[Any] = []
        if filters.language:
            where.append("a.language = ?")
            params.append(filters.language)
        if filters.outlet:
            where.append("a.outlet = ?")
            params.append(filters.outlet)
        if filters.date_from:
            where.append("a.day >= ?")
            params.append(filters.date_from)
        if filters.date_to:
            where.append("a.day <= ?")
            params.append(filters.date_to)
        if filters.topic:
            where.append("EXISTS (SELECT 1 FROM article_topics t WHERE t.rid = a.rid AND t.topic = ?)")
            params.append(filters.topic)
        if filters.entity_ids is not None:
            ids = list(filters.entity_ids)
            if not ids:
                return []
            where.append(
                f"EXISTS (SELECT 1 FROM article_entities e WHERE e.rid = a.rid AND e.entity_id IN ({_marks(len(ids))}))"
            )
            params.extend(ids)
        columns = "a.rid, a.id, a.title, a.url, a.outlet, a.language, a.published, a.day, a.story_id, a.body"
        conditions = "".join(f" AND {w}" for w in where)
        if not groups:
            sql = f"SELECT {columns}, 0.0 AS score FROM articles a WHERE a.is_latest = 1{conditions} ORDER BY a.ts DESC, a.id LIMIT ?"
            return [dict(r) for r in self.db.execute(sql, (*params, limit))]
        match = fts_query(groups)
        # First rank only the RANK_WINDOW most recently stored matches: the
        # full-text index walks them newest first and stops, so a query that
        # matches most of the store costs the same as one matching a few
        # thousand articles. Exact whenever a query has fewer matches.
        windowed = (
            f"SELECT {columns}, w.score FROM (SELECT rowid AS rid, bm25(articles_fts) AS score FROM articles_fts"
            " WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) w JOIN articles a ON a.rid = w.rid"
            f" WHERE 1{conditions} ORDER BY w.score LIMIT ?"
        )
        rows = [dict(r) for r in self.db.execute(windowed, (match, RANK_WINDOW, *params, limit))]
        if len(rows) >= limit or not where:
            return rows
        # The filters left too few in the window: rank every match (exact).
        full = (
            f"SELECT {columns}, bm25(articles_fts) AS score FROM articles_fts"
            f" JOIN articles a ON a.rid = articles_fts.rowid WHERE articles_fts MATCH ?{conditions}"
            " ORDER BY score LIMIT ?"
        )
        return [dict(r) for r in self.db.execute(full, (match, *params, limit))]

    # -- export and stats -----------------------------------------------
    def iter_rows(self, what: str) -> Iterator[dict[str, Any]]:
        queries = {
            "articles": (
                "SELECT a.id, a.origin, a.url, a.outlet, a.aggregator, a.language, a.title, a.published, a.day,"
                " a.date_basis, a.version, a.is_latest, a.previous_id, a.story_id, a.duplicate_of, a.ingested_at,"
                " (SELECT json_group_array(topic) FROM (SELECT topic FROM article_topics t WHERE t.rid = a.rid ORDER BY topic)) AS topics,"
                " (SELECT json_group_array(entity_id) FROM (SELECT entity_id FROM article_entities e WHERE e.rid = a.rid ORDER BY entity_id)) AS entities,"
                " a.warnings, a.body FROM articles a ORDER BY a.ts, a.id",
                ("topics", "entities", "warnings"),
            ),
            "entities": (
                "SELECT e.id, e.type, e.name, e.wikidata,"
                " (SELECT json_group_object(language, lemma) FROM entity_lemmas l WHERE l.entity_id = e.id) AS lemmas,"
                " (SELECT json_group_array(form) FROM (SELECT DISTINCT form FROM aliases s WHERE s.entity_id = e.id AND s.kind != 'token' ORDER BY form)) AS aliases,"
                " (SELECT COUNT(*) FROM article_entities ae JOIN articles a ON a.rid = ae.rid WHERE ae.entity_id = e.id AND a.is_latest = 1) AS n_articles"
                " FROM entities e ORDER BY e.id",
                ("lemmas", "aliases"),
            ),
            "meetings": (
                "SELECT m.id, a.id AS article_id, m.idx, m.kind, m.cameo, m.date, m.date_basis, m.place, m.planned,"
                " m.event_id, a.is_latest, m.data FROM meetings m JOIN articles a ON a.rid = m.rid ORDER BY a.ts, a.id, m.idx",
                ("place", "data"),
            ),
            "events": (
                "SELECT v.id, v.date, v.kind, v.cameo, v.place, v.planned, v.n_sources,"
                " (SELECT json_group_array(story_id) FROM (SELECT DISTINCT a.story_id FROM meetings m"
                " JOIN articles a ON a.rid = m.rid WHERE m.event_id = v.id AND a.story_id IS NOT NULL ORDER BY a.story_id)) AS story_ids,"
                " v.data FROM events v ORDER BY v.date_ord, v.id",
                ("place", "story_ids", "data"),
            ),
            "quotes": (
                "SELECT q.id, a.id AS article_id, q.idx, q.text, q.start, q.end, q.speaker_id, q.speaker, a.is_latest"
                " FROM quotes q JOIN articles a ON a.rid = q.rid ORDER BY a.ts, a.id, q.idx",
                ("speaker",),
            ),
            "stories": (
                "SELECT s.id, s.title, s.title_article_id, s.first_seen, s.last_seen, s.n_articles, s.languages,"
                " s.outlets, s.entities,"
                " (SELECT json_group_array(id) FROM (SELECT id FROM articles a WHERE a.story_id = s.id AND a.is_latest = 1 ORDER BY ts, id)) AS article_ids"
                " FROM stories s ORDER BY s.first_ts, s.id",
                ("languages", "outlets", "entities", "article_ids"),
            ),
        }
        if what not in queries:
            raise ValueError(f"unknown table {what!r}; expected one of {', '.join(queries)}")
        sql, json_columns = queries[what]
        for row in self.db.execute(sql):
            record = dict(row)
            for column in json_columns:
                if record.get(column) is not None:
                    record[column] = json.loads(record[column])
            if "is_latest" in record:
                record["is_latest"] = bool(record["is_latest"])
            if "planned" in record:
                record["planned"] = bool(record["planned"])
            yield record

    def stats(self) -> dict[str, int]:
        tables = (
            "articles", "sources", "errors", "entities", "aliases", "mentions", "meetings", "events", "quotes",
            "stories", "article_topics",
        )
        counts = {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
        counts["latest_articles"] = self.db.execute("SELECT COUNT(*) FROM articles WHERE is_latest = 1").fetchone()[0]
        counts["duplicates"] = self.db.execute(
            "SELECT COUNT(*) FROM articles WHERE is_latest = 1 AND duplicate_of IS NOT NULL"
        ).fetchone()[0]
        return counts

