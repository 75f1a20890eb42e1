"""The web UI and JSON API: `create_app(db)` gives a FastAPI application.

Every HTML page has a JSON twin under /api with the same path and query
parameters (/story/{id} and /api/story/{id}); the API is described at
/openapi.json. The app reads the store through a read-only connection
(newsgraph.web.queries.ReadOnlyStore); the only write is POST /api/ingest,
which needs `Authorization: Bearer <token>` and is refused unless the app
was created with a write token.

Page text is untrusted: templates autoescape, article markup is built from
offsets with every piece escaped (newsgraph.web.markup), data reaches the
scripts only through JSON endpoints, and every response carries a strict
Content-Security-Policy (scripts and styles from /static only).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import yaml
from fastapi import Depends, FastAPI, Header, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsgraph.web import markup, queries, schemas, views

HERE = Path(__file__).resolve().parent
FACETS_TTL_S = 60.0  # languages and topics for the filter menus change slowly
log = logging.getLogger("newsgraph.web")
LANGUAGES = ("en", "uk")
DEFAULT_TIMEOUT_S = 5.0  # database work per request
MAX_QUERY = 200  # characters of a search query or filter value
MAX_LIMIT = 200
MAX_OFFSET = 100_000
MAX_UPLOAD = 20 * 1024 * 1024  # bytes of one ingest request
DAY = r"^(\d{4}-\d{2}-\d{2})?$"  # empty: an HTML form's blank date field

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


class BodyLimit:
    """Refuses request bodies over `limit` bytes (413) before they are
    read into memory, whether or not the client sent Content-Length."""

    def __init__(self, app: Callable, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(413, f"at most {self.limit} bytes per request")
            return message

        await self.app(scope, counted, send)


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"detail": f"at most {limit} bytes per request"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the security headers to every response, static files and
    errors included (a plain ASGI middleware: nothing is buffered)."""

    def __init__(self, app: Callable):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        started = False

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in message.get("headers", [])}
                extra = [h for h in SECURITY_HEADERS if h[0] not in names]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception:
            # An unhandled error: answer 500 here, headers included, rather
            # than let the outermost error middleware answer without them.
            if started:
                raise
            log.exception("error while serving %s", scope.get("path"))
            body = b'{"detail":"internal error"}'
            await send({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS]})
            await send({"type": "http.response.body", "body": body})


@cache
def labels() -> dict[str, dict[str, str]]:
    return yaml.safe_load((HERE / "labels.yaml").read_text(encoding="utf-8"))


def translator(lang: str) -> Callable[[str], str]:
    table, fallback = labels().get(lang, {}), labels()["en"]
    return lambda key: table.get(key) or fallback.get(key) or key


def plural_form(n: int, lang: str) -> str:
    """CLDR plural category: English one/many; Ukrainian one/few/many."""
    if lang == "uk":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        return "few" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "many"
    return "one" if n == 1 else "many"


def counter(lang: str) -> Callable[[int, str], str]:
    """count(3, "articles") -> "3 articles" / "3 статті"."""
    t = translator(lang)
    return lambda n, key: t(f"n_{key}_{plural_form(int(n), lang)}").replace("{n}", str(n))


def when(value: str | None) -> str:
    """An ISO timestamp for reading: "2025-02-14 11:58 (+02:00)"."""
    text = str(value or "")
    match = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$", text)
    if not match:
        return text
    day, clock, zone = match.groups()
    return f"{day} {clock}" + (f" ({zone})" if zone and zone != "Z" else " UTC" if zone else "")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its extension
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["entity_url"] = markup.entity_url
    env.filters["article_url"] = markup.article_url
    env.filters["story_url"] = markup.story_url
    env.filters["http_url"] = markup.http_url
    env.filters["day"] = lambda value: str(value or "")[:10]
    env.filters["when"] = when
    return env


# -- query parameters ----------------------------------------------------------

