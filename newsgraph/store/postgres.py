"""The server store: PostgreSQL through psycopg 3, the same tables and
behaviour as the SQLite store. All SQL of the PostgreSQL dialect lives here
and in migrations/postgres/. Every value goes in as a parameter, never into
the SQL text.

    store = open_store("postgresql://user@host:5432/news")

The store lives in the first schema on the connection's search_path (public
unless the URL says otherwise, e.g. `?options=-csearch_path%3Dnews`).
Writers are serialised by a transaction-level advisory lock per schema, the
counterpart of SQLite's BEGIN IMMEDIATE: two ingests into one store take
turns batch by batch, and readers never wait (MVCC).

Full-text search: the lemmatised index text goes into a tsvector column
(configuration 'simple': the text is already lemmatised and casefolded) with
a GIN index; queries are phrases joined with && and ||, ranked by ts_rank.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from newsgraph.model import Article
from newsgraph.store import StoreUnavailable
from newsgraph.store import base
from newsgraph.store.base import Alias, ArticleRow, Filters, MeetingRow, Store, StoryRow
from newsgraph.store.rows import assemble_article, meeting_rows, quote_rows, read_article_row, to_json
from newsgraph.store.sqlite import RANK_WINDOW, UNKNOWN_TS, iso

try:
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # the optional extra is not installed
    psycopg = None

MIGRATIONS = Path(__file__).resolve().parent / "migrations" / "postgres"
# The lexemes of one tsvector may not exceed 1 MB. The index text of a page
# is cut to this many characters (at most 4 UTF-8 bytes each: under 1 MB;
# about 30,000 words, far beyond any news article), so that a gigantic page
# is still stored and searchable by its beginning.
MAX_INDEX_CHARS = 250_000
WRITER_GRACE_S = 2.0  # how long a second writer waits before StoreBusy

_ARTICLE_COLUMNS = (
    "rid, id, origin, ts, day, date_basis, language, outlet, title, version, is_latest, story_id, duplicate_of,"
    " cluster_ts"
)
# Advisory locks are keyed by schema: writers of different stores on one
# server never wait for each other. The transaction lock serialises write
# transactions; the session lock is `writer_lock`, held for a whole run.
_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('newsgraph:' || current_schema()))"
_WRITER_KEY = "SELECT hashtext('newsgraph-writer:' || current_schema())::bigint AS key"


def redact(url: str) -> str:
    """The URL without its password, for messages and `Store.url`."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = netloc.rsplit("@", 1)[0].split(":", 1)[0] + ":***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if "password" in dict(parse_qsl(query)):
        query = urlencode([(k, "***" if k == "password" else v) for k, v in parse_qsl(query, keep_blank_values=True)])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def tsquery(groups: list[list[str]]) -> tuple[str, list[str]]:
    """The SQL expression for a search, and its parameters: a tsquery in
    which every group must match, a group matching when any of its phrases
    does, or NULL when a group has no word at all (its phrases are only
    punctuation: it matches nothing, as an empty FTS5 phrase does, instead
    of being dropped). Each phrase is a parameter read by phraseto_tsquery,
    so no user text is ever read as tsquery syntax."""
    parts = []
    params: list[str] = []
    for group in groups:
        parts.append("(" + " || ".join("phraseto_tsquery('simple', %s)" for _ in group) + ")")
        params.extend(group)
    query = " && ".join(parts)
    empty = " OR ".join(f"numnode({part}) = 0" for part in parts)
    return f"CASE WHEN {empty} THEN NULL ELSE {query} END", params + params


def connect(url: str, **options: Any) -> psycopg.Connection:
    """A psycopg connection giving dict rows; a server that cannot be
    reached is StoreUnavailable, naming the URL without its password."""
    if psycopg is None:
        raise StoreUnavailable("the PostgreSQL store needs psycopg 3: pip install 'newsgraph[postgres]'")
    try:
        return psycopg.connect(url, row_factory=dict_row, **options)
    except (psycopg.OperationalError, psycopg.ProgrammingError) as error:  # ProgrammingError: a malformed URL
        raise StoreUnavailable(f"cannot connect to {redact(url)}: {' '.join(str(error).split())}") from None


