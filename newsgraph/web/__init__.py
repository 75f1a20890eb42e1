"""The web UI and JSON API over a newsgraph store (FastAPI).

    from newsgraph.web import create_app
    app = create_app("news.db")          # read-only; uvicorn runs it

or from the command line: `newsgraph serve --db news.db`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["create_app"]


def create_app(db: str, write_token: str | None = None, **options: Any) -> FastAPI:
    from newsgraph.web.app import create_app as build

    return build(db, write_token, **options)
