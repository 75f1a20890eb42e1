"""Web security: hostile page text in every stored field stays inert (in
the HTML, and in a real Chromium), every response carries the strict
Content-Security-Policy, no URL parameter reaches a file, query sizes are
bounded, the server binds to loopback by default, every write endpoint
needs the token, and schemathesis finds no 500 anywhere in the OpenAPI
schema.

The fast schemathesis smoke runs by default; NEWSGRAPH_API_FUZZ_EXAMPLES=N runs
N examples per operation instead (`make fuzz-api`).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from conftest_web import _entity, _quote, free_port, running_server
from newsgraph.ingest import ingest_articles
from newsgraph.model import Entity, Meeting, Mention, Participant
from newsgraph.stories.samples import article
from newsgraph.web import create_app
from newsgraph.web.app import CSP

ROOT = Path(__file__).resolve().parents[1]
MARK = "window.__xss=1"
PAYLOADS = (
    f"<script>{MARK}</script>",
    f'<img src=x onerror="{MARK}">',
    f'"><svg onload={MARK}>',
    f"'><iframe src=javascript:{MARK}></iframe>",
    f"</title></textarea></style></script><script>{MARK}</script>",
    f'<a href="javascript:{MARK}" id=xsslink>x</a>',
    "{{ 7*7 }}{% if 1 %}jinja{% endif %}",
    f"\u2028</script><script>{MARK}</script>\u2029",
)
ALL = " ".join(PAYLOADS)
URL_PAYLOAD = f"javascript:{MARK}"
EVIL_ID = f"per:{PAYLOADS[2]}"
EVIL_PLACE = f"loc:{PAYLOADS[1]}"


# -- a store with a payload in every text field -----------------------------------


def hostile_articles() -> list:
    """Two reports of one meeting whose every text field carries the payloads:
    title (and so the story title), body, outlet, url, language, topics,
    entity ids, names, lemmas, types, Wikidata ids and mention forms, quote
    text and speaker, meeting kind, place, roles, topics and date."""
    made = []
    for n, language in ((1, "en"), (2, f"en{PAYLOADS[0]}")):
        name = f"Evil {PAYLOADS[1]} Person"
        body = (f"Minister {name} met {PAYLOADS[0]} in {PAYLOADS[2]} on Monday.\n\n"
                f"\"Quote {PAYLOADS[3]} said here\" said {name}.\n\n{ALL} & < > \" ' end {n}.")
        sentence = body.split("\n")[0]
        person = _entity(EVIL_ID, name, f"PER{PAYLOADS[4]}", body, [name], lemma=f"lemma {PAYLOADS[5]}",
                         wikidata=f'Q1" onclick="{MARK}')
        start = body.index(PAYLOADS[2])
        place = Entity(id=EVIL_PLACE, type="LOC", lemma=PAYLOADS[6], name=PAYLOADS[2], mentions=[
            Mention(text=PAYLOADS[2], start=start, end=start + len(PAYLOADS[2]), lemma=PAYLOADS[7], type="LOC")])
        meeting = Meeting(
            participants=[Participant(id=EVIL_ID, name=name, role=PAYLOADS[3]),
                          Participant(id="", name=f"Nameless {PAYLOADS[5]}", role=PAYLOADS[4])],
            kind=f"meeting{PAYLOADS[1]}", cameo=f"040{PAYLOADS[0]}", evidence=[(0, len(sentence))],
            place={"id": EVIL_PLACE, "name": PAYLOADS[2], "country": PAYLOADS[0]},
            date="2025-06-01", date_basis=f"explicit{PAYLOADS[1]}", topics=[f"topic{PAYLOADS[0]}"],
        )
        made.append(article(
            f"Breaking {PAYLOADS[0]} {PAYLOADS[2]} news {n}", body, language, "2025-06-01T10:00:00+00:00",
            f"sample/hostile-{n}.txt", outlet=f"Outlet {PAYLOADS[4]} {n}", url=URL_PAYLOAD,
            entities=[person, place], meetings=[meeting], topics=[f"topic{PAYLOADS[0]}", PAYLOADS[6]],
            quotes=[_quote(body, f"Quote {PAYLOADS[3]} said here", (EVIL_ID, f"Speaker {PAYLOADS[1]}"))],
        ))
    return made


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "news.db"
    ingest_articles(hostile_articles(), path)
    return path


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return TestClient(create_app(str(store)))


def echo_pages() -> list[str]:
    """Pages that echo what the user typed: search, every filter, error pages."""
    q = quote(ALL[:200])
    return [
        f"/search?q={q}", f"/search?q=Evil&entity={q}&outlet={q}&topic={q}&language={q}",
        f"/stories?language={q}&topic={q}&entity={q}", f"/meetings?participant={q}&country={q}&place={q}&topic={q}",
        f"/story/{quote(PAYLOADS[0], safe='')}", f"/article/{quote(PAYLOADS[1], safe='')}",
        f"/entity/{quote(PAYLOADS[2], safe='')}", f"/{quote(PAYLOADS[0], safe='')}", f"/stories?limit={q}",
        f"/meetings?date_from={q}",
    ]


def crawl(client: TestClient, start: list[str], limit: int = 200) -> dict[str, str]:
    """Every same-site page reachable from `start` (HTML pages and the
    JSON they load), fetched once: url -> body."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.text
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        links = Tags()
        links.feed(response.text)
        for tag, attrs in links.tags:
            for name in ("href", "src", "data-src"):
                target = attrs.get(name)
                if target and not target.startswith(("#", "http:", "https:")):
                    parts = urlsplit(urljoin("http://testserver" + url, target))
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inline_script = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        self.inline_script |= self._in_script and bool(data.strip())


