"""`newsgraph watch` against a feed and pages served by a real HTTP server
on loopback, started inside the test: nothing outside this machine is
contacted. The pages go through the real HTML reader and pipeline."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from newsgraph import cli_store
from newsgraph.watch import USER_AGENT, Watcher

ARTICLES = {
    "/news/ministers-meet.html": (
        "Defence ministers of Ukraine and France met in Brussels",
        "The defence ministers of Ukraine and France met in Brussels on Thursday to discuss joint production "
        "of air defence systems and artillery ammunition. Both sides agreed to expand cooperation between "
        "their defence industries and to speed up deliveries before the winter.",
    ),
    "/news/grain-corridor.html": (
        "Grain exports through the Black Sea corridor grow again",
        "Exports of grain through the Black Sea corridor grew for the third month in a row, the ministry of "
        "agriculture said on Monday. Traders expect shipments to stay high while the ports keep working "
        "without interruptions and insurance costs remain stable.",
    ),
    "/news/energy-grid.html": (
        "Engineers repair the energy grid after a night of attacks",
        "Engineers worked through the night to repair power lines and substations damaged in the latest "
        "attacks on the energy grid, the national operator said. Supplies to hospitals and water utilities "
        "were restored first, and scheduled outages were shortened in most regions.",
    ),
}
EMPTY_PAGE = "/news/empty.html"  # fetched fine, but holds no article: the HTML reader refuses it
MISSING_PAGE = "/news/gone.html"  # answers 404


def article_html(title: str, body: str) -> bytes:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        "<meta property='article:published_time' content='2025-02-14T11:58:00+02:00'></head>"
        f"<body><nav>Home | World | Sport</nav><article><h1>{title}</h1><p>{body}</p></article>"
        "<footer>All rights reserved</footer></body></html>"
    ).encode()


def rss(paths: list[str]) -> bytes:
    items = "".join(f"<item><title>item {p}</title><link>{p}</link></item>" for p in paths)
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Loopback News</title>"
        f"<link>/</link><description>test feed</description>{items}</channel></rss>"
    ).encode()


class Site:
    """What the local server serves, and the log of requests it got."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        self.modified: dict[str, str] = {}
        self.log: list[dict] = []

    def put(self, path: str, content_type: str, data: bytes) -> None:
        self.files[path] = (content_type, data)
        self.modified[path] = formatdate(time.time() - len(self.log), usegmt=True)

    def requests(self, start: int = 0) -> list[str]:
        return [r["path"] for r in self.log[start:]]


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            site.log.append({"path": self.path, "headers": dict(self.headers), "at": time.monotonic()})
            if self.path not in site.files:
                self.send_error(404)
                return
            content_type, data = site.files[self.path]
            etag = '"' + hashlib.sha1(data).hexdigest() + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", site.modified[self.path])
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:  # keep the test output clean
            pass

    return Handler


@pytest.fixture
def site():
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    for path, (title, body) in ARTICLES.items():
        site.put(path, "text/html; charset=utf-8", article_html(title, body))
    site.put(EMPTY_PAGE, "text/html", b"<html><body><p>Nothing here.</p></body></html>")
    yield site
    server.shutdown()
    server.server_close()


def origins(db) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {row[0] for row in con.execute("SELECT origin FROM articles")}
    finally:
        con.close()


def outlets(db) -> set[str]:
    con = sqlite3.connect(db)
    try:
        return {row[0] for row in con.execute("SELECT outlet FROM articles")}
    finally:
        con.close()


def counts(db) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = ("articles", "sources", "errors", "stories", "feeds")
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        con.close()


def test_watch_ingests_new_items_once_and_asks_conditionally(tmp_path, site):
    first_two = list(ARTICLES)[:2]
    site.put("/feed.xml", "application/rss+xml", rss([*first_two, EMPTY_PAGE, MISSING_PAGE]))
    feed = site.base + "/feed.xml"
    db = tmp_path / "news.db"

    with Watcher(db, [feed], host_delay=0) as watcher:
        report = watcher.poll()
        assert report.feeds_changed == 1 and report.articles == 2
        assert origins(db) == {site.base + p for p in first_two}
        assert outlets(db) == {"Loopback News"}  # the feed's title: the pages name no site
        failed = {e.origin: e.error for e in report.all_errors()}
        assert set(failed) == {site.base + EMPTY_PAGE, site.base + MISSING_PAGE}
        assert "no article text" in failed[site.base + EMPTY_PAGE] and "404" in failed[site.base + MISSING_PAGE]
        assert all(r["headers"]["User-Agent"] == USER_AGENT for r in site.log)
        assert USER_AGENT.startswith("newsgraph/")
        assert "If-None-Match" not in site.log[0]["headers"]

        # Unchanged feed: a conditional request answered 304, no page fetched.
        mark = len(site.log)
        report = watcher.poll()
        assert site.requests(mark) == ["/feed.xml"]
        asked = site.log[mark]["headers"]
        assert asked["If-None-Match"].startswith('"') and asked["If-Modified-Since"].endswith("GMT")
        assert report.feeds_unchanged == 1 and report.articles == 0

        # A new item: only it is fetched and ingested. The page that answered
        # 404 is tried again; the page the reader refused is not.
        new = list(ARTICLES)[2]
        site.put("/feed.xml", "application/rss+xml", rss([new, *first_two, EMPTY_PAGE, MISSING_PAGE]))
        mark = len(site.log)
        report = watcher.poll()
        assert sorted(site.requests(mark)) == sorted(["/feed.xml", new, MISSING_PAGE])
        assert report.articles == 1 and origins(db) == {site.base + p for p in ARTICLES}
    before = counts(db)
    assert before["errors"] == 2 and before["feeds"] == 1

    # A restart, through the CLI: the stored validators make it a 304 and nothing is ingested again.
    mark = len(site.log)
    result = CliRunner().invoke(cli_store.watch, [feed, "--db", str(db), "--once", "--host-delay", "0"])
    assert result.exit_code == 0, result.output
    assert "1 unchanged" in result.output and "0 articles stored" in result.output
    assert site.requests(mark) == ["/feed.xml"] and "If-None-Match" in site.log[mark]["headers"]
    assert counts(db) == before


