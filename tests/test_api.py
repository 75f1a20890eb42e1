"""The web app's JSON API and HTML pages, through FastAPI's TestClient,
against a real SQLite store: the example pages ingested through the
pipeline plus hand-made reports with entities, meetings and quotes
(tests/conftest_web.py)."""

from __future__ import annotations

import html
import json
import re
import sqlite3
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, jinja2) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from conftest_web import XSS, running_server, shared_store, writable_copy  # noqa: E402
from newsgraph.web import create_app  # noqa: E402
from newsgraph.web import markup, queries  # noqa: E402
from newsgraph.web.app import CSP  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EN_TITLE = "Umerov and Lecornu discuss joint arms production in Brussels"
REPRINT_OUTLET = "Передрук-Новини"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return shared_store(tmp_path_factory)


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    return TestClient(create_app(str(store)))


@pytest.fixture(scope="module")
def db(store):
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def article_id(db, title: str, outlet: str | None = None) -> str:
    sql = "SELECT id FROM articles WHERE title = ?" + (" AND outlet = ?" if outlet else "")
    return db.execute(sql, (title, outlet) if outlet else (title,)).fetchone()["id"]


def story_of(db, title: str) -> str:
    return db.execute("SELECT story_id FROM articles WHERE title = ?", (title,)).fetchone()["story_id"]


def pipeline_linked(db, entity_id: str, language: str) -> bool:
    """Whether the entity stage linked `entity_id` in an ingested example page."""
    row = db.execute(
        "SELECT 1 FROM article_entities ae JOIN articles a ON a.rid = ae.rid"
        " WHERE ae.entity_id = ? AND a.language = ? AND a.origin LIKE '%examples/pages/%'",
        (entity_id, language),
    ).fetchone()
    return row is not None


# -- pages and their JSON twins -------------------------------------------------


def pages(db) -> list[str]:
    return [
        "/", "/stories", f"/story/{story_of(db, EN_TITLE)}", f"/article/{article_id(db, EN_TITLE)}",
        "/entity/umerov-rustem", "/meetings", "/search?q=Умєровим",
    ]


def twin(path: str) -> str:
    return "/api/stories" if path == "/" else "/api" + path


def test_every_page_renders_and_has_a_json_twin(client, db):
    for path in pages(db):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
        assert '<link rel="stylesheet" href="/static/css/app.css">' in page.text
        data = client.get(twin(path))
        assert data.status_code == 200, twin(path)
        assert data.headers["content-type"] == "application/json"
        assert isinstance(data.json(), dict)
        # the page links its twin
        assert 'class="json-link"' in page.text


def test_story_feed(client, db):
    data = client.get("/api/stories").json()
    assert data["total"] == db.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == len(data["stories"])
    # newest first; undated stories (their times are ingest times) after the dated ones
    order = [(s["dated"], s["last_seen"]) for s in data["stories"]]
    assert order == sorted(order, reverse=True)
    story = next(s for s in data["stories"] if s["id"] == story_of(db, EN_TITLE))
    assert story["n_articles"] >= 3
    assert {"en", "uk"} <= set(story["languages"])
    assert story["n_outlets"] == len(story["outlets"]) >= 3
    assert {e["id"] for e in story["entities"]} >= {"umerov-rustem", "lecornu-sebastien"}
    assert all(set(e) >= {"id", "name", "type"} for e in story["entities"])
    assert story["first_seen"] <= story["last_seen"]


def test_story_feed_filters(client, db):
    ru = client.get("/api/stories", params={"language": "ru"}).json()
    assert ru["total"] >= 1
    for story in ru["stories"]:
        assert "ru" in story["languages"]
    kallas = client.get("/api/stories", params={"entity": "Kallas"}).json()
    assert "kallas-kaja" in kallas["entity_ids"]
    assert kallas["total"] >= 1
    for story in kallas["stories"]:
        members = client.get(f"/api/story/{story['id']}").json()["articles"]
        assert any("kallas-kaja" in {e["id"] for e in client.get(f"/api/article/{a['id']}").json()["entities"]}
                   for a in members)
    topic = client.get("/api/stories", params={"topic": "long_range_strike"}).json()
    assert 1 <= topic["total"] < client.get("/api/stories").json()["total"]
    for story in topic["stories"]:
        members = client.get(f"/api/story/{story['id']}").json()["articles"]
        assert any("long_range_strike" in {t["id"] for t in client.get(f"/api/article/{a['id']}").json()["article"]["topics"]}
                   for a in members)
    nothing = client.get("/api/stories", params={"entity": "Nobody Atall"}).json()
    assert nothing == {**nothing, "total": 0, "stories": []}