SAFE_LINK = re.compile(r"^(https?://|/|\?|#)", re.I)


def assert_inert(url: str, html: str) -> None:
    """No element, attribute or link in the page came from page text."""
    parsed = Tags()
    parsed.feed(html)
    assert not parsed.inline_script, url
    for tag, attrs in parsed.tags:
        assert tag not in ("iframe", "object", "embed", "svg", "img", "base", "form") or tag == "form" and (
            attrs.get("action", "").startswith("/")), (url, tag, attrs)
        if tag == "script":
            assert attrs.get("src", "").startswith("/static/"), (url, attrs)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (url, tag, name)
            assert name != "id" or value != "xsslink", url
            if name in ("href", "src", "action", "formaction", "data-src"):
                assert SAFE_LINK.match(value.strip()), (url, tag, name, value)
    for payload in PAYLOADS:
        if "<" in payload:
            assert payload not in html, (url, payload)


def test_every_page_escapes_every_field(client):
    pages = crawl(client, ["/", "/meetings", f"/entity/{quote(EVIL_ID, safe='')}", *echo_pages()])
    html_pages = [u for u in pages if not u.startswith(("/api/", "/static/"))]
    assert len(html_pages) >= 12, sorted(pages)
    for url in html_pages:
        assert_inert(url, pages[url])
    article = next(u for u in html_pages if u.startswith("/article/") and "%" not in u)
    # the payloads are shown as text, not dropped
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in pages[article]
    assert "{{ 7*7 }}" in pages[article] and "jinja{%" not in pages[article].replace("{% endif", "")  # not a template
    entity = client.get(f"/entity/{quote(EVIL_ID, safe='')}").text
    assert 'onclick="' not in entity and "wikidata.org/wiki/Q1" not in entity  # not a Q-id: no link


