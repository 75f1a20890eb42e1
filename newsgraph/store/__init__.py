"""The persistent store: articles, entities, meetings, events, quotes and
stories. `open_store` picks the backend from a URL or path; everything else
talks to the `Store` interface (newsgraph.store.base)."""

from __future__ import annotations

import os
from pathlib import Path

from newsgraph.store.base import Store

__all__ = ["Store", "StoreUnavailable", "open_store"]


class StoreUnavailable(RuntimeError):
    """The store cannot be opened: no server at the URL, a refused login,
    a driver that is not installed. The message says which, for the user."""


def open_store(url_or_path: str | os.PathLike | Store) -> Store:
    """Open (creating and migrating as needed) the store at a path or URL:
    `news.db`, `sqlite:///news.db`, `sqlite:////abs/news.db`, `sqlite://` (in memory), or a
    PostgreSQL server: `postgresql://user[:password]@host[:port]/dbname` (libpq URL; query
    parameters such as `?options=-csearch_path%3Dnews` or `?sslmode=require` pass through).
    A Store passes through unchanged."""
    if isinstance(url_or_path, Store):
        return url_or_path
    target = os.fspath(url_or_path)
    if target.startswith(("postgres://", "postgresql://")):
        from newsgraph.store.postgres import PostgresStore

        return PostgresStore(target)
    if target.startswith("sqlite://"):
        # SQLAlchemy style: sqlite:///relative.db, sqlite:////absolute.db, sqlite:// = memory
        rest = target[len("sqlite://") :]
        target = ":memory:" if rest in ("", "/:memory:", ":memory:") else rest[1:] if rest.startswith("/") else rest
    from newsgraph.store.sqlite import SQLiteStore

    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    return SQLiteStore(target)