def test_story_page_groups_articles_and_marks_reprints(client, db):
    data = client.get(f"/api/story/{story_of(db, EN_TITLE)}").json()
    ids = {a["id"] for a in data["articles"]}
    assert {a["id"] for g in data["groups"] for a in g["articles"]} == ids
    assert len({(g["language"], g["outlet"]) for g in data["groups"]}) == len(data["groups"])
    reprint = next(a for a in data["articles"] if a["outlet"] == REPRINT_OUTLET)
    assert reprint["duplicate_of"] in ids
    assert reprint["duplicate_title"]
    # the merged meeting cites the English and the Ukrainian report
    event = next(e for e in data["events"]
                 if {p["id"] for p in e["participants"]} >= {"umerov-rustem", "lecornu-sebastien"}
                 and e["place"] and e["place"]["id"] == "city-brussels")
    assert {"en", "uk"} <= set(e for e in event["languages"])
    assert article_id(db, EN_TITLE) in {s["article_id"] for s in event["sources"]}
    assert all(s["title"] for s in event["sources"])
    page = client.get(f"/story/{story_of(db, EN_TITLE)}").text
    assert "near-duplicate of" in page


def test_article_json_offsets_point_into_the_body(client, db):
    data = client.get(f"/api/article/{article_id(db, EN_TITLE)}").json()
    body = data["article"]["body"]
    assert data["mentions"] and data["quotes"] and data["meetings"]
    for m in data["mentions"]:
        assert body[m["start"]:m["end"]] == m["text"]
    for q in data["quotes"]:
        assert body[q["start"]:q["end"]] == q["text"]
    for m in data["meetings"]:
        for start, end in m["evidence"]:
            assert 0 <= start < end <= len(body)
    assert data["quotes"][0]["speaker"]["id"] == "umerov-rustem"
    assert data["story"]["id"] == story_of(db, EN_TITLE)
    assert "_article" not in data


def test_article_page_marks_entities_quotes_and_meetings(client, db):
    page = client.get(f"/article/{article_id(db, EN_TITLE)}").text
    assert re.search(r'<a href="/entity/umerov-rustem" class="ent ent-PER"[^>]*>Rustem Umerov</a>', page)
    assert re.search(r'<a href="/entity/city-brussels" class="ent ent-LOC"', page)
    assert re.search(r'<a href="/entity/org-nato" class="ent ent-ORG"', page)
    # typed by whichever article stored the entity first (the pipeline may say ORG)
    assert re.search(r'<a href="/entity/pro-caesar" class="ent ent-(PRO|ORG)"', page)
    assert '<q class="hl-quote"' in page
    assert '<mark class="hl-meeting"' in page
    assert 'href="https://example.org/en/umerov-lecornu"' in page


def test_entity_page(client):
    data = client.get("/api/entity/umerov-rustem").json()
    assert data["entity"]["type"] == "PER"
    assert "Рустем Умєров" in data["names"]["uk"] and "Рустем Умеров" in data["names"]["ru"]
    assert "Rustem Umerov" in data["names"]["en"]
    assert any(r["role"] == "minister of defence" and r["of"] == "UA" for r in data["roles"]["kb"])
    assert any(r["role"] == "minister of defence" for r in data["roles"]["reported"])
    met = {p["id"] for e in data["meetings"] for p in e["participants"]} - {"umerov-rustem"}
    assert {"lecornu-sebastien", "kallas-kaja", "backes-yuriko"} <= met
    nodes = {n["id"]: n for n in data["graph"]["nodes"]}
    assert nodes["umerov-rustem"]["focus"] and {"lecornu-sebastien", "kallas-kaja"} <= set(nodes)
    assert all(e["source"] in nodes and e["target"] in nodes for e in data["graph"]["edges"])
    assert len(data["timeline"]) <= len(data["meetings"])
    assert any("joint defence projects" in q["text"] for q in data["quotes"])
    assert EN_TITLE in {a["title"] for a in data["articles"]}
    assert data["n_articles"] >= len(data["articles"])
    uk = client.get("/api/entity/umerov-rustem", params={"lang": "uk"}).json()
    assert uk["entity"]["name"] == "Рустем Умєров"