def test_every_response_carries_the_strict_csp(client, store):
    pages = crawl(client, ["/", "/meetings", *echo_pages()])
    extra = ["/openapi.json", "/static/css/app.css", "/static/js/graph.js", "/static/nope.js", "/nope",
             "/api/story/nope", "/api/stories?limit=0", "/favicon.ico"]
    responses = [client.get(u, follow_redirects=False) for u in [*pages, *extra]]
    responses += [client.post("/api/ingest", json={}), client.request("OPTIONS", "/"), client.head("/"),
                  client.delete("/api/stories"), client.put("/stories")]
    assert len(responses) >= 30
    for response in responses:
        where = f"{response.request.method} {response.request.url}"
        policy = response.headers.get("content-security-policy")
        assert policy == CSP, where
        assert response.headers["x-content-type-options"] == "nosniff", where
        assert response.headers["x-frame-options"] == "DENY", where
    directives = dict(part.strip().split(" ", 1) for part in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert "unsafe" not in CSP and "*" not in CSP and "data:" not in directives["script-src"]


# -- path traversal --------------------------------------------------------------------


TRAVERSALS = [
    "../../../../etc/passwd", "..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "..%252f..%252fetc%252fpasswd", "....//....//etc/passwd", "..\\..\\web\\app.py", "%c0%ae%c0%ae/%c0%ae%c0%ae/app.py",
    "..%00/app.py", "/etc/passwd", "file:///etc/passwd", "..;/..;/app.py", "%2e%2e%5c%2e%2e%5capp.py",
]
SECRETS = ("root:x:0:0", "def create_app", "class SQLiteStore", "[project]", "SQLite format 3", "nav_stories")


def raw_get(port: int, target: str) -> tuple[int, str]:
    """A request line sent as it is (clients normalise dots away)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("GET", target, skip_host=False, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_no_url_parameter_reaches_a_file(store):
    """Every path and query parameter of every route, and the static route,
    with traversal payloads in raw request lines over real HTTP."""
    app = create_app(str(store))
    targets = []
    for route in app.routes:
        path = getattr(route, "path", "")
        if "GET" not in getattr(route, "methods", {"GET"}):
            continue
        for bad in TRAVERSALS:
            if "{" in path:
                targets.append(re.sub(r"\{[^}]+\}", lambda _: bad, path))
            elif path and path != "/static":
                params = ["q", "entity", "language", "topic", "outlet", "participant", "country", "place", "lang"]
                targets.append(path + "?" + "&".join(f"{p}={bad}" for p in params))
    targets += [f"/static/{bad}" for bad in TRAVERSALS] + [f"/static/css/{bad}" for bad in TRAVERSALS]
    targets += ["/static/../../store/sqlite.py", "/static/./../app.py", "/static//etc/passwd", "/..%2fapp.py",
                "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml", "/static/vendor/../../app.py"]
    with running_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        for target in targets:
            status, body = raw_get(port, target)
            assert status in (200, 301, 307, 400, 404, 422), (target, status)
            assert not any(secret in body for secret in SECRETS), target
            if target.startswith("/static"):
                assert status in (400, 404), (target, status)


# -- bounded queries ---------------------------------------------------------------------


def test_query_sizes_are_bounded(client, store):
    for path in ("/api/stories", "/api/meetings", "/api/search", f"/api/entity/{quote(EVIL_ID, safe='')}"):
        assert client.get(path, params={"limit": 10**9}).status_code == 422, path
        assert client.get(path, params={"limit": "9" * 400}).status_code == 422, path
        assert client.get(path, params={"limit": -1}).status_code == 422, path
    assert client.get("/api/stories", params={"offset": 10**12}).status_code == 422
    for name in ("q", "entity", "outlet", "topic", "language"):
        assert client.get("/api/search", params={name: "x" * 10_000}).status_code == 422, name
    for name in ("participant", "country", "place", "topic"):
        assert client.get("/api/meetings", params={name: "x" * 10_000}).status_code == 422, name
    assert client.get("/api/article/" + "a" * 5000).status_code == 422
    # the longest accepted query with the most words, each a different name: answered, not a 500
    words = " ".join(f"Ab{i}" for i in range(66))[:200]
    assert client.get("/api/search", params={"q": words, "limit": 200}).status_code in (200, 503)
    # a body over the limit is refused before it is read
    token_client = TestClient(create_app(str(store), write_token="tok"))
    too_big = token_client.post("/api/ingest", content=b"{" * (21 * 1024 * 1024),
                                headers={"Authorization": "Bearer tok", "content-type": "application/json"})
    assert too_big.status_code == 413


def test_huge_request_lines_and_headers_are_refused(store):
    with running_server(create_app(str(store))) as base:
        port = int(base.rsplit(":", 1)[1])
        status, _ = raw_get(port, "/api/search?q=" + "x" * 70_000)
        assert 400 <= status < 500 or status == 431
        status, _ = raw_get(port, "/api/search?" + "&".join(f"q{i}=x" for i in range(5_000)))
        assert status in (200, 400, 414, 422, 431)


# -- binding and writes --------------------------------------------------------------------


def outside_address() -> str | None:
    """One of this machine's non-loopback addresses, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for a UDP connect
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_serve_binds_to_loopback_by_default(store):
    from newsgraph.cli_web import serve

    assert next(p for p in serve.params if p.name == "host").default == "127.0.0.1"
    port = free_port()
    script = Path(sys.executable).parent / "newsgraph"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "newsgraph.cli"]
    server = subprocess.Popen([*command, "serve", "--db", str(store), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        address = outside_address()
        if address:
            with pytest.raises(OSError):
                socket.create_connection((address, port), timeout=2).close()
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0:
            assert f"127.0.0.1:{port}" in listening.stdout and f"0.0.0.0:{port}" not in listening.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def write_routes(app) -> list[tuple[str, str]]:
    return sorted((method, route.path) for route in app.routes for method in getattr(route, "methods", ())
                  if method not in ("GET", "HEAD"))


def test_every_write_endpoint_needs_the_token(store, tmp_path):
    import shutil

    copy = tmp_path / "news.db"
    shutil.copy(store, copy)
    read_only, writable = create_app(str(copy)), create_app(str(copy), write_token="right-token")
    routes = write_routes(writable)
    assert ("POST", "/api/ingest") in routes
    body = {"records": [{"url": "https://example.org/w", "text": "Umerov met Kallas in Brussels."}]}
    before = copy.stat().st_mtime_ns, sum(1 for _ in open(copy, "rb"))
    for method, path in routes:
        for app, headers in ((read_only, {}), (read_only, {"Authorization": "Bearer right-token"}),
                             (writable, {}), (writable, {"Authorization": "Bearer wrong"}),
                             (writable, {"Authorization": "right-token"}), (writable, {"Authorization": "Bearer "}),
                             (writable, {"Authorization": "Basic right-token"})):
            response = TestClient(app).request(method, path, json=body, headers=headers)
            assert response.status_code in (401, 403), (method, path, headers, response.status_code)
    assert (copy.stat().st_mtime_ns, sum(1 for _ in open(copy, "rb"))) == before
    # the read API has no other way in
    for path in ("/api/stories", "/stories", "/api/search"):
        assert TestClient(writable).post(path, json=body).status_code == 405


# -- schemathesis -------------------------------------------------------------------------


schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (the dev extra)")

EXAMPLES = int(os.environ.get("NEWSGRAPH_API_FUZZ_EXAMPLES", "20"))


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_api_never_answers_500(store, tmp_path, mode):
    """Every operation of /openapi.json, with inputs schemathesis generates
    from it (valid ones, and invalid ones in the negative mode). The
    operations are driven with Hypothesis directly: schemathesis' lazy
    pytest fixture integration does not work with pytest 9."""
    import shutil

    from hypothesis import given
    from hypothesis.errors import Unsatisfiable

    copy = tmp_path / "news.db"
    shutil.copy(store, copy)
    # with a write token, so that the ingest endpoint is fuzzed past the auth check too
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(str(copy), write_token="fuzz-token"))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(o.method.upper(), o.path) for o in operations} >= {("GET", "/api/search"), ("POST", "/api/ingest")}
    calls = []
    for operation in operations:
        @given(case=operation.as_strategy(schemathesis.GenerationMode(mode)))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize="NEWSGRAPH_API_FUZZ_EXAMPLES" not in os.environ, database=None)
        def call(case):
            headers = {"Authorization": "Bearer fuzz-token"} if case.method == "POST" else {}
            response = case.call(headers=headers, timeout=300)  # the first ingest loads the NLP models
            calls.append(response.status_code)
            assert response.status_code < 500, (case.method, case.formatted_path, case.query, response.text[:300])
            assert response.headers.get("content-security-policy") == [CSP]

        try:
            call()
        except Unsatisfiable:  # nothing invalid to send: an operation without parameters
            assert mode == "negative" and not operation.definition.raw.get("parameters"), operation.path
    print(f"schemathesis {mode}: {len(calls)} requests over {len(operations)} operations, none answered 5xx")
    assert len(calls) >= len(operations)


