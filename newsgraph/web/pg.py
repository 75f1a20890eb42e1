"""The web layer over a PostgreSQL store.

newsgraph.web.queries holds plain SQL written for a DB-API connection with
`?` placeholders and sqlite3.Row rows. `QmarkConnection` gives it a
psycopg connection in that shape, rewriting the only SQLite dialect those
queries use:

- `?` placeholders -> `%s` (and a literal `%` -> `%%`);
- `json_extract(col, '$.a.b')` -> `(col::json #>> '{a,b}')`;
- `x IS 'text'` / `x IS NOT 'text'` -> `IS [NOT] DISTINCT FROM 'text'`.

The rewriting reads only the fixed SQL text of newsgraph.web.queries;
values from requests stay parameters.

`PostgresReader` is the store a request reads: one read-only REPEATABLE
READ transaction (every query of a page sees one snapshot, whatever an
ingest commits meanwhile), statements cancelled by the server past the
request's deadline.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsgraph.store.postgres import PostgresStore, connect, psycopg, redact
from newsgraph.web.queries import QueryTimeout

_JSON_EXTRACT = re.compile(r"json_extract\(\s*([\w.]+)\s*,\s*'\$\.([\w.]+)'\s*\)")
_IS_TEXT = re.compile(r"\bIS\s+(NOT\s+)?(?='[^']*')", re.IGNORECASE)


def to_postgres(sql: str) -> str:
    """The PostgreSQL text of one of the web layer's SQLite queries."""
    sql = _JSON_EXTRACT.sub(lambda m: f"({m[1]}::json #>> '{{{m[2].replace('.', ',')}}}')", sql)
    sql = _IS_TEXT.sub(lambda m: "IS DISTINCT FROM " if m[1] else "IS NOT DISTINCT FROM ", sql)
    return sql.replace("%", "%%").replace("?", "%s")


class Row(tuple):
    """A row read by position or by column name, like sqlite3.Row."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def _row_factory(cursor: Any):
    names = tuple(d.name for d in cursor.description or ())
    row_type = type("Row", (Row,), {"_names": names})
    return lambda values: row_type(values)


class QmarkConnection:
    """The part of a sqlite3 connection newsgraph.web.queries uses:
    execute(sql, params) -> a cursor with fetchone/fetchall/iteration."""

    def __init__(self, pg: Any, deadline: float | None):
        self.pg = pg
        self.deadline = deadline

    def execute(self, sql: str, params: Any = ()) -> Any:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise QueryTimeout("the query took too long")
        cursor = self.pg.cursor(row_factory=_row_factory)
        return cursor.execute(to_postgres(sql), tuple(params))


class PostgresReader(PostgresStore):
    """The PostgreSQL store opened for one request: read-only, no migration."""

    def __init__(self, url: str, timeout_s: float | None = None):  # noqa: D107 - no super(): it migrates
        self.url = redact(url)
        self.pg = connect(url, autocommit=False)
        self.pg.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.pg.read_only = True
        self._depth = 0
        self._cursors = 0
        deadline = None
        if timeout_s:
            deadline = time.monotonic() + timeout_s
            # is_local: for this transaction only (the request).
            self.pg.execute("SELECT set_config('statement_timeout', %s, true)", (str(int(timeout_s * 1000)),))
        self.db = QmarkConnection(self.pg, deadline)

    def migrate(self) -> None:  # a reader never changes the schema
        raise PermissionError("the web store is read-only")


@contextmanager
def reader(url: str, timeout_s: float | None) -> Iterator[PostgresReader]:
    """A read-only PostgreSQL store for one request; a statement still
    running after `timeout_s` seconds is cancelled and raises QueryTimeout."""
    store = PostgresReader(url, timeout_s)
    try:
        yield store
    except psycopg.errors.QueryCanceled as exc:
        raise QueryTimeout("the query took too long") from exc
    finally:
        store.close()