def test_place_page_lists_the_meetings_held_there(client):
    data = client.get("/api/entity/city-paris").json()
    assert data["entity"]["type"] == "LOC" and data["entity"]["country"] == "FR"
    assert data["meetings"] and all(m["place"]["id"] == "city-paris" for m in data["meetings"])
    assert data["entity"]["wikidata_url"] == "https://www.wikidata.org/wiki/Q90"


def test_entity_known_only_to_the_knowledge_base(client, db):
    from newsgraph.kb import load_kb

    stored = {r["id"] for r in db.execute("SELECT id FROM entities")}
    person = next(e for e in sorted(load_kb().entities.values(), key=lambda e: e.id)
                  if e.type == "PER" and e.id not in stored and e.roles)
    data = client.get(f"/api/entity/{person.id}").json()
    assert data["entity"]["name"] == person.name("en")
    assert data["roles"]["kb"] and data["meetings"] == [] and data["articles"] == []


def test_meetings_explorer_and_filters(client):
    everything = client.get("/api/meetings").json()
    assert everything["total"] == len(everything["meetings"]) >= 4
    keys = {p["key"] for m in everything["meetings"] for p in m["participants"]}
    assert {n["id"] for n in everything["graph"]["nodes"]} == keys
    dated = [m for m in everything["meetings"] if m["date_basis"] != "ingested"]
    assert len(everything["timeline"]) == len(dated)

    kallas = client.get("/api/meetings", params={"participant": "Kallas"}).json()
    assert kallas["total"] >= 2
    assert all("kallas-kaja" in {p["id"] for p in m["participants"]} for m in kallas["meetings"])
    paris = client.get("/api/meetings", params={"place": "Paris"}).json()
    assert paris["total"] >= 1 and all(m["place"]["id"] == "city-paris" for m in paris["meetings"])
    france = client.get("/api/meetings", params={"country": "France"}).json()
    assert france["total"] >= 1 and all("FR" in m["countries"] for m in france["meetings"])
    assert client.get("/api/meetings", params={"country": "fr"}).json()["total"] == france["total"]
    topic = client.get("/api/meetings", params={"topic": "international_coordination"}).json()
    assert topic["total"] >= 1
    assert all("international_coordination" in {t["id"] for t in m["topics"]} for m in topic["meetings"])
    spring = client.get("/api/meetings", params={"date_from": "2025-03-01", "date_to": "2025-04-30"}).json()
    assert spring["total"] >= 2 and all("2025-03-01" <= m["date"] <= "2025-04-30" for m in spring["meetings"])
    page = client.get("/api/meetings", params={"limit": 2, "offset": 1}).json()
    assert [m["id"] for m in page["meetings"]] == [m["id"] for m in everything["meetings"][1:3]]


def test_search_across_inflections(client, db):
    hits = client.get("/api/search", params={"q": "Умєровим"}).json()["hits"]
    titles = {h["title"] for h in hits}
    uk_examples = {r["title"] for r in db.execute(
        "SELECT title FROM articles WHERE language = 'uk' AND body LIKE '%Умєров%' AND is_latest = 1")}
    assert uk_examples and uk_examples <= titles
    assert EN_TITLE in titles  # through the entity's aliases: Умєров -> umerov-rustem -> "Umerov"
    for hit in hits:
        assert hit["highlights"] and hit["snippet"]
    assert client.get("/api/search", params={"q": "Умєровим", "language": "en"}).json()["hits"]
    assert all(h["language"] == "en" for h in client.get(
        "/api/search", params={"q": "Умєровим", "language": "en"}).json()["hits"])


