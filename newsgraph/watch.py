"""Continuous ingest: `newsgraph watch` follows folders and RSS/Atom feed
URLs and ingests only what is new, a pass every `interval` seconds.

    from newsgraph.watch import Watcher
    with Watcher("news.db", ["https://example.org/rss.xml", "inbox/"]) as watcher:
        watcher.run(interval=300)

A folder goes through `ingest` on every pass; pages the store has seen
(same origin, same content) are skipped there before the pipeline.

A feed is fetched with a conditional GET: the ETag and Last-Modified of its
last good answer are kept in the store (`feeds` table), so an unchanged feed
costs one 304 answer, also after a restart. When it has changed, each entry
whose link the store does not know yet is fetched, read by the HTML reader
and ingested through `ingest_pages`, the path every page takes. An entry
without a link is read from the feed's own text. A page the HTML reader
rejects is recorded with its error and not fetched again; a page that could
not be fetched (network error, HTTP error status) is recorded as an error
and tried again the next time the feed changes. The feed's validators are
saved only once its new pages are stored, so a watcher killed mid-pass
fetches the feed again on restart and picks up the pages it missed.

Requests carry a user-agent naming newsgraph and its version, time out,
and wait `host_delay` seconds between two requests to the same host.
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from newsgraph import limits
from newsgraph.ingest import IngestReport, Processor, ingest, ingest_pages
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import feed as feed_reader
from newsgraph.readers import html as html_reader
from newsgraph.readers.dates import iso_date
from newsgraph.store import open_store
from newsgraph.store.base import Store

DEFAULT_INTERVAL = 300.0
DEFAULT_HOST_DELAY = 1.0
DEFAULT_TIMEOUT = 20.0
# Content types the HTML reader is given; others (PDF, images) are errors.
HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")


def _version() -> str:
    try:
        return version("newsgraph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0"


USER_AGENT = f"newsgraph/{_version()} (news knowledge base; polite feed reader)"


class FetchError(Exception):
    """A request that got no usable answer (network error, too large)."""


@dataclass
class Answer:
    status: int
    url: str
    headers: httpx.Headers
    content: bytes
    charset: str | None


@dataclass
class PassReport:
    """What one pass over all sources did."""

    feeds_changed: int = 0  # 200 answers, entries read
    feeds_unchanged: int = 0  # 304 answers
    pages_fetched: int = 0
    pages_known: int = 0  # feed entries whose link the store already had
    ingest: IngestReport = field(default_factory=IngestReport)
    errors: list[ErrorRecord] = field(default_factory=list)  # feed and fetch errors

    @property
    def articles(self) -> int:
        return self.ingest.articles

    def add(self, report: IngestReport) -> None:
        total = self.ingest
        for name in ("pages", "skipped", "articles", "versions", "known", "duplicates", "stories_created", "meetings"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors.extend(report.errors)

    def all_errors(self) -> list[ErrorRecord]:
        return self.errors + self.ingest.errors


class Fetcher:
    """An httpx client that waits between requests to one host and refuses
    answers larger than a page can be."""

    def __init__(self, host_delay: float = DEFAULT_HOST_DELAY, timeout: float = DEFAULT_TIMEOUT,
                 max_bytes: int | None = None):
        self.host_delay = host_delay
        # the page limit in force (NEWSGRAPH_MAX_PAGE_BYTES / --max-page-bytes) unless given
        self.max_bytes = max_bytes or limits.current().max_page_bytes
        self.last_request: dict[str, float] = {}
        self.client = httpx.Client(
            headers={"User-Agent": USER_AGENT}, timeout=httpx.Timeout(timeout), follow_redirects=True,
        )

    def close(self) -> None:
        self.client.close()

    def get(self, url: str, headers: dict[str, str] | None = None) -> Answer:
        host = urlsplit(url).netloc
        wait = self.last_request.get(host, -float("inf")) + self.host_delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                content = self._read(response)
                return Answer(response.status_code, str(response.url), response.headers, content, response.charset_encoding)
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch {url}: {type(exc).__name__}: {exc}") from exc
        finally:
            self.last_request[host] = time.monotonic()

    def _read(self, response: httpx.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(f"answer from {response.url} is over {self.max_bytes} bytes")
            chunks.append(chunk)
        return b"".join(chunks)


def is_url(source: str) -> bool:
    return urlsplit(source).scheme in ("http", "https")


class Watcher:
    """Follows folders and feed URLs; `poll()` makes one pass, `run()` loops."""

    def __init__(self, db: str | os.PathLike | Store, sources: Iterable[str], *,
                 host_delay: float = DEFAULT_HOST_DELAY, timeout: float = DEFAULT_TIMEOUT,
                 processor: Processor | None = None):
        sources = list(sources)
        missing = [s for s in sources if not is_url(s) and not os.path.exists(s)]
        if missing:
            raise ValueError(f"not a URL nor an existing path: {', '.join(missing)}")
        self.store = open_store(db)
        self._own_store = self.store is not db
        self.feeds = [s for s in sources if is_url(s)]
        self.folders = [s for s in sources if not is_url(s)]
        self.fetcher = Fetcher(host_delay, timeout)
        self.processor = processor

    def close(self) -> None:
        self.fetcher.close()
        if self._own_store:
            self.store.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, interval: float = DEFAULT_INTERVAL, once: bool = False,
            on_pass: Callable[[PassReport], None] | None = None) -> None:
        while True:
            report = self.poll()
            if on_pass:
                on_pass(report)
            if once:
                return
            time.sleep(interval)

    def poll(self) -> PassReport:
        report = PassReport()
        if self.folders:
            report.add(ingest(self.folders, self.store, processor=self.processor))
        for url in self.feeds:
            self._poll_feed(url, report)
        return report

    # -- feeds -----------------------------------------------------------
    def _poll_feed(self, url: str, report: PassReport) -> None:
        state = self.store.feed_state(url) or {}
        try:
            answer = self.fetcher.get(url, _conditional_headers(state))
        except FetchError as exc:
            self._feed_failed(url, str(exc), None, state, report)
            return
        if answer.status == 304:
            report.feeds_unchanged += 1
            self._save_state(url, state.get("etag"), state.get("last_modified"), 304, changed=False)
            return
        if answer.status != 200:
            self._feed_failed(url, f"HTTP {answer.status} fetching the feed", answer.status, state, report)
            return
        parsed = _parse_feed(answer.content)
        if isinstance(parsed, str):
            # Validators are not kept: the next pass reads the feed in full again.
            self._feed_failed(url, parsed, answer.status, {}, report)
            return
        report.feeds_changed += 1
        self._ingest_entries(url, parsed, report)
        self._save_state(url, answer.headers.get("etag"), answer.headers.get("last-modified"), 200, changed=True)

    def _ingest_entries(self, feed_url: str, parsed: Any, report: PassReport) -> None:
        outlet = _text(parsed.feed.get("title"))
        entries = {_entry_origin(feed_url, entry, n): entry for n, entry in enumerate(parsed.entries, start=1)}
        known = self.store.known_origins(entries)
        report.pages_known += len(known)
        fresh = [(origin, entry) for origin, entry in entries.items() if origin not in known]
        if not fresh:
            return
        rejected: dict[str, str] = {}  # origin -> sha of the bytes the HTML reader refused
        # Fetched as ingest asks for them: a batch is stored before the next one is fetched.
        items = (self._entry_page(origin, entry, outlet, report, rejected) for origin, entry in fresh)
        report.add(ingest_pages(items, self.store, processor=self.processor))
        now = _now()
        with self.store.transaction():
            for origin, sha in rejected.items():
                self.store.add_source(origin, sha, None, "error", now)

    def _entry_page(self, origin: str, entry: Any, outlet: str | None, report: PassReport,
                    rejected: dict[str, str]) -> Page | ErrorRecord:
        if not entry.get("link"):
            return feed_reader.entry_page(entry, origin, outlet)
        try:
            answer = self.fetcher.get(origin)
        except FetchError as exc:
            return ErrorRecord(origin, str(exc))
        report.pages_fetched += 1
        if answer.status != 200:
            return ErrorRecord(origin, f"HTTP {answer.status} fetching the page")
        content_type = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in HTML_TYPES:
            return ErrorRecord(origin, f"not an HTML page: {content_type}")
        page = html_reader.page_from_bytes(answer.content, origin, url=answer.url, charset=answer.charset)
        if isinstance(page, ErrorRecord):
            rejected[origin] = hashlib.sha256(answer.content).hexdigest()
            return page
        # The feed entry knows what a bare page may not say; trafilatura
        # falls back to the host name for a page that names no site.
        page.published = page.published or iso_date(entry.get("published") or entry.get("updated"))
        page.title = page.title or _text(entry.get("title"))
        if outlet and (not page.outlet or _bare_host(page.outlet) == _bare_host(urlsplit(origin).netloc)):
            page.outlet = outlet
        return page

    def _feed_failed(self, url: str, error: str, status: int | None, state: dict[str, Any],
                     report: PassReport) -> None:
        report.errors.append(ErrorRecord(url, error))
        with self.store.transaction():
            self.store.add_error(url, error, _now())
        self._save_state(url, state.get("etag"), state.get("last_modified"), status, changed=False)

    def _save_state(self, url: str, etag: str | None, last_modified: str | None, status: int | None,
                    changed: bool) -> None:
        with self.store.transaction():
            self.store.save_feed_state(url, etag=etag, last_modified=last_modified, status=status,
                                       checked_at=_now(), changed=changed)


def _conditional_headers(state: dict[str, Any]) -> dict[str, str]:
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    return headers


def _parse_feed(data: bytes) -> Any:
    """The parsed feed, or a string saying why there is none."""
    import feedparser

    # A file object, never a str: feedparser would fetch a str that looks like a URL.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    if parsed.entries:
        return parsed
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        return f"unreadable feed: {type(problem).__name__}: {problem}"
    if not parsed.get("version"):
        return "not an RSS or Atom feed"
    return parsed  # a well-formed feed with nothing in it, for now


def _entry_origin(feed_url: str, entry: Any, number: int) -> str:
    """Where an entry's page lives (its link, made absolute); an entry
    without a link is known by its id within the feed."""
    link = entry.get("link")
    if link:
        return urljoin(feed_url, link)
    return f"{feed_url}#{entry.get('id') or number}"


def _bare_host(host: str) -> str:
    return host.lower().removeprefix("www.")


def _text(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
