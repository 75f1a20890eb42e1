"""Read-only queries behind the web UI and its JSON API.

The store interface (newsgraph.store.base) is built for ingest; the pages
need a few listing queries it does not have (the story feed, a story's
events, an entity's meetings, quotes and articles). They live here, as
plain functions over a DB-API connection: parameterised SQL with `?`
placeholders only, no JSON functions and no other SQLite dialect, so that
they run unchanged on the PostgreSQL backend when it comes (with a `?`
paramstyle adapter). JSON columns are decoded in Python. Every query is
bounded by a LIMIT.

`ReadOnlyStore` opens the SQLite file read-only (`mode=ro`, `query_only`),
so nothing the web app does can write, and gives the search API the
`Store` it expects. A progress handler aborts any statement that runs past
the request's deadline.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsgraph.store.sqlite import SQLiteStore

MAX_IN = 500  # values per IN (...) list
MAX_EVENT_SCAN = 20_000  # events read to answer one filtered meetings query
STORY_MEMBERS = 500  # articles listed on a story page
PROGRESS_STEPS = 2_000  # SQLite VM instructions between deadline checks


class QueryTimeout(RuntimeError):
    """A request's database work ran past its deadline."""


# -- connections -------------------------------------------------------------


class ReadOnlyStore(SQLiteStore):
    """The SQLite store opened read-only: no migration, no pragma that
    writes, `query_only` on. It has the full `Store` read API (search,
    get_article...) and writes fail in SQLite itself."""

    def __init__(self, path: str | os.PathLike, deadline: float | None = None):  # noqa: D107 - no super(): it migrates
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        uri = "file:" + quote(str(Path(self.path).resolve())) + "?mode=ro"
        # check_same_thread off: FastAPI may run a request's dependency and
        # handler on different pool threads; one request uses it at a time.
        self.db = sqlite3.connect(uri, uri=True, timeout=10.0, isolation_level=None, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA query_only = ON")
        # One read transaction per request: every query of a page sees the
        # same snapshot (WAL), whatever an ingest commits meanwhile, so a
        # count and its list, or a story and its articles, always agree.
        self.db.execute("BEGIN")
        self._depth = 0
        if deadline is not None:
            self.db.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)

    def migrate(self) -> None:  # a reader never changes the schema
        raise PermissionError("the web store is read-only")


@contextmanager
def reader(path: str, timeout_s: float | None) -> Iterator[ReadOnlyStore]:
    """A read-only store for one request; a statement still running after
    `timeout_s` seconds is interrupted and raises QueryTimeout."""
    if path.startswith(("postgres://", "postgresql://")):
        from newsgraph.web import pg

        with pg.reader(path, timeout_s) as store:
            yield store
        return
    deadline = time.monotonic() + timeout_s if timeout_s else None
    store = ReadOnlyStore(path, deadline)
    try:
        yield store
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            raise QueryTimeout("the query took too long") from exc
        raise
    finally:
        store.close()


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _chunks(values: list, size: int = MAX_IN) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _json(text: str | None, default: Any) -> Any:
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _ordinal(day: str | None) -> int | None:
    try:
        return date.fromisoformat(day).toordinal() if day else None
    except ValueError:
        return None


# -- knowledge base ----------------------------------------------------------


@cache
def kb():
    from newsgraph.kb import load_kb

    return load_kb()


def kb_name(entity_id: str, lang: str) -> str | None:
    entry = kb().get(entity_id)
    return entry.name(lang) if entry else None


def country_name(code_or_id: str | None, lang: str) -> str | None:
    """A role's `of` (ISO country code or KB id) as a display name."""
    if not code_or_id:
        return None
    entry = kb().country(code_or_id) if len(code_or_id) == 2 and code_or_id.isupper() else kb().get(code_or_id)
    return entry.name(lang) if entry else code_or_id


def entity_country(entity_id: str | None) -> str | None:
    entry = kb().get(entity_id) if entity_id else None
    return entry.country if entry else None


# -- entities ----------------------------------------------------------------