def test_search_finds_the_russian_report_through_entity_linking(client, db):
    ru = db.execute("SELECT title FROM articles WHERE language = 'ru' AND origin LIKE '%examples/pages/%'").fetchone()
    if not pipeline_linked(db, "umerov-rustem", "ru"):
        pytest.xfail("the entity stage has not linked Умеров in the Russian example page (stage landing in parallel)")
    titles = {h["title"] for h in client.get("/api/search", params={"q": "Умєровим"}).json()["hits"]}
    assert ru["title"] in titles


def test_search_page_snippets_are_escaped_and_marked(client):
    page = client.get("/search", params={"q": "Умєровим"}).text
    assert "<mark>Умєровим</mark>" in page or "<mark>Умєров</mark>" in page
    assert "[Умєров" not in page  # bracket markers never reach the page


# -- errors and limits ----------------------------------------------------------


@pytest.mark.parametrize("path", ["/story/nope", "/article/nope", "/entity/nope", "/entity/per:nobody"])
def test_unknown_ids_are_404(client, path):
    assert client.get("/api" + path).status_code == 404
    assert client.get("/api" + path).json()["detail"].startswith("no such")
    page = client.get(path)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "limit=abc", "offset=-1", "offset=100001"])
def test_limit_validation(client, query):
    paths = ("/api/stories", "/api/meetings", "/api/entity/umerov-rustem")
    if query.startswith("limit"):
        paths += ("/api/search",)  # search pages by limit only
    for path in paths:
        assert client.get(f"{path}?{query}").status_code == 422, (path, query)
    assert client.get(f"/stories?{query}").status_code == 422


def test_limits_and_lengths_accepted_and_refused(client):
    assert client.get("/api/stories?limit=200").status_code == 200
    assert client.get("/api/search", params={"q": "x" * 200}).status_code == 200
    assert client.get("/api/search", params={"q": "x" * 201}).status_code == 422
    assert client.get("/api/meetings", params={"date_from": "2025-1-1"}).status_code == 422
    assert client.get("/api/meetings", params={"date_from": "2025-01-01'--"}).status_code == 422
    # a submitted form sends its blank fields
    blank = "participant=&country=&place=&topic=&date_from=&date_to="
    assert client.get(f"/meetings?{blank}").status_code == 200
    assert client.get(f"/api/meetings?{blank}").json()["total"] == client.get("/api/meetings").json()["total"]
    assert client.get("/search?q=Umerov&language=&topic=&entity=&outlet=&date_from=&date_to=").status_code == 200


@pytest.mark.parametrize("query", ['" OR 1=1 --', "'; DROP TABLE articles; --", "NEAR(a b)", "*", 'a" AND "b', "-",
                                   "Умєров* OR x", "\\", "%_"])
def test_search_syntax_is_never_sql_or_fts(client, db, query):
    response = client.get("/api/search", params={"q": query, "entity": query, "outlet": query})
    assert response.status_code == 200
    assert client.get("/search", params={"q": query}).status_code == 200
    assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] > 0


def test_every_response_carries_the_security_headers(client, db):
    for path in [*pages(db), *(twin(p) for p in pages(db)), "/static/css/app.css", "/static/js/page.js",
                 "/openapi.json", "/nope", "/api/story/nope", "/api/stories?limit=0"]:
        response = client.get(path)
        assert response.headers["content-security-policy"] == CSP, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_no_inline_scripts_or_styles_in_pages(client, db):
    for path in pages(db):
        page = client.get(path).text
        assert "style=" not in page, path
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert 'src="/static/' in tag, (path, tag)
        assert not re.search(r"<script\b[^>]*>[^<]+</script>", page), path
        assert not re.search(r"\son[a-z]+=", page), path  # no event handler attributes


@pytest.mark.parametrize("path", ["/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/..%2f..%2fstore/sqlite.py",
                                  "/static/css/..%2f..%2f..%2fweb%2fapp.py", "/static//etc/passwd"])