class PostgresStore(Store):
    def __init__(self, url: str):
        self.url = redact(url)
        self.pg = connect(url, autocommit=True)
        self.db = self.pg  # the raw connection, as SQLiteStore.db is (tools and tests)
        self._depth = 0
        self._cursors = 0
        self.migrate()

    def _all(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        return self.pg.execute(sql, tuple(params)).fetchall()

    def _one(self, sql: str, params: Iterable[Any] = ()) -> dict[str, Any] | None:
        return self.pg.execute(sql, tuple(params)).fetchone()

    def _value(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self._one(sql, params)
        return next(iter(row.values())) if row else None

    def _run(self, sql: str, params: Iterable[Any] = ()) -> None:
        self.pg.execute(sql, tuple(params))

    def _many(self, sql: str, rows: list[tuple]) -> None:
        if rows:
            with self.pg.cursor() as cur:
                cur.executemany(sql, rows)

    # -- lifecycle -------------------------------------------------------
    def close(self) -> None:
        self.pg.close()

    @contextmanager
    def writer_lock(self, what: str = "ingest") -> Iterator[None]:
        # A session-level advisory lock: the server drops it when the
        # connection ends, so a killed ingest never leaves the store locked.
        key = self._value(_WRITER_KEY)
        if not self._try_lock(key):
            holder = self._value(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                " WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database()) AND l.objid = (%s::bigint & 4294967295)::oid AND l.objsubid = 1",
                (key,),
            )
            raise base.StoreBusy(
                f"{self.url} is being written by {holder or 'another process'}; wait for it to finish and run this again"
            )
        self._run("SELECT set_config('application_name', %s, false)", (f"newsgraph {what} (pid {os.getpid()})",))
        try:
            yield
        finally:
            if not self.pg.closed:
                self._run("SELECT pg_advisory_unlock(%s)", (key,))
                self._run("SELECT set_config('application_name', '', false)")

    def _try_lock(self, key: int) -> bool:
        # The server releases a killed client's lock once it notices the
        # closed connection, a moment after the kill: a writer started right
        # after a crash waits that moment out instead of being refused.
        deadline = time.monotonic() + WRITER_GRACE_S
        while not self._value("SELECT pg_try_advisory_lock(%s)", (key,)):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        # Pipeline mode: writes are sent without waiting for their answers
        # (a read, or the commit, collects them), so a run of writes costs
        # one round trip. An error still aborts the transaction.
        with self._locked(), self.pg.pipeline():
            self._depth = 1
            try:
                yield
            finally:
                self._depth = 0

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """A transaction holding the store's write lock."""
        with self.pg.transaction():
            self._run(_WRITE_LOCK)
            yield

    def schema_version(self) -> int:
        return self._value("SELECT MAX(version) FROM schema_version") or 0

    def migrate(self) -> None:
        """Apply, in order and each in its own transaction, every numbered
        migration newer than the store's schema_version. The write lock
        makes two processes opening a new store at once apply it once."""
        scripts = sorted(MIGRATIONS.glob("*.sql"))
        if not scripts:
            raise RuntimeError(f"no migrations in {MIGRATIONS}: the package was installed without its data files")
        # The usual case, an up-to-date store, costs two reads and no lock.
        if self._value("SELECT to_regclass('schema_version') IS NOT NULL") and self.schema_version() >= len(scripts):
            return
        for path in scripts:
            version = int(path.name.split("_", 1)[0])
            with self._locked():  # not pipelined: a script is several statements
                self._run(
                    "CREATE TABLE IF NOT EXISTS schema_version"
                    " (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                if version <= self.schema_version():
                    continue
                # A migration is fixed text from the package (no parameters):
                # psycopg runs a multi-statement script as one simple query.
                self.pg.execute(path.read_text(encoding="utf-8").encode("utf-8"), prepare=False)
                self._run(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (%s, %s, %s)",
                    (version, path.stem, datetime.now(UTC).isoformat(timespec="seconds")),
                )

    # -- sources and errors ---------------------------------------------
    def known_sources(self, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        keys = list(keys)
        if not keys:
            return set()
        rows = self._all(
            "SELECT s.origin, s.raw_sha FROM sources s"
            " JOIN unnest(%s::text[], %s::text[]) AS k(origin, raw_sha) ON s.origin = k.origin AND s.raw_sha = k.raw_sha",
            ([o for o, _ in keys], [s for _, s in keys]),
        )
        return {(r["origin"], r["raw_sha"]) for r in rows}

    def add_source(self, origin: str, raw_sha: str, article_id: str | None, status: str, seen_at: str) -> None:
        self._run(
            "INSERT INTO sources (origin, raw_sha, article_id, status, seen_at) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            (origin, raw_sha, article_id, status, seen_at),
        )

    def add_error(self, origin: str, error: str, seen_at: str) -> None:
        self._run(
            "INSERT INTO errors (id, origin, error, seen_at)"
            " SELECT COALESCE(MAX(id), 0) + 1, %s, %s, %s FROM errors ON CONFLICT DO NOTHING",
            (origin, error, seen_at),
        )

    def known_origins(self, origins: Iterable[str]) -> set[str]:
        rows = self._all("SELECT DISTINCT origin FROM sources WHERE origin = ANY(%s)", (list(dict.fromkeys(origins)),))
        return {r["origin"] for r in rows}

    def feed_state(self, url: str) -> dict[str, Any] | None:
        return self._one("SELECT etag, last_modified, status, checked_at, changed_at FROM feeds WHERE url = %s", (url,))

    def save_feed_state(self, url: str, *, etag: str | None, last_modified: str | None, status: int | None,
                        checked_at: str, changed: bool) -> None:
        self._run(
            "INSERT INTO feeds (url, etag, last_modified, status, checked_at, changed_at) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,"
            " status = excluded.status, checked_at = excluded.checked_at,"
            " changed_at = COALESCE(excluded.changed_at, feeds.changed_at)",
            (url, etag, last_modified, status, checked_at, checked_at if changed else None),
        )

    # -- articles --------------------------------------------------------
    def insert_article(self, article: Article, features: Any, *, version: int, previous_id: str | None,
                       ingested_at: str, aliases: list[Alias]) -> int:
        rid = self._value(
            "INSERT INTO articles (rid, id, origin, url, outlet, aggregator, language, title, published, ts, day,"
            " date_basis, cluster_ts, body, warnings, version, is_latest, previous_id, ingested_at)"
            " SELECT COALESCE(MAX(rid), 0) + 1, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s, %s"
            " FROM articles RETURNING rid",
            (
                article.id, article.origin, article.url, article.outlet, article.aggregator, article.language,
                article.title, article.published, features.ts, features.day, features.date_basis,
                features.ts if features.date_basis == "published" else None, article.body,
                to_json(list(article.warnings)), version, previous_id, ingested_at,
            ),
        )
        # The rest are writes only: pipelined, they cost one round trip
        # instead of one per row.
        with self.pg.pipeline():
            self._many(
                "INSERT INTO article_topics (rid, topic) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(rid, t) for t in article.topics if t],
            )
            self._insert_entities(rid, article)
            self._many(
                "INSERT INTO aliases (norm, entity_id, language, form, phrase, kind) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                [(a.norm, a.entity_id, a.language, a.form, a.phrase, a.kind) for a in aliases],
            )
            self._insert_meetings(rid, article)
            self._insert_quotes(rid, article)
        return rid

    def _insert_entities(self, rid: int, article: Article) -> None:
        language = article.language or "und"
        counts: dict[str, int] = {}
        mentions: list[tuple] = []
        for entity in article.entities:
            if not entity.id:
                continue
            self._run(
                "INSERT INTO entities (id, type, name, wikidata) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET wikidata = COALESCE(entities.wikidata, excluded.wikidata)",
                (entity.id, entity.type or "", entity.name or entity.lemma or entity.id, entity.wikidata),
            )
            if entity.lemma:
                self._run(
                    "INSERT INTO entity_lemmas (entity_id, language, lemma) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                    (entity.id, language, entity.lemma),
                )
            mentions += [
                (rid, entity.id, int(m.start or 0), int(m.end or 0), m.text or "", m.lemma or "", m.type or "")
                for m in entity.mentions
            ]
            counts[entity.id] = counts.get(entity.id, 0) + max(1, len(entity.mentions))
        self._many(
            'INSERT INTO mentions (rid, entity_id, start, "end", text, lemma, type) VALUES (%s, %s, %s, %s, %s, %s, %s)'
            " ON CONFLICT DO NOTHING",
            mentions,
        )
        self._many(
            "INSERT INTO article_entities (entity_id, rid, mentions) VALUES (%s, %s, %s)",
            [(eid, rid, n) for eid, n in counts.items()],
        )

    def _insert_meetings(self, rid: int, article: Article) -> None:
        for row, people in meeting_rows(rid, article):
            self._run(
                "INSERT INTO meetings (id, rid, idx, kind, cameo, date, date_basis, place, planned, data)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                row,
            )
            self._many(
                "INSERT INTO meeting_participants (meeting_id, pos, entity_id, name, role, delegation)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                people,
            )

    def _insert_quotes(self, rid: int, article: Article) -> None:
        self._many(
            'INSERT INTO quotes (id, rid, idx, text, start, "end", speaker_id, speaker)'
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            quote_rows(rid, article),
        )

    def article_row(self, *, rid: int | None = None, article_id: str | None = None) -> ArticleRow | None:
        if rid is not None:
            row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rid = %s", (rid,))
        else:
            row = self._one(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = %s", (article_id,))
        return read_article_row(row) if row else None

    def article_rows(self, rids: Iterable[int]) -> dict[int, ArticleRow]:
        rows = self._all(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE rid = ANY(%s)", (list(rids),))
        return {r["rid"]: read_article_row(r) for r in rows}

    def latest_at_origin(self, origin: str) -> ArticleRow | None:
        row = self._one(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE origin = %s AND is_latest = 1 ORDER BY version DESC LIMIT 1",
            (origin,),
        )
        return read_article_row(row) if row else None

    def max_version(self, origin: str) -> int:
        return self._value("SELECT MAX(version) FROM articles WHERE origin = %s", (origin,)) or 0

    def set_latest(self, rid: int, latest: bool) -> None:
        self._run("UPDATE articles SET is_latest = %s WHERE rid = %s", (int(latest), rid))

    def get_article(self, article_id: str) -> Article | None:
        row = self._one("SELECT * FROM articles WHERE id = %s", (article_id,))
        if row is None:
            return None
        rid = row["rid"]
        mentions = self._all(
            'SELECT m.entity_id, m.start, m."end", m.text, m.lemma, m.type, e.type AS etype, e.name, e.wikidata,'
            " l.lemma AS elemma FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " LEFT JOIN entity_lemmas l ON l.entity_id = m.entity_id AND l.language = %s"
            ' WHERE m.rid = %s ORDER BY m.start, m."end"',
            (row["language"] or "und", rid),
        )
        meetings = self._all("SELECT data FROM meetings WHERE rid = %s ORDER BY idx", (rid,))
        quotes = self._all('SELECT text, start, "end", speaker FROM quotes WHERE rid = %s ORDER BY idx', (rid,))
        topics = [r["topic"] for r in self._all("SELECT topic FROM article_topics WHERE rid = %s ORDER BY topic", (rid,))]
        return assemble_article(row, mentions, meetings, quotes, topics)

    def article_entity_ids(self, rid: int) -> list[str]:
        rows = self._all("SELECT entity_id FROM article_entities WHERE rid = %s ORDER BY entity_id", (rid,))
        return [r["entity_id"] for r in rows]

    def index_text(self, rid: int, text: str) -> None:
        if len(text) > MAX_INDEX_CHARS:
            cut = text.rfind(" ", 0, MAX_INDEX_CHARS)
            text = text[: cut if cut > 0 else MAX_INDEX_CHARS]
        self._run(
            "INSERT INTO articles_fts (rid, lemmas) VALUES (%s, %s) ON CONFLICT (rid) DO UPDATE SET lemmas = excluded.lemmas",
            (rid, text),
        )

    def unindex_text(self, rid: int) -> None:
        self._run("DELETE FROM articles_fts WHERE rid = %s", (rid,))

    def latest_in_order(self) -> Iterator[int]:
        dated = self._all("SELECT rid FROM articles WHERE is_latest = 1 AND date_basis = 'published' ORDER BY ts, id")
        undated = self._all("SELECT rid FROM articles WHERE is_latest = 1 AND date_basis != 'published' ORDER BY rid")
        return iter([r["rid"] for r in dated] + [r["rid"] for r in undated])

    def set_cluster_ts(self, rid: int, ts: float | None) -> None:
        self._run("UPDATE articles SET cluster_ts = %s WHERE rid = %s", (ts, rid))
        self._run("UPDATE postings SET ts = %s WHERE rid = %s", (UNKNOWN_TS if ts is None else ts, rid))

    # -- clustering features --------------------------------------------
    def doc_count(self, bump: int = 0) -> int:
        if bump:
            self._run(
                "INSERT INTO meta (key, value) VALUES ('n_docs', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = (meta.value::bigint + excluded.value::bigint)::text",
                (str(bump),),
            )
        value = self._value("SELECT value FROM meta WHERE key = 'n_docs'")
        return int(value) if value is not None else 0

    def term_ids(self, keys: Iterable[str], bump: bool = False) -> dict[str, tuple[int, int]]:
        keys = list(dict.fromkeys(keys))
        if not keys:
            return {}
        if not bump:
            rows = self._all("SELECT tid, key, df FROM terms WHERE key = ANY(%s)", (keys,))
            return {r["key"]: (r["tid"], r["df"]) for r in rows}
        rows = self._all("UPDATE terms SET df = df + 1 WHERE key = ANY(%s) RETURNING tid, key, df", (keys,))
        found = {r["key"]: (r["tid"], r["df"]) for r in rows}
        missing = [key for key in keys if key not in found]
        if missing:
            # New terms get tids in the order of `keys`, as in SQLite.
            start = self._value("SELECT COALESCE(MAX(tid), 0) FROM terms")
            self._many("INSERT INTO terms (tid, key, df) VALUES (%s, %s, 1)", [(start + i + 1, k) for i, k in enumerate(missing)])
            found.update({key: (start + i + 1, 1) for i, key in enumerate(missing)})
        return found

    def save_vector(self, rid: int, vector: bytes, signature: bytes | None) -> None:
        self._run(
            "INSERT INTO vectors (rid, vector, minhash) VALUES (%s, %s, %s)"
            " ON CONFLICT (rid) DO UPDATE SET vector = excluded.vector, minhash = excluded.minhash",
            (rid, vector, signature),
        )

    def vectors(self, rids: Iterable[int]) -> dict[int, tuple[bytes, bytes | None]]:
        rows = self._all("SELECT rid, vector, minhash FROM vectors WHERE rid = ANY(%s)", (list(rids),))
        return {r["rid"]: (bytes(r["vector"]), bytes(r["minhash"]) if r["minhash"] is not None else None) for r in rows}

    def add_postings(self, rid: int, ts: float | None, postings: list[tuple[int, float]]) -> None:
        ts = UNKNOWN_TS if ts is None else ts
        self._many(
            "INSERT INTO postings (tid, ts, rid, weight) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (tid, ts, rid) DO UPDATE SET weight = excluded.weight",
            [(tid, ts, rid, weight) for tid, weight in postings],
        )

    def find_postings(self, tids: Iterable[int], window: tuple[float, float] | None, limit: int,
                      before_rid: int | None = None) -> list[tuple[int, int, float]]:
        dated = window or (UNKNOWN_TS + 1, float("inf"))
        below = before_rid if before_rid is not None else 2**62
        tids = list(tids)
        if not tids:
            return []
        # One round trip for all terms (clustering asks for dozens per
        # article). Per term: dated postings newest first, then undated ones
        # latest first, each cut at `limit`; ties in the order SQLite's
        # (tid, ts, rid) key gives them.
        rows = self._all(
            "SELECT t.tid, p.rid, p.weight FROM unnest(%s::bigint[]) WITH ORDINALITY AS t(tid, n) CROSS JOIN LATERAL ("
            " (SELECT 0 AS part, ts, rid, weight FROM postings WHERE tid = t.tid AND ts BETWEEN %s AND %s"
            "  ORDER BY ts DESC, rid DESC LIMIT %s)"
            " UNION ALL"
            " (SELECT 1 AS part, ts, rid, weight FROM postings WHERE tid = t.tid AND ts = %s AND rid < %s"
            "  ORDER BY rid DESC LIMIT %s)"
            ") p ORDER BY t.n, p.part, p.ts DESC, p.rid DESC",
            (tids, *dated, limit, UNKNOWN_TS, below, limit),
        )
        return [(r["tid"], r["rid"], r["weight"]) for r in rows]

    def add_buckets(self, rid: int, buckets: list[int]) -> None:
        self._many("INSERT INTO lsh (bucket, rid) VALUES (%s, %s) ON CONFLICT DO NOTHING", [(b, rid) for b in buckets])

    def find_buckets(self, buckets: Iterable[int], limit: int) -> list[int]:
        # A bounded read per bucket (LATERAL ... LIMIT), as in SQLite.
        buckets = list(dict.fromkeys(buckets))
        if not buckets:
            return []
        rows = self._all(
            "SELECT l.rid FROM unnest(%s::bigint[]) AS b(bucket),"
            " LATERAL (SELECT rid FROM lsh WHERE lsh.bucket = b.bucket ORDER BY rid LIMIT %s) AS l"
            " GROUP BY l.rid ORDER BY count(*) DESC, l.rid LIMIT %s",
            (buckets, limit, limit),
        )
        return [r["rid"] for r in rows]

    def drop_index_entries(self, rid: int) -> None:
        self._run("DELETE FROM postings WHERE rid = %s", (rid,))
        self._run("DELETE FROM lsh WHERE rid = %s", (rid,))

    # -- stories ---------------------------------------------------------
    def set_story(self, rid: int, story_id: str | None, duplicate_of: str | None) -> None:
        self._run("UPDATE articles SET story_id = %s, duplicate_of = %s WHERE rid = %s", (story_id, duplicate_of, rid))

    def get_story(self, story_id: str) -> StoryRow | None:
        row = self._one("SELECT * FROM stories WHERE id = %s", (story_id,))
        if row is None:
            return None
        return StoryRow(
            id=row["id"], title=row["title"], title_article_id=row["title_article_id"], first_ts=row["first_ts"],
            last_ts=row["last_ts"], n_articles=row["n_articles"], dated=bool(row["dated"]),
            languages=json.loads(row["languages"]), outlets=json.loads(row["outlets"]),
            entities=json.loads(row["entities"]),
        )

    def save_story(self, story: StoryRow) -> None:
        self._run(
            "INSERT INTO stories (id, title, title_article_id, first_ts, last_ts, dated, first_seen, last_seen,"
            " n_articles, languages, outlets, entities) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
        self._run("DELETE FROM stories WHERE id = %s", (story_id,))

    def move_story(self, source: str, target: str) -> None:
        self._run("UPDATE articles SET story_id = %s WHERE story_id = %s", (target, source))
        self._run(
            "INSERT INTO story_entities (story_id, entity_id, n, last_ts)"
            " SELECT %s, entity_id, n, last_ts FROM story_entities WHERE story_id = %s"
            " ON CONFLICT (story_id, entity_id) DO UPDATE SET n = story_entities.n + excluded.n,"
            " last_ts = GREATEST(story_entities.last_ts, excluded.last_ts)",
            (target, source),
        )
        self._run("DELETE FROM stories WHERE id = %s", (source,))

    def story_members(self, story_id: str) -> list[ArticleRow]:
        rows = self._all(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE story_id = %s AND is_latest = 1 ORDER BY ts, id", (story_id,)
        )
        return [read_article_row(r) for r in rows]

    def bump_story_entities(self, story_id: str, entity_ids: Iterable[str], ts: float, delta: int) -> None:
        ids = list(entity_ids)
        if delta > 0:
            self._many(
                "INSERT INTO story_entities (story_id, entity_id, n, last_ts) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (story_id, entity_id) DO UPDATE SET n = story_entities.n + excluded.n,"
                " last_ts = GREATEST(story_entities.last_ts, excluded.last_ts)",
                [(story_id, eid, delta, ts) for eid in ids],
            )
            return
        self._run(
            "UPDATE story_entities SET n = n + %s WHERE story_id = %s AND entity_id = ANY(%s)", (delta, story_id, ids)
        )
        self._run("DELETE FROM story_entities WHERE story_id = %s AND n <= 0", (story_id,))

    def top_story_entities(self, story_id: str, k: int) -> list[str]:
        rows = self._all(
            "SELECT entity_id FROM story_entities WHERE story_id = %s ORDER BY n DESC, entity_id LIMIT %s", (story_id, k)
        )
        return [r["entity_id"] for r in rows]

    def clear_stories(self) -> None:
        self._run(
            "UPDATE articles SET story_id = NULL, duplicate_of = NULL WHERE story_id IS NOT NULL OR duplicate_of IS NOT NULL"
        )
        self._run(
            "UPDATE postings SET ts = %s WHERE rid IN"
            " (SELECT rid FROM articles WHERE date_basis != 'published' AND cluster_ts IS NOT NULL)",
            (UNKNOWN_TS,),
        )
        self._run("UPDATE articles SET cluster_ts = NULL WHERE date_basis != 'published' AND cluster_ts IS NOT NULL")
        self._run("DELETE FROM story_entities")
        self._run("DELETE FROM stories")

    def story_assignment(self) -> dict[str, str]:
        rows = self._all("SELECT id, story_id FROM articles WHERE is_latest = 1 ORDER BY id")
        return {r["id"]: r["story_id"] for r in rows}

    # -- meetings and events --------------------------------------------
    def meeting_rows(self, *, rid: int | None = None, event_id: str | None = None) -> list[MeetingRow]:
        where, value = ("m.rid = %s", rid) if rid is not None else ("m.event_id = %s", event_id)
        rows = self._all(
            "SELECT m.id, m.rid, m.idx, m.data, m.event_id, a.id AS article_id, a.ts, a.day, a.language, a.outlet,"
            f" a.url, a.story_id, a.date_basis, a.cluster_ts FROM meetings m JOIN articles a ON a.rid = m.rid"
            f" WHERE {where} ORDER BY a.ts, a.id, m.idx",
            (value,),
        )
        return [
            MeetingRow(
                id=r["id"], rid=r["rid"], article_id=r["article_id"], idx=r["idx"], data=json.loads(r["data"]),
                ts=r["ts"], day=r["day"], language=r["language"], outlet=r["outlet"], url=r["url"],
                story_id=r["story_id"], event_id=r["event_id"], date_basis=r["date_basis"], cluster_ts=r["cluster_ts"],
            )
            for r in rows
        ]

    def find_events(self, keys: Iterable[str], ord_from: int, ord_to: int, limit: int) -> list[str]:
        found: list[str] = []
        for key in keys:
            for r in self._all(
                "SELECT event_id FROM event_participants WHERE key = %s AND date_ord BETWEEN %s AND %s LIMIT %s",
                (key, ord_from, ord_to, limit),
            ):
                if r["event_id"] not in found:
                    found.append(r["event_id"])
        return found

    def save_event(self, event_id: str, merged: dict[str, Any], meeting_ids: list[str], keys: list[str], date_ord: int) -> None:
        date = merged.get("date") or {}
        place = merged.get("place") or {}
        kind = merged.get("kind") or {}
        cameo = merged.get("cameo") or {}
        with self.pg.pipeline():
            self._run(
                "INSERT INTO events (id, date, date_ord, kind, cameo, place, planned, n_sources, data)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO UPDATE SET date = excluded.date,"
                " date_ord = excluded.date_ord, kind = excluded.kind, cameo = excluded.cameo, place = excluded.place,"
                " planned = excluded.planned, n_sources = excluded.n_sources, data = excluded.data",
                (
                    event_id, date.get("value"), date_ord, kind.get("value"), cameo.get("value"),
                    to_json(place["value"]) if place.get("value") is not None else None, int(bool(merged.get("planned"))),
                    len(merged.get("sources") or []), to_json(merged),
                ),
            )
            self._run("DELETE FROM event_participants WHERE event_id = %s", (event_id,))
            self._many(
                "INSERT INTO event_participants (key, event_id, date_ord) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(key, event_id, date_ord) for key in keys],
            )
            self._run("UPDATE meetings SET event_id = NULL WHERE event_id = %s", (event_id,))
            self._run("UPDATE meetings SET event_id = %s WHERE id = ANY(%s)", (event_id, list(meeting_ids)))

    def delete_event(self, event_id: str) -> None:
        self._run("UPDATE meetings SET event_id = NULL WHERE event_id = %s", (event_id,))
        self._run("DELETE FROM events WHERE id = %s", (event_id,))

    def clear_events(self) -> None:
        self._run("UPDATE meetings SET event_id = NULL WHERE event_id IS NOT NULL")
        self._run("DELETE FROM event_participants")
        self._run("DELETE FROM events")

    # -- search ----------------------------------------------------------
    def match_aliases(self, norms: Iterable[str]) -> dict[str, set[str]]:
        norms = list(dict.fromkeys(norms))
        found: dict[str, set[str]] = {}
        for r in self._all("SELECT DISTINCT norm, entity_id FROM aliases WHERE norm = ANY(%s)", (norms,)):
            found.setdefault(r["norm"], set()).add(r["entity_id"])
        return found

    def entity_phrases(self, entity_ids: Iterable[str], limit: int) -> list[str]:
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        rows = self._all(
            "SELECT phrase, COUNT(*) AS n FROM aliases WHERE entity_id = ANY(%s) AND kind != 'token'"
            " AND phrase != '' GROUP BY phrase ORDER BY n DESC, phrase LIMIT %s",
            (ids, limit),
        )
        return [r["phrase"] for r in rows]

    def has_entity(self, entity_id: str) -> bool:
        return self._one("SELECT 1 FROM entities WHERE id = %s", (entity_id,)) is not None

    @staticmethod
    def _conditions(filters: Filters) -> tuple[list[str], list[Any]]:
        where: list[str] = []
        params: list[Any] = []
        for column, value, op in (
            ("a.language", filters.language, "="), ("a.outlet", filters.outlet, "="),
            ("a.day", filters.date_from, ">="), ("a.day", filters.date_to, "<="),
        ):
            if value:
                where.append(f"{column} {op} %s")
                params.append(value)
        if filters.topic:
            where.append("EXISTS (SELECT 1 FROM article_topics t WHERE t.rid = a.rid AND t.topic = %s)")
            params.append(filters.topic)
        if filters.entity_ids is not None:
            where.append("EXISTS (SELECT 1 FROM article_entities e WHERE e.rid = a.rid AND e.entity_id = ANY(%s))")
            params.append(list(filters.entity_ids))
        return where, params

    def search_articles(self, groups: list[list[str]], filters: Filters, limit: int) -> list[dict[str, Any]]:
        if filters.entity_ids is not None and not list(filters.entity_ids):
            return []
        where, params = self._conditions(filters)
        columns = "a.rid, a.id, a.title, a.url, a.outlet, a.language, a.published, a.day, a.story_id, a.body"
        conditions = "".join(f" AND {w}" for w in where)
        if not groups:
            sql = (
                f"SELECT {columns}, 0.0::float8 AS score FROM articles a WHERE a.is_latest = 1{conditions}"
                " ORDER BY a.ts DESC, a.id LIMIT %s"
            )
            return self._all(sql, (*params, limit))
        query, query_params = tsquery(groups)
        # Scores are negated ts_rank so that, as with SQLite's bm25, lower is
        # better (newsgraph.search shows -score). As in the SQLite store, the
        # RANK_WINDOW most recently stored matches are ranked first (the GIN
        # index finds them without reading every match's tsvector), and all
        # matches only when the filters leave too few of those.
        windowed = (
            f"WITH q AS (SELECT {query} AS q),"
            " w AS (SELECT f.rid, f.tsv FROM articles_fts f, q WHERE f.tsv @@ q.q ORDER BY f.rid DESC LIMIT %s)"
            f" SELECT {columns}, -ts_rank(w.tsv, q.q)::float8 AS score FROM w CROSS JOIN q JOIN articles a ON a.rid = w.rid"
            f" WHERE TRUE{conditions} ORDER BY score, a.rid DESC LIMIT %s"
        )
        rows = self._all(windowed, (*query_params, RANK_WINDOW, *params, limit))
        if len(rows) >= limit or not where:
            return rows
        full = (
            f"WITH q AS (SELECT {query} AS q)"
            f" SELECT {columns}, -ts_rank(f.tsv, q.q)::float8 AS score FROM articles_fts f CROSS JOIN q"
            f" JOIN articles a ON a.rid = f.rid WHERE f.tsv @@ q.q{conditions} ORDER BY score, a.rid DESC LIMIT %s"
        )
        return self._all(full, (*query_params, *params, limit))

    # -- export and stats -----------------------------------------------
    def iter_rows(self, what: str) -> Iterator[dict[str, Any]]:
        # json_agg(...)::text keeps every JSON column a string, decoded below
        # like the stored JSON text columns.
        queries = {
            "articles": (
                "SELECT a.id, a.origin, a.url, a.outlet, a.aggregator, a.language, a.title, a.published, a.day,"
                " a.date_basis, a.version, a.is_latest, a.previous_id, a.story_id, a.duplicate_of, a.ingested_at,"
                " (SELECT COALESCE(json_agg(topic ORDER BY topic), '[]')::text FROM article_topics t WHERE t.rid = a.rid) AS topics,"
                " (SELECT COALESCE(json_agg(entity_id ORDER BY entity_id), '[]')::text FROM article_entities e WHERE e.rid = a.rid) AS entities,"
                " a.warnings, a.body FROM articles a ORDER BY a.ts, a.id",
                ("topics", "entities", "warnings"),
            ),
            "entities": (
                "SELECT e.id, e.type, e.name, e.wikidata,"
                " (SELECT COALESCE(json_object_agg(language, lemma), '{}')::text FROM entity_lemmas l WHERE l.entity_id = e.id) AS lemmas,"
                " (SELECT COALESCE(json_agg(form ORDER BY form), '[]')::text FROM (SELECT DISTINCT form FROM aliases s WHERE s.entity_id = e.id AND s.kind != 'token') f) AS aliases,"
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
                " (SELECT COALESCE(json_agg(story_id ORDER BY story_id), '[]')::text FROM (SELECT DISTINCT a.story_id FROM meetings m"
                " JOIN articles a ON a.rid = m.rid WHERE m.event_id = v.id AND a.story_id IS NOT NULL) s) AS story_ids,"
                " v.data FROM events v ORDER BY v.date_ord, v.id",
                ("place", "story_ids", "data"),
            ),
            "quotes": (
                'SELECT q.id, a.id AS article_id, q.idx, q.text, q.start, q."end", q.speaker_id, q.speaker, a.is_latest'
                " FROM quotes q JOIN articles a ON a.rid = q.rid ORDER BY a.ts, a.id, q.idx",
                ("speaker",),
            ),
            "stories": (
                "SELECT s.id, s.title, s.title_article_id, s.first_seen, s.last_seen, s.n_articles, s.languages,"
                " s.outlets, s.entities,"
                " (SELECT COALESCE(json_agg(id ORDER BY ts, id), '[]')::text FROM articles a WHERE a.story_id = s.id AND a.is_latest = 1) AS article_ids"
                " FROM stories s ORDER BY s.first_ts, s.id",
                ("languages", "outlets", "entities", "article_ids"),
            ),
        }
        if what not in queries:
            raise ValueError(f"unknown table {what!r}; expected one of {', '.join(queries)}")
        sql, json_columns = queries[what]
        # A server-side cursor WITH HOLD streams a large export in chunks
        # instead of loading it whole: the server keeps the result (one
        # consistent snapshot) without holding a transaction open, so writes
        # made while the rows are read commit as usual.
        self._cursors += 1
        with self.pg.cursor(name=f"newsgraph_rows_{self._cursors}", withhold=True) as cur:
            cur.execute(sql)
            for record in cur:
                for column in json_columns:
                    if record.get(column) is not None:
                        record[column] = json.loads(record[column])
                for flag in ("is_latest", "planned"):
                    if flag in record:
                        record[flag] = bool(record[flag])
                yield record

    def stats(self) -> dict[str, int]:
        tables = (
            "articles", "sources", "errors", "entities", "aliases", "mentions", "meetings", "events", "quotes",
            "stories", "article_topics",
        )
        # Table names come from the fixed tuple above, never from input.
        counts = {t: self._value(f"SELECT COUNT(*) FROM {t}") for t in tables}
        counts["latest_articles"] = self._value("SELECT COUNT(*) FROM articles WHERE is_latest = 1")
        counts["duplicates"] = self._value(
            "SELECT COUNT(*) FROM articles WHERE is_latest = 1 AND duplicate_of IS NOT NULL"
        )
        return counts