def entity_names(conn: sqlite3.Connection, ids: Iterable[str], lang: str) -> dict[str, dict[str, Any]]:
    """id -> {id, name, type, wikidata} with the name in `lang` where known
    (KB name, else the lemma seen in that language, else the stored name)."""
    ids = sorted({i for i in ids if i})
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        rows = conn.execute(
            "SELECT e.id, e.type, e.name, e.wikidata, l.lemma FROM entities e"
            " LEFT JOIN entity_lemmas l ON l.entity_id = e.id AND l.language = ?"
            f" WHERE e.id IN ({_marks(len(chunk))})",
            (lang, *chunk),
        )
        for row in rows:
            name = kb_name(row["id"], lang) or (row["lemma"] if lang != "en" else None) or row["name"]
            found[row["id"]] = {"id": row["id"], "name": name, "type": row["type"], "wikidata": row["wikidata"]}
    for missing in set(ids) - set(found):
        entry = kb().get(missing)
        if entry is not None:
            found[missing] = {"id": missing, "name": entry.name(lang), "type": entry.type, "wikidata": entry.wikidata}
    return found


def entity_row(conn: sqlite3.Connection, entity_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT id, type, name, wikidata FROM entities WHERE id = ?", (entity_id,)).fetchone()
    return dict(row) if row else None


def entity_lemmas(conn: sqlite3.Connection, entity_id: str) -> dict[str, str]:
    rows = conn.execute("SELECT language, lemma FROM entity_lemmas WHERE entity_id = ? ORDER BY language", (entity_id,))
    return {r["language"]: r["lemma"] for r in rows}


def entity_forms(conn: sqlite3.Connection, entity_id: str, limit: int = 24) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT form FROM aliases WHERE entity_id = ? AND kind IN ('form', 'lemma') ORDER BY form LIMIT ?",
        (entity_id, limit),
    )
    return [r["form"] for r in rows]


def reported_roles(conn: sqlite3.Connection, entity_id: str, limit: int = 30) -> list[dict[str, Any]]:
    """The roles articles gave the entity in meetings, with when they were
    reported: the days of dated articles only (an undated article's day is
    the day it was ingested); NULL days when only undated ones gave it."""
    rows = conn.execute(
        "SELECT mp.role, MIN(a.dated_day) AS first_day, MAX(a.dated_day) AS last_day, COUNT(*) AS n"
        " FROM meeting_participants mp JOIN meetings m ON m.id = mp.meeting_id"
        " JOIN (SELECT rid, CASE WHEN date_basis = 'published' THEN day END AS dated_day FROM articles"
        "       WHERE is_latest = 1) a ON a.rid = m.rid"
        " WHERE mp.entity_id = ? AND mp.role IS NOT NULL"
        " GROUP BY mp.role ORDER BY MIN(a.dated_day) IS NULL, MIN(a.dated_day), mp.role LIMIT ?",
        (entity_id, limit),
    )
    return [dict(r) for r in rows if r["role"]]


def entity_quotes(conn: sqlite3.Connection, entity_id: str, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT q.id, q.text, a.id AS article_id, a.title, a.day, a.date_basis, a.language, a.outlet"
        " FROM quotes q JOIN articles a ON a.rid = q.rid"
        " WHERE q.speaker_id = ? AND a.is_latest = 1"
        " ORDER BY a.date_basis = 'published' DESC, a.ts DESC, q.id LIMIT ?",  # undated (ingest times) last
        (entity_id, limit),
    )
    return [dict(r) for r in rows]


def entity_articles(conn: sqlite3.Connection, entity_id: str, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.id, a.title, a.outlet, a.language, a.day, a.date_basis, a.story_id, ae.mentions"
        " FROM article_entities ae JOIN articles a ON a.rid = ae.rid"
        " WHERE ae.entity_id = ? AND a.is_latest = 1"
        " ORDER BY a.date_basis = 'published' DESC, a.ts DESC, a.id LIMIT ? OFFSET ?",  # undated (ingest times) last
        (entity_id, limit, offset),
    )
    return [dict(r) for r in rows]


def entity_article_count(conn: sqlite3.Connection, entity_id: str) -> int:
    row = conn.execute(
        "SELECT COUNT(*) FROM article_entities ae JOIN articles a ON a.rid = ae.rid"
        " WHERE ae.entity_id = ? AND a.is_latest = 1",
        (entity_id,),
    ).fetchone()
    return int(row[0])


# -- facets ------------------------------------------------------------------


def topic_counts(conn: sqlite3.Connection, limit: int = 100) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT t.topic, COUNT(*) AS n FROM article_topics t JOIN articles a ON a.rid = t.rid"
        " WHERE a.is_latest = 1 GROUP BY t.topic ORDER BY n DESC, t.topic LIMIT ?",
        (limit,),
    )
    return [(r["topic"], r["n"]) for r in rows]