def test_static_files_do_not_traverse(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "def create_app" not in response.text and "root:" not in response.text


def test_static_files_do_not_traverse_over_real_http(store):
    """Raw request paths, as a hostile client sends them (TestClient would
    normalise the dots away), against a real uvicorn server."""
    import http.client

    with running_server(create_app(str(store))) as base:
        port = int(base.rsplit(":", 1)[1])
        for raw in ("/static/../app.py", "/static/../../store/sqlite.py", "/static/%2e%2e/app.py",
                    "/static/..%5capp.py", "/static/css/../../app.py", "/static/./../labels.yaml"):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.putrequest("GET", raw, skip_host=False)
            conn.endheaders()
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            conn.close()
            assert response.status == 404, raw
            assert "def create_app" not in body and "class SQLiteStore" not in body and "nav_stories" not in body


def test_unexpected_errors_still_carry_the_headers(store, monkeypatch):
    from newsgraph.web import views

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "stories", broken)
    response = TestClient(create_app(str(store)), raise_server_exceptions=False).get("/api/stories")
    assert response.status_code == 500
    assert response.headers["content-security-policy"] == CSP
    assert "boom" not in response.text


def test_vendored_scripts_are_served_as_javascript(client):
    response = client.get("/static/vendor/cytoscape/cytoscape.esm.min.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")


def test_vendored_assets_match_their_pins():
    """The files under static/vendor are the ones tools/vendor_assets.sh
    wrote from the pinned versions (sha256 in VERSIONS)."""
    import hashlib

    vendor = ROOT / "newsgraph" / "web" / "static" / "vendor"
    lines = [line.split() for line in (vendor / "VERSIONS").read_text().splitlines() if line and not line.startswith("#")]
    digests = {name.removeprefix("./"): digest for digest, name in (line for line in lines if len(line) == 2 and len(line[0]) == 64)}
    assert "cytoscape/cytoscape.esm.min.js" in digests and "cytoscape/LICENSE" in digests
    for name, digest in digests.items():
        assert hashlib.sha256((vendor / name).read_bytes()).hexdigest() == digest, name
    pinned = json.loads((ROOT / "tools" / "web-assets" / "package.json").read_text())["dependencies"]
    assert f"cytoscape {pinned['cytoscape']}" in (vendor / "VERSIONS").read_text()


def test_ui_loads_nothing_from_elsewhere():
    web = ROOT / "newsgraph" / "web"
    for path in [*web.glob("templates/*.html"), *web.glob("static/js/*.js"), *web.glob("static/css/*.css")]:
        text = path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), path