def test_a_feed_changed_but_pages_already_stored_are_not_fetched_after_a_restart(tmp_path, site):
    """A watcher killed after storing the pages but before saving the feed's
    validators fetches the whole feed again, but not the pages."""
    paths = list(ARTICLES)[:1]
    site.put("/feed.xml", "application/rss+xml", rss(paths))
    feed = site.base + "/feed.xml"
    db = tmp_path / "news.db"
    with Watcher(db, [feed], host_delay=0) as watcher:
        assert watcher.poll().articles == 1
    con = sqlite3.connect(db)
    con.execute("DELETE FROM feeds")  # as if the process died before the last write
    con.commit()
    con.close()
    mark = len(site.log)
    with Watcher(db, [feed], host_delay=0) as watcher:
        report = watcher.poll()
    assert site.requests(mark) == ["/feed.xml"]
    assert report.feeds_changed == 1 and report.pages_known == 1 and report.articles == 0


def test_bad_feeds_become_errors_and_the_pass_goes_on(tmp_path, site):
    site.put("/broken.xml", "application/rss+xml", b'{"not": "xml"}')
    site.put("/page.xml", "text/html", b"<html><body><p>a page, not a feed</p></body></html>")
    site.put("/feed.xml", "application/rss+xml", rss([]))
    with socket_closed_port() as port:
        broken = [f"http://127.0.0.1:{port}/feed.xml", site.base + "/broken.xml", site.base + "/nowhere.xml",
                  site.base + "/page.xml"]
        with Watcher(tmp_path / "news.db", [*broken, site.base + "/feed.xml"], host_delay=0, timeout=5) as watcher:
            report = watcher.poll()
    failed = {e.origin: e.error for e in report.errors}
    assert list(failed) == broken
    assert "cannot fetch" in failed[broken[0]]
    assert "unreadable feed" in failed[broken[1]]
    assert "HTTP 404" in failed[broken[2]]
    assert failed[broken[3]] == "not an RSS or Atom feed"
    assert report.feeds_changed == 1  # the empty feed, read without complaint
    assert counts(tmp_path / "news.db")["errors"] == 4


def test_requests_to_one_host_are_spaced_by_the_delay(tmp_path, site):
    site.put("/feed.xml", "application/rss+xml", rss([MISSING_PAGE, "/news/also-gone.html"]))
    with Watcher(tmp_path / "news.db", [site.base + "/feed.xml"], host_delay=0.3) as watcher:
        watcher.poll()
    times = [r["at"] for r in site.log]
    assert len(times) == 3
    assert all(later - earlier >= 0.3 for earlier, later in zip(times, times[1:]))


def test_folders_are_watched_too(tmp_path, site):
    folder = tmp_path / "inbox"
    folder.mkdir()
    title, body = next(iter(ARTICLES.values()))
    (folder / "a.html").write_bytes(article_html(title, body))
    db = tmp_path / "news.db"
    with Watcher(db, [str(folder)], host_delay=0) as watcher:
        assert watcher.poll().articles == 1
        assert watcher.poll().ingest.skipped == 1
    assert counts(db)["articles"] == 1


def test_a_source_that_is_neither_url_nor_path_is_refused(tmp_path):
    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["watch", str(tmp_path / "nope"), "--db", str(tmp_path / "n.db"), "--once"])
    assert result.exit_code == 2 and "not a URL nor an existing path" in result.output


class socket_closed_port:
    """A loopback port nothing listens on: a connection there is refused at once."""

    def __enter__(self) -> int:
        import socket

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))  # bound, never listening
        return self.sock.getsockname()[1]

    def __exit__(self, *exc) -> None:
        self.sock.close()