# -- in a real browser ------------------------------------------------------------------------

CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""
INJECTED = ("iframe, object, embed, svg[onload], img[src='x'], [onerror], [onload], [onclick], [onfocus], "
            "#xsslink, script:not([src])")


def test_payloads_stay_inert_in_chromium(client, store):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    urls = [u for u in crawl(client, ["/", "/meetings", f"/entity/{quote(EVIL_ID, safe='')}"])
            if not u.startswith(("/api/", "/static/"))]
    urls += echo_pages()
    dialogs: list[str] = []
    with running_server(create_app(str(store))) as base, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.set_default_timeout(15_000)
            page.add_init_script(WATCH)
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            for url in urls:
                page.goto(base + url)
                page.wait_for_load_state("networkidle")
                page.wait_for_function(
                    "() => [...document.querySelectorAll('[data-src][data-key]')].every(el => el.dataset.ready)")
                for node in page.query_selector_all("a[href], button"):  # activate what can be activated
                    href = node.get_attribute("href") or ""
                    assert not href.strip().lower().startswith(("javascript:", "data:")), (url, href)
                state = page.evaluate(
                    f"() => ({{xss: window.__xss, violations: window.__violations, "
                    f"injected: document.querySelectorAll({INJECTED!r}).length}})")
                assert state == {"xss": None, "violations": [], "injected": 0}, (url, state)
            # the payloads are on screen as text
            article = next(u for u in urls if u.startswith("/article/") and "%" not in u)
            page.goto(base + article)
            assert PAYLOADS[0] in page.inner_text("h1")
            assert PAYLOADS[1] in page.inner_text("main")
        finally:
            browser.close()
    assert dialogs == [] and errors == []