Text = Annotated[str | None, Query(max_length=MAX_QUERY)]
Day = Annotated[str | None, Query(pattern=DAY, description="YYYY-MM-DD, inclusive")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Id = Annotated[str, PathParam(max_length=300)]


def ui_lang(request: Request) -> str:
    """The interface language: ?lang=, else the `lang` cookie, else the app's default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get("lang")
    return cookie if cookie in LANGUAGES else request.app.state.default_lang


UiLang = Annotated[str, Depends(ui_lang)]


def _blank(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def create_app(db: str, write_token: str | None = None, *, lang: str = "en",
               timeout_s: float = DEFAULT_TIMEOUT_S) -> FastAPI:
    """The web application over the store at `db` (a SQLite path or
    sqlite:/// URL). `write_token` enables POST /api/ingest for clients
    that send it as a Bearer token; `lang` is the default interface
    language; `timeout_s` bounds the database work of one request."""
    path = _sqlite_path(db)
    _prepare_store(path, create=bool(write_token))
    default_lang = lang if lang in LANGUAGES else "en"
    app = FastAPI(
        title="newsgraph",
        summary="Who met whom, where, when and about what: stories, meetings, entities and search over news.",
        version="1",
        docs_url=None,  # Swagger UI and ReDoc load scripts from CDNs: offline UI, strict CSP
        redoc_url=None,
    )
    app.state.db = path
    app.state.default_lang = default_lang
    templates = Jinja2Templates(env=_environment())
    ingest_lock = threading.Lock()
    facet_cache: dict[str, tuple[float, dict[str, Any]]] = {}

    def facets(lang: str) -> dict[str, Any]:
        at, value = facet_cache.get(lang, (0.0, {}))
        if not value or time.monotonic() - at > FACETS_TTL_S:
            value = read(views.facets, lang)
            t = translator(lang)
            for language in value["languages"]:
                name = t(f"lang_{language['id']}")
                language["label"] = name if name != f"lang_{language['id']}" else language["id"]
            facet_cache[lang] = (time.monotonic(), value)
        return value

    def read(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with queries.reader(path, timeout_s) as store:
            return fn(store, *args, **kwargs)

    def page(request: Request, template: str, context: dict[str, Any], lang: str, status: int = 200) -> HTMLResponse:
        t = translator(lang)

        def url_with(**changes: Any) -> str:
            params = {k: v for k, v in request.query_params.items() if k not in changes}
            params.update({k: v for k, v in changes.items() if v not in (None, "")})
            return quote(request.url.path, safe="/:@") + ("?" + urlencode(params) if params else "")

        api_url = "/api" + ("/stories" if request.url.path == "/" else quote(request.url.path, safe="/:@"))
        query = urlencode([(k, v) for k, v in request.query_params.items() if k != "lang"])
        response = templates.TemplateResponse(
            request, template,
            {**context, "t": t, "lang": lang, "languages": LANGUAGES, "url_with": url_with,
             "nav": _nav(request.url.path), "count": counter(lang),
             "json_url": api_url + ("?" + query if query else ""), "path": request.url.path},
            status_code=status,
        )
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    # -- errors ------------------------------------------------------------

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith(("/api/", "/static/", "/openapi"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if wants_html(request):
            return page(request, "error.html", {"status": exc.status_code, "message": str(exc.detail)},
                        ui_lang(request), exc.status_code)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
                  for e in exc.errors()]
        if wants_html(request):
            message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
            return page(request, "error.html", {"status": 422, "message": message}, ui_lang(request), 422)
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(queries.QueryTimeout)
    async def too_slow(request: Request, exc: queries.QueryTimeout):
        message = "the query took too long; narrow the filters"
        if wants_html(request):
            return page(request, "error.html", {"status": 503, "message": message}, ui_lang(request), 503)
        return JSONResponse({"detail": message}, status_code=503)

    # -- stories -----------------------------------------------------------

    def stories_data(lang, language, topic, entity, limit, offset):
        return read(views.stories, lang, language=_blank(language), topic=_blank(topic), entity=_blank(entity),
                    limit=limit, offset=offset)

    @app.get("/api/stories", response_model=schemas.StoryList, tags=["stories"])
    def api_stories(lang: UiLang, language: Text = None, topic: Text = None, entity: Text = None,
                    limit: Limit = 30, offset: Offset = 0):
        """The story feed: newest stories first, with their main entities and topics."""
        return stories_data(lang, language, topic, entity, limit, offset)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, lang: UiLang, language: Text = None, topic: Text = None, entity: Text = None,
                     limit: Limit = 30, offset: Offset = 0):
        data = stories_data(lang, language, topic, entity, limit, offset)
        return page(request, "stories.html", {**data, "facets": facets(lang)}, lang)

    @app.get("/api/facets", response_model=schemas.Facets, tags=["stories"])
    def api_facets(lang: UiLang):
        """Languages and topics present in the store, with article counts (for filters)."""
        return facets(lang)

    @app.get("/api/story/{story_id}", response_model=schemas.StoryDetail, tags=["stories"])
    def api_story(story_id: Id, lang: UiLang):
        """A story: its articles (by language and outlet, near-duplicates marked) and merged meetings."""
        return _found(read(views.story, story_id, lang), "story")

    @app.get("/story/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: Id, lang: UiLang):
        data = _found(read(views.story, story_id, lang), "story")
        return page(request, "story.html", data, lang)

    # -- articles ----------------------------------------------------------

    @app.get("/api/article/{article_id}", response_model=schemas.ArticleDetail, tags=["articles"])
    def api_article(article_id: Id, lang: UiLang):
        """An article: clean body, entity mentions, quotes and meetings with their offsets."""
        return _found(read(views.article, article_id, lang), "article")

    @app.get("/article/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: Id, lang: UiLang):
        data = _found(read(views.article, article_id, lang), "article")
        found = data["_article"]
        t = translator(lang)
        size = len(found.body)
        spans = [
            *markup.entity_spans(found.entities, size),
            *markup.quote_spans(found.quotes, size, t("quote")),
            *markup.meeting_spans(found.meetings, size, t("meeting")),
        ]
        return page(request, "article.html", {**data, "body_html": markup.highlight(found.body, spans)}, lang)

    # -- entities ----------------------------------------------------------

    @app.get("/api/entity/{entity_id:path}", response_model=schemas.EntityDetail, tags=["entities"])
    def api_entity(entity_id: Id, lang: UiLang, limit: Limit = 50, offset: Offset = 0):
        """An entity: names, roles over time, meetings (timeline and network), quotes and articles."""
        return _found(read(views.entity, entity_id, lang, limit=limit, offset=offset), "entity")

    @app.get("/entity/{entity_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, entity_id: Id, lang: UiLang, limit: Limit = 50, offset: Offset = 0):
        data = _found(read(views.entity, entity_id, lang, limit=limit, offset=offset), "entity")
        return page(request, "entity.html", data, lang)

    # -- meetings ----------------------------------------------------------

    def meetings_data(lang, participant, country, topic, place, date_from, date_to, limit, offset):
        return read(views.meetings, lang, participant=_blank(participant), country=_blank(country),
                    topic=_blank(topic), place=_blank(place), date_from=_blank(date_from), date_to=_blank(date_to),
                    limit=limit, offset=offset)

    @app.get("/api/meetings", response_model=schemas.MeetingList, tags=["meetings"])
    def api_meetings(lang: UiLang, participant: Text = None, country: Text = None, topic: Text = None,
                     place: Text = None, date_from: Day = None, date_to: Day = None, limit: Limit = 100,
                     offset: Offset = 0):
        """Meetings merged across articles, newest first, with their network and timeline.
        `participant` and `place` take an entity id or any name; `country` an ISO code or name."""
        return meetings_data(lang, participant, country, topic, place, date_from, date_to, limit, offset)

    @app.get("/meetings", response_class=HTMLResponse, include_in_schema=False)
    def meetings_page(request: Request, lang: UiLang, participant: Text = None, country: Text = None,
                      topic: Text = None, place: Text = None, date_from: Day = None, date_to: Day = None,
                      limit: Limit = 100, offset: Offset = 0):
        data = meetings_data(lang, participant, country, topic, place, date_from, date_to, limit, offset)
        return page(request, "meetings.html", {**data, "facets": facets(lang)}, lang)

    # -- search ------------------------------------------------------------

    def search_data(lang, q, entity, language, outlet, topic, date_from, date_to, limit):
        return read(views.search, lang, query=(q or "").strip(), entity=_blank(entity), language=_blank(language),
                    outlet=_blank(outlet), topic=_blank(topic), date_from=_blank(date_from), date_to=_blank(date_to),
                    limit=limit)

    @app.get("/api/search", response_model=schemas.SearchResults, tags=["search"])
    def api_search(lang: UiLang, q: Text = None, entity: Text = None, language: Text = None, outlet: Text = None,
                   topic: Text = None, date_from: Day = None, date_to: Day = None, limit: Limit = 20):
        """Full-text search in any inflection or script ("Умєровим" finds Umerov), with filters."""
        return search_data(lang, q, entity, language, outlet, topic, date_from, date_to, limit)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, lang: UiLang, q: Text = None, entity: Text = None, language: Text = None,
                    outlet: Text = None, topic: Text = None, date_from: Day = None, date_to: Day = None,
                    limit: Limit = 20):
        data = search_data(lang, q, entity, language, outlet, topic, date_from, date_to, limit)
        bodies = read(lambda store: queries.article_bodies(store.db, [h["id"] for h in data["hits"]]))
        for hit in data["hits"]:
            body = bodies.get(hit["id"])
            hit["snippet_html"] = markup.snippet(body, hit["highlights"]) if body else None
        return page(request, "search.html", {**data, "facets": facets(lang)}, lang)

    # -- writing -----------------------------------------------------------

    def require_token(authorization: Annotated[str | None, Header()] = None) -> None:
        if not write_token:
            raise HTTPException(403, "writes are disabled: start the server with a write token")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), write_token.encode()):
            raise HTTPException(401, "a valid Bearer token is required", headers={"WWW-Authenticate": "Bearer"})

    @app.post("/api/ingest", response_model=schemas.IngestResult, tags=["write"],
              dependencies=[Depends(require_token)])
    def api_ingest(body: schemas.IngestRequest):
        """Ingest pages (JSON Lines records: url, text or html, title, published, outlet,
        language) into the store. Needs `Authorization: Bearer <token>`; refused (403)
        when the server has no write token. Requests are at most 20 MiB."""
        return _ingest(path, body, ingest_lock)

    # -- plumbing ----------------------------------------------------------

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.mount("/static", StaticFiles(directory=HERE / "static", follow_symlink=False), name="static")
    app.add_middleware(BodyLimit, limit=MAX_UPLOAD)
    app.add_middleware(SecurityHeaders)
    return app


def _nav(path: str) -> str:
    """The header tab a page belongs to."""
    for prefix, tab in (("/meetings", "meetings"), ("/search", "search"), ("/entity", "entity")):
        if path.startswith(prefix):
            return tab
    return "stories"


def _prepare_store(path: str, create: bool) -> None:
    """Check the store before serving: bring an older schema up to date
    (the one write the app makes outside /api/ingest), and create an empty
    store only for a server that accepts writes."""
    from newsgraph.store import open_store

    on_disk = not path.startswith(("postgres://", "postgresql://"))
    if on_disk and not Path(path).exists() and not create:
        raise FileNotFoundError(f"no store at {path}: run `newsgraph ingest PATH... --db {path}` first")
    try:
        open_store(path).close()
    except sqlite3.OperationalError as exc:  # e.g. a read-only file: serve it as it is
        log.warning("could not open %s for writing (%s); serving it read-only as it is", path, exc)


def _found(value: Any, what: str) -> Any:
    if value is None:
        raise HTTPException(status_code=404, detail=f"no such {what}")
    return value


def _sqlite_path(db: str | os.PathLike) -> str:
    target = os.fspath(db)
    if target.startswith(("postgres://", "postgresql://")):
        return target  # a PostgreSQL store, read through newsgraph.web.pg
    if target.startswith("sqlite://"):
        rest = target[len("sqlite://") :]
        if rest in ("", "/:memory:", ":memory:"):
            raise ValueError("the web UI needs a store on disk, not an in-memory one")
        target = rest[1:] if rest.startswith("/") else rest
    return target


def _ingest(path: str, body: schemas.IngestRequest, lock: threading.Lock) -> dict[str, Any]:
    """Write the records as JSON Lines and run the normal ingest over them.
    Records without a url get an origin named after the upload's content."""
    from newsgraph.ingest import ingest
    from newsgraph.store.base import StoreBusy

    lines = [json.dumps(r.model_dump(exclude_none=True), ensure_ascii=False) for r in body.records]
    text = "\n".join(lines) + "\n"
    name = "api-" + hashlib.sha256(text.encode()).hexdigest()[:16] + ".jsonl"
    with lock, tempfile.TemporaryDirectory(prefix="newsgraph-upload-") as tmp:
        upload = Path(tmp) / name
        upload.write_text(text, encoding="utf-8")
        try:
            report = ingest([str(upload)], path, input_format="jsonl")
        except StoreBusy as exc:  # e.g. `newsgraph ingest` is writing to the same store
            raise HTTPException(409, str(exc)) from exc
    result = report.to_dict()
    result["errors"] = [
        {"origin": re.sub(r"^.*/(api-[0-9a-f]+\.jsonl)", r"\1", e.origin), "error": e.error} for e in report.errors
    ]
    return result