def language_counts(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = conn.execute(
        "SELECT language, COUNT(*) AS n FROM articles WHERE is_latest = 1 AND language IS NOT NULL"
        " GROUP BY language ORDER BY n DESC, language LIMIT 50"
    )
    return [(r["language"], r["n"]) for r in rows]


# -- stories -----------------------------------------------------------------


def _story(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"], "title": row["title"], "title_article_id": row["title_article_id"],
        "first_seen": row["first_seen"], "last_seen": row["last_seen"], "dated": bool(row["dated"]),
        "n_articles": row["n_articles"], "languages": _json(row["languages"], []),
        "outlets": _json(row["outlets"], []), "entities": _json(row["entities"], []),
    }


_STORY_COLUMNS = (
    "s.id, s.title, s.title_article_id, s.first_seen, s.last_seen, s.dated, s.n_articles, s.languages,"
    " s.outlets, s.entities"
)


def list_stories(
    conn: sqlite3.Connection, *, language: str | None = None, topic: str | None = None,
    entity_ids: list[str] | None = None, limit: int = 30, offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """The newest stories matching the filters, and how many match."""
    where, params = ["1 = 1"], []
    if language:
        where.append("EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id AND a.is_latest = 1 AND a.language = ?)")
        params.append(language)
    if topic:
        # IN, not a correlated EXISTS: the topic's articles are read once, not
        # once per story (SQLite drives EXISTS from the topic index every time).
        where.append(
            "s.id IN (SELECT a.story_id FROM article_topics t JOIN articles a ON a.rid = t.rid"
            " WHERE t.topic = ? AND a.is_latest = 1)"
        )
        params.append(topic)
    if entity_ids is not None:
        if not entity_ids:
            return [], 0
        ids = entity_ids[:MAX_IN]
        where.append("EXISTS (SELECT 1 FROM story_entities se WHERE se.story_id = s.id"
                     f" AND se.entity_id IN ({_marks(len(ids))}))")
        params.extend(ids)
    clause = " AND ".join(where)
    total = conn.execute(f"SELECT COUNT(*) FROM stories s WHERE {clause}", params).fetchone()[0]
    rows = conn.execute(
        # Undated stories' times are ingest times, not news times: they come after the dated ones.
        f"SELECT {_STORY_COLUMNS} FROM stories s WHERE {clause} ORDER BY s.dated DESC, s.last_ts DESC, s.id"
        " LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    return [_story(r) for r in rows], int(total)


def story_topics(conn: sqlite3.Connection, story_ids: list[str], per_story: int = 3) -> dict[str, list[str]]:
    """The most frequent topics of each story's articles."""
    counts: dict[str, Counter] = {}
    for chunk in _chunks(story_ids):
        rows = conn.execute(
            "SELECT a.story_id, t.topic, COUNT(*) AS n FROM articles a JOIN article_topics t ON t.rid = a.rid"
            f" WHERE a.is_latest = 1 AND a.story_id IN ({_marks(len(chunk))}) GROUP BY a.story_id, t.topic",
            chunk,
        )
        for row in rows:
            counts.setdefault(row["story_id"], Counter())[row["topic"]] = row["n"]
    return {sid: [t for t, _ in sorted(c.items(), key=lambda x: (-x[1], x[0]))[:per_story]]
            for sid, c in counts.items()}


def get_story(conn: sqlite3.Connection, story_id: str) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", (story_id,)).fetchone()
    return _story(row) if row else None


def story_articles(conn: sqlite3.Connection, story_id: str, limit: int = STORY_MEMBERS) -> list[dict[str, Any]]:
    rows = conn.execute(
        "SELECT a.id, a.title, a.url, a.outlet, a.language, a.published, a.day, a.date_basis, a.duplicate_of"
        " FROM articles a WHERE a.story_id = ? AND a.is_latest = 1 ORDER BY a.ts, a.id LIMIT ?",
        (story_id, limit),
    )
    return [dict(r) for r in rows]


def article_titles(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    ids = sorted({i for i in ids if i})
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(ids):
        rows = conn.execute(
            f"SELECT id, title, outlet, language, day, date_basis, url FROM articles WHERE id IN ({_marks(len(chunk))})",
            chunk,
        )
        for row in rows:
            found[row["id"]] = dict(row)
    return found


def article_meta(conn: sqlite3.Connection, article_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT id, origin, url, outlet, language, title, published, day, date_basis, version, is_latest,"
        " story_id, duplicate_of FROM articles WHERE id = ?",
        (article_id,),
    ).fetchone()
    return dict(row) if row else None


def article_bodies(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, str]:
    ids = sorted(set(ids))
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        for row in conn.execute(f"SELECT id, body FROM articles WHERE id IN ({_marks(len(chunk))})", chunk):
            found[row["id"]] = row["body"]
    return found


# -- events (merged meetings) -----------------------------------------------


def _event(row: sqlite3.Row) -> dict[str, Any]:
    data = _json(row["data"], {})
    return {"id": row["id"], "date": row["date"], "n_sources": row["n_sources"], "planned": bool(row["planned"]),
            "data": data if isinstance(data, dict) else {}}


_EVENT_COLUMNS = "v.id, v.date, v.date_ord, v.n_sources, v.planned, v.data"


def events_by_ids(conn: sqlite3.Connection, ids: Iterable[str]) -> list[dict[str, Any]]:
    ids = sorted(set(ids))
    found = []
    for chunk in _chunks(ids):
        rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM events v WHERE v.id IN ({_marks(len(chunk))})", chunk)
        found.extend((r["date_ord"], r["id"], _event(r)) for r in rows)
    return [e for _, _, e in sorted(found, key=lambda x: (x[0], x[1]))]


def story_event_ids(conn: sqlite3.Connection, story_id: str, limit: int = 200) -> list[str]:
    rows = conn.execute(
        "SELECT DISTINCT m.event_id FROM meetings m JOIN articles a ON a.rid = m.rid"
        " WHERE a.story_id = ? AND a.is_latest = 1 AND m.event_id IS NOT NULL LIMIT ?",
        (story_id, limit),
    )
    return [r[0] for r in rows]


def _event_filter(participant_keys: list[str] | None, date_from: str | None,
                  date_to: str | None) -> tuple[str, list[Any]] | None:
    """The SQL side of a meetings query (participant and date range, both
    indexed); None when it can match nothing."""
    where, params = ["1 = 1"], []
    lo, hi = _ordinal(date_from), _ordinal(date_to)
    if lo is not None:
        where.append("v.date_ord >= ?")
        params.append(lo)
    if hi is not None:
        where.append("v.date_ord <= ?")
        params.append(hi)
    if lo is not None or hi is not None:
        # An undated report's meeting carries its ingest day: it has no date to be in a range.
        where.append("json_extract(v.data, '$.date.basis') IS NOT 'ingested'")
    if participant_keys is not None:
        keys = participant_keys[:MAX_IN]
        if not keys:
            return None
        where.append(f"v.id IN (SELECT p.event_id FROM event_participants p WHERE p.key IN ({_marks(len(keys))}))")
        params.extend(keys)
    return " AND ".join(where), params


def scan_events(
    conn: sqlite3.Connection, *, participant_keys: list[str] | None = None, date_from: str | None = None,
    date_to: str | None = None, limit: int = MAX_EVENT_SCAN, offset: int = 0,
) -> Iterator[dict[str, Any]]:
    """Events newest first, filtered in SQL by participant and date range;
    the caller filters the rest in Python."""
    found = _event_filter(participant_keys, date_from, date_to)
    if found is None:
        return
    where, params = found
    rows = conn.execute(
        # An undated report's meeting is ordered by its ingest day: after the dated ones.
        f"SELECT {_EVENT_COLUMNS} FROM events v WHERE {where}"
        f" ORDER BY json_extract(v.data, '$.date.basis') IS 'ingested', v.date_ord DESC, v.id LIMIT ? OFFSET ?",
        (*params, limit, offset),
    )
    for row in rows:
        yield _event(row)


def count_events(conn: sqlite3.Connection, *, participant_keys: list[str] | None = None,
                 date_from: str | None = None, date_to: str | None = None) -> int:
    found = _event_filter(participant_keys, date_from, date_to)
    if found is None:
        return 0
    where, params = found
    return int(conn.execute(f"SELECT COUNT(*) FROM events v WHERE {where}", params).fetchone()[0])


def entity_event_ids(conn: sqlite3.Connection, entity_id: str, limit: int = 500) -> list[str]:
    rows = conn.execute(
        "SELECT event_id FROM event_participants WHERE key = ? ORDER BY date_ord DESC LIMIT ?", (entity_id, limit)
    )
    return list(dict.fromkeys(r[0] for r in rows))
