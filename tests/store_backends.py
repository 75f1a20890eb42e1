"""Store tests on both backends: fixtures (registered by conftest.py) and helpers.

- `backend`: "sqlite" or "postgresql" (module scope, so module fixtures can
  build one store per backend). The PostgreSQL parameter runs against the
  server in NEWSGRAPH_TEST_PG and skips when that is unset.
- `store_url`: a fresh, empty store URL of the backend, per test.
- `module_store_url`: the same, shared by one module's tests.
- `pg_url`: a fresh PostgreSQL store URL (skips without a server), for tests
  that are about PostgreSQL only.

Every PostgreSQL store is a schema of its own (created empty, dropped with
everything in it afterwards), selected through the URL's search_path, so a
test sees nothing of any other test.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PG_ENV = "NEWSGRAPH_TEST_PG"
SKIP_REASON = f"set {PG_ENV}=postgresql://... to run the PostgreSQL suite"
TIME_COLUMNS = {"ingested_at", "seen_at", "applied_at"}


def pg_server() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextmanager
def fresh_pg_url() -> Iterator[str]:
    """A URL of a new, empty schema on the test server, dropped afterwards."""
    server = pg_server()
    if not server:
        pytest.skip(SKIP_REASON)
    import psycopg

    schema = f"newsgraph_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}")  # a fixed pattern of hex digits, not input
    try:
        yield server + ("&" if "?" in server else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {schema} CASCADE")


@contextmanager
def fresh_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(folder / "news.db")
        return
    with fresh_pg_url() as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request) -> str:
    if request.param == "postgresql":
        if not pg_server():
            pytest.skip(SKIP_REASON)
        pytest.importorskip("psycopg", reason="the PostgreSQL suite needs psycopg: pip install -e '.[postgres]'")
    return request.param


@pytest.fixture
def store_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with fresh_url(backend, tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def module_store_url(backend: str, tmp_path_factory) -> Iterator[str]:
    with fresh_url(backend, tmp_path_factory.mktemp("store")) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    with fresh_pg_url() as url:
        yield url


def _tables(url: str) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every table of a store: (column names, rows)."""
    out = {}
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as con:
            names = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )]
            for name in names:
                cur = con.execute(f'SELECT * FROM "{name}"')  # names read from the catalogue
                out[name] = ([d.name for d in cur.description], cur.fetchall())
        return out
    con = sqlite3.connect(url)
    names = [r[0] for r in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'articles_fts%'"
    )]
    for name in names:
        cur = con.execute(f'SELECT * FROM "{name}"')
        out[name] = ([d[0] for d in cur.description], cur.fetchall())
    out["articles_fts"] = (["rid", "lemmas"], con.execute("SELECT rowid, lemmas FROM articles_fts").fetchall())
    con.close()
    return out


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def dump(url: str | os.PathLike) -> dict[str, list]:
    """Every table's rows, sorted, without the columns that hold wall-clock
    times or are computed from others (PostgreSQL's tsvector): two stores
    built from the same pages compare equal."""
    out = {}
    for name, (columns, rows) in _tables(os.fspath(url)).items():
        keep = [i for i, c in enumerate(columns) if c not in TIME_COLUMNS and c != "tsv"]
        out[name] = sorted((tuple(_plain(row[i]) for i in keep) for row in rows), key=repr)
    return out


def count_rows(url: str | os.PathLike, table: str) -> int:
    """Rows in a table of a store another process is writing; 0 while the
    store or table does not exist yet. `table` is a name from the test."""
    url = os.fspath(url)
    if url.startswith("postgresql://"):
        import psycopg

        try:
            with psycopg.connect(url) as con:
                return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        except psycopg.Error:
            return 0
    if not Path(url).exists():
        return 0
    try:
        con = sqlite3.connect(url)
        try:
            return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0