def test_openapi_describes_the_api_only(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/stories", "/api/story/{story_id}", "/api/article/{article_id}", "/api/entity/{entity_id}",
            "/api/meetings", "/api/search", "/api/ingest"} <= paths
    assert not {p for p in paths if not p.startswith("/api/")}
    limit = next(p for p in spec["paths"]["/api/stories"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_query_timeout_gives_503(store, monkeypatch):
    monkeypatch.setattr(queries, "PROGRESS_STEPS", 1)
    slow = TestClient(create_app(str(store), timeout_s=1e-9))
    response = slow.get("/api/stories")
    assert response.status_code == 503
    assert "too long" in response.json()["detail"]
    assert slow.get("/").status_code == 503


def test_interface_language(client):
    page = client.get("/", params={"lang": "uk"})
    assert ">Сюжети</a>" in page.text and '<html lang="uk">' in page.text
    assert "lang=uk" in page.headers["set-cookie"]
    client.cookies.set("lang", "uk")
    try:
        assert ">Зустрічі</a>" in client.get("/meetings").text
    finally:
        client.cookies.clear()
    assert ">Meetings</a>" in client.get("/meetings").text
    assert client.get("/", params={"lang": "xx"}).status_code == 200


def test_page_text_is_escaped_everywhere(tmp_path_factory):
    store = shared_store(tmp_path_factory, "xss")
    client = TestClient(create_app(str(store)))
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    article = conn.execute("SELECT id, story_id FROM articles").fetchone()
    conn.close()
    paths = ["/", f"/story/{article[1]}", f"/article/{article[0]}", "/meetings",
             "/entity/" + __import__("urllib.parse").parse.quote(f"per:{XSS[2]}", safe=""),
             "/search?q=" + __import__("urllib.parse").parse.quote(XSS[0])]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.text
        for payload in XSS:
            assert payload not in text, (path, payload)
        assert "<img src=x" not in text and "<svg onload" not in text and "<script>window" not in text
        assert "javascript:" not in text, path
    article_page = client.get(f"/article/{article[0]}").text
    assert html.escape(XSS[0], quote=False) in article_page


# -- writes ---------------------------------------------------------------------


RECORD = {"url": "https://example.org/api-upload-1", "title": "Умєров провів зустріч у Вільнюсі",
          "text": "Міністр оборони України Рустем Умєров провів зустріч з колегою з Литви у Вільнюсі.",
          "language": "uk", "published": "2025-06-02T10:00:00+03:00", "outlet": "API test"}


def test_writes_are_refused_without_a_configured_token(client):
    assert client.post("/api/ingest", json={"records": [RECORD]}).status_code == 403
    assert client.post("/api/ingest", json={"records": [RECORD]},
                       headers={"Authorization": "Bearer anything"}).status_code == 403
    assert client.get("/api/search", params={"q": "Вільнюсі"}).json()["hits"] == []


def test_writes_need_the_token(tmp_path_factory):
    path = writable_copy(tmp_path_factory)
    client = TestClient(create_app(str(path), write_token="s3cret-token"))
    assert client.post("/api/ingest", json={"records": [RECORD]}).status_code == 401
    assert client.post("/api/ingest", json={"records": [RECORD]},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.post("/api/ingest", json={"records": [RECORD]},
                       headers={"Authorization": "Basic s3cret-token"}).status_code == 401
    assert client.get("/api/search", params={"q": "Вільнюсі"}).json()["hits"] == []
    auth = {"Authorization": "Bearer s3cret-token"}
    assert client.post("/api/ingest", json={"records": []}, headers=auth).status_code == 422
    assert client.post("/api/ingest", content=b"x" * (21 * 1024 * 1024), headers=auth).status_code == 413
    response = client.post("/api/ingest", json={"records": [RECORD]}, headers=auth)
    assert response.status_code == 200, response.text
    assert response.json()["articles"] == 1 and response.json()["errors"] == []
    hits = client.get("/api/search", params={"q": "Вільнюсі"}).json()["hits"]
    assert [h["title"] for h in hits] == [RECORD["title"]]
    again = client.post("/api/ingest", json={"records": [RECORD]}, headers=auth).json()
    assert again["skipped"] == 1 and again["articles"] == 0


# -- markup -------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.stack, self.balanced = [], [], True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.balanced &= bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


def test_highlight_keeps_the_text_and_balances_tags():
    from newsgraph.model import Entity, Meeting, Mention, Participant, Quote

    body = 'A <b>"Умєров" & Лекорню</b> met.\n\nSecond <script>x</script> para "quote here" end.'
    e1 = Entity(id="p:1", type="PER", lemma="", name="<i>x</i>", mentions=[Mention("Умєров", 7, 13, "")])
    e2 = Entity(id="p:2", type="ORG", lemma="", name="y", mentions=[Mention("x", 3, 20, ""), Mention("?", 500, 600, "")])
    quote = Quote(text="quote here", start=body.index("quote"), end=body.index("quote") + 10, speaker={"name": "<b>"})
    meeting = Meeting(participants=[Participant("p:1", "<u>")], kind="m", cameo="", evidence=[(2, 60), (-1, 3)])
    spans = [*markup.entity_spans([e1, e2], len(body)), *markup.quote_spans([quote], len(body), "Quote"),
             *markup.meeting_spans([meeting], len(body), "Meeting")]
    out = str(markup.highlight(body, spans))
    parser = _Text()
    parser.feed(out)
    assert parser.balanced and not parser.stack
    assert "".join(parser.text).replace("\n", "") == "".join(body.split("\n"))
    assert "<script>" not in out and "<b>" not in out


def test_snippet_marks_and_escapes():
    body = "Intro <b>bold</b> text. " * 3 + "Then Умєров met Лекорню <script>alert(1)</script> again."
    start = body.index("Умєров")
    out = str(markup.snippet(body, [[start, start + 6]]))
    assert "<mark>Умєров</mark>" in out and "<script>" not in out and "&lt;script&gt;" in out


def test_http_url_allows_only_web_links():
    assert markup.http_url("https://example.org/a?b=1") == "https://example.org/a?b=1"
    for bad in ("javascript:alert(1)", " javascript:alert(1)", "JAVASCRIPT:x", "data:text/html,x", "java\tscript:x",
                "//evil.example", "", None):
        assert markup.http_url(bad) is None


# -- reading while ingest writes (WAL) ------------------------------------------------


INGEST_SCRIPT = """
import json, sys
from pathlib import Path
from newsgraph.ingest import ingest
from newsgraph.stories.samples import slow_processor

folder = Path(sys.argv[2])
for i in range(int(sys.argv[3])):
    spec = {"title": f"Concurrent report {i}", "language": "en", "published": f"2025-07-{1 + i % 28:02d}T10:00:00+00:00",
            "body": f"Report number {i} about the defence ministers meeting in Vilnius, with details {i * 7}.",
            "entities": [["umerov-rustem", "Rustem Umerov", ["defence ministers"], "PER"]]}
    (folder / f"page-{i:03d}.txt").write_text(json.dumps(spec), encoding="utf-8")
print("ready", flush=True)
report = ingest([str(folder)], sys.argv[1], input_format="text", batch_size=1, processor=slow_processor)
print(json.dumps({"articles": report.articles, "errors": len(report.errors)}), flush=True)
"""


def test_api_stays_responsive_while_ingest_writes(tmp_path_factory, tmp_path):
    path = writable_copy(tmp_path_factory)
    client = TestClient(create_app(str(path)))
    before = client.get("/api/search", params={"q": "Vilnius", "limit": 200}).json()["hits"]
    n = 12
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST_SCRIPT, str(path), str(tmp_path), str(n)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    counts, statuses, during = set(), [], 0
    try:
        while process.poll() is None:
            for url in ("/api/stories", "/api/meetings", "/api/search?q=Vilnius&limit=200", "/", "/search?q=Vilnius"):
                response = client.get(url)
                statuses.append(response.status_code)
                if url.startswith("/api/search"):
                    counts.add(len(response.json()["hits"]))
            during += process.poll() is None
            time.sleep(0.01)
    finally:
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert json.loads(out.splitlines()[-1]) == {"articles": n, "errors": 0}
    assert during > 0 and statuses and set(statuses) == {200}
    after = client.get("/api/search", params={"q": "Vilnius", "limit": 200}).json()["hits"]
    assert len(after) == len(before) + n
    # reads saw the store part-way through the ingest, not only before/after
    assert any(len(before) < c < len(after) for c in counts), counts


def test_called_off_and_planned_meetings_are_marked_and_left_out_of_the_network(tmp_path):
    from newsgraph.ingest import ingest_articles
    from newsgraph.stories.samples import article, entity, meeting

    body = "Умєров і Лекорню провели зустріч. Зустріч Умєрова з Каллас скасовано, з Рютте заплановано."
    people = [("umerov", "Rustem Umerov"), ("lecornu", "Sébastien Lecornu"), ("kallas", "Kaja Kallas"), ("rutte", "Mark Rutte")]
    db = tmp_path / "status.db"
    ingest_articles([article("Зустрічі", body, "uk", "2025-02-14T11:58:00+02:00", "s.txt",
                             entities=[entity(i, n, [n], body=body) for i, n in people],
                             meetings=[meeting(people[:2], "2025-02-14", "explicit"),
                                       meeting([people[0], people[2]], "2025-02-14", "explicit", status="cancelled"),
                                       meeting([people[0], people[3]], "2025-03-01", "explicit", status="planned")])], db)
    client = TestClient(create_app(str(db)))
    found = client.get("/api/meetings").json()
    statuses = {frozenset(p["id"] for p in m["participants"]): m["status"] for m in found["meetings"]}
    assert statuses == {frozenset({"umerov", "lecornu"}): "happened", frozenset({"umerov", "kallas"}): "cancelled",
                        frozenset({"umerov", "rutte"}): "planned"}
    assert {n["id"] for n in found["graph"]["nodes"]} == {"umerov", "lecornu"}
    page = client.get("/meetings").text
    assert "cancelled" in page and ">planned<" in page
    assert "скасовано" in client.get("/meetings", params={"lang": "uk"}).text
    art = client.get("/api/article/" + found["meetings"][0]["sources"][0]["article_id"]).json()
    assert sorted(m["status"] for m in art["meetings"]) == ["cancelled", "happened", "planned"]
