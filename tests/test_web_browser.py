"""End-to-end tests of the web UI in headless Chromium (Playwright) against
a real uvicorn server on a free loopback port.

Needs the Debian `chromium` package (/usr/bin/chromium, or the path in
NEWSGRAPH_CHROMIUM) and the `playwright` Python package; never runs
`playwright install` (no downloads). Screenshots of every page at 1280×800
(English and Ukrainian labels) go to test-artifacts/screenshots/, which git
ignores: CI keeps that folder as the run's artifacts.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, uvicorn, jinja2) is not installed")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
CHROMIUM = os.environ.get("NEWSGRAPH_CHROMIUM", "/usr/bin/chromium")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set NEWSGRAPH_CHROMIUM)",
                allow_module_level=True)

from fastapi.testclient import TestClient  # noqa: E402

from conftest_web import XSS, running_server, shared_store  # noqa: E402
from newsgraph.web import create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
EN_TITLE = "Umerov and Lecornu discuss joint arms production in Brussels"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return shared_store(tmp_path_factory)


@pytest.fixture(scope="module")
def site(store):
    with running_server(create_app(str(store))) as base:
        yield base


@pytest.fixture(scope="module")
def api(store) -> TestClient:
    return TestClient(create_app(str(store)))


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh 1280×800 page that records console errors, CSP violations
    and uncaught exceptions; the test fails if any occur."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # (a fetch cut short by leaving the page is not a problem)
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}")
            if "ERR_ABORTED" not in (r.failure or "") else None)
    page.problems = problems
    yield page
    context.close()
    assert problems == []


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def charts_ready(page) -> None:
    """Wait until every chart container on the page has drawn (or said why not)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-src][data-key]')].every(el => el.dataset.ready === '1')")


def wait_charts(page) -> dict[str, dict[str, str]]:
    page.wait_for_selector("#graph[data-ready='1']")
    page.wait_for_selector("#timeline[data-ready='1']")
    return page.evaluate(
        "() => Object.fromEntries(['graph', 'timeline'].map(id => [id, {...document.getElementById(id).dataset}]))"
    )


def ids_of(db_path: Path, title: str) -> tuple[str, str]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT id, story_id FROM articles WHERE title = ?", (title,)).fetchone()
    finally:
        conn.close()


def test_story_to_article_to_entity(page, site, store, api):
    article_id, story_id = ids_of(store, EN_TITLE)
    page.goto(site + "/")
    assert page.locator(".story-card").count() == api.get("/api/stories").json()["total"]
    shoot(page, "stories")
    page.click(f".story-card[data-story='{story_id}'] h2 a")
    page.wait_for_url(f"**/story/{story_id}")
    assert page.inner_text("h1") == api.get(f"/api/story/{story_id}").json()["story"]["title"]
    assert page.locator(".dup-note").count() == 1
    shoot(page, "story")
    page.click(f"li[data-article='{article_id}'] > a")
    page.wait_for_url(f"**/article/{article_id}")
    assert page.inner_text("h1") == EN_TITLE
    data = api.get(f"/api/article/{article_id}").json()
    assert page.locator("#article-body a.ent").count() == len(data["mentions"])  # no overlapping mentions here
    assert page.locator("#article-body q.hl-quote").count() == len(data["quotes"])
    assert page.locator("#article-body mark.hl-meeting").count() >= len(data["meetings"])
    shoot(page, "article")
    page.click("#article-body a.ent[data-entity='umerov-rustem'] >> nth=0")
    page.wait_for_url("**/entity/umerov-rustem")
    assert page.inner_text("h1") == "Rustem Umerov"
    charts = wait_charts(page)
    entity = api.get("/api/entity/umerov-rustem").json()
    assert charts["graph"]["nodes"] == charts["graph"]["renderedNodes"] == str(len(entity["graph"]["nodes"]))
    assert charts["graph"]["edges"] == charts["graph"]["renderedEdges"] == str(len(entity["graph"]["edges"]))
    assert charts["timeline"]["events"] == str(len(entity["timeline"]))
    assert page.locator("#timeline svg circle").count() == len(entity["timeline"])
    assert "Рустем Умєров" in page.inner_text(".entity-facts")
    shoot(page, "entity")


def test_feed_filters(page, site, api):
    page.goto(site + "/")
    page.select_option("#f-language", "ru")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*language=ru.*"))
    expected = api.get("/api/stories", params={"language": "ru"}).json()
    assert page.locator(".story-card").count() == expected["total"] >= 1
    for card in page.locator(".story-card").all():
        assert "RU" in card.locator(".langs").inner_text().upper()
    page.fill("#f-entity", "Kallas")
    page.select_option("#f-language", "")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*entity=Kallas.*"))
    expected = api.get("/api/stories", params={"entity": "Kallas"}).json()
    cards = {c.get_attribute("data-story") for c in page.locator(".story-card").all()}
    assert cards == {s["id"] for s in expected["stories"]} and cards
    page.select_option("#f-topic", "long_range_strike")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*topic=long_range_strike.*"))
    expected = api.get("/api/stories", params={"entity": "Kallas", "topic": "long_range_strike"}).json()
    assert page.locator(".story-card").count() == expected["total"]
    page.click("a.reset")
    assert page.locator(".story-card").count() == api.get("/api/stories").json()["total"]


def test_search_from_the_header(page, site, api):
    page.goto(site + "/meetings")
    page.fill(".quicksearch input[name=q]", "Умєровим")
    page.press(".quicksearch input[name=q]", "Enter")
    page.wait_for_url(re.compile(r".*/search\?q=.*"))
    hits = api.get("/api/search", params={"q": "Умєровим"}).json()["hits"]
    assert page.locator(".hit").count() == len(hits) >= 3
    assert page.locator(".hit .snippet mark").count() >= len(hits)
    assert EN_TITLE in page.inner_text(".results")
    shoot(page, "search")
    page.select_option("#f-language", "en")
    page.click(".searchrow button")
    page.wait_for_url(re.compile(r".*language=en.*"))
    hits = api.get("/api/search", params={"q": "Умєровим", "language": "en"}).json()["hits"]
    assert page.locator(".hit").count() == len(hits) >= 1
    page.click(".hit h2 a >> nth=0")
    page.wait_for_url("**/article/*")


def test_meetings_explorer(page, site, api):
    page.goto(site + "/meetings")
    charts = wait_charts(page)
    data = api.get("/api/meetings").json()
    assert charts["graph"]["nodes"] == charts["graph"]["renderedNodes"] == str(len(data["graph"]["nodes"]))
    assert charts["graph"]["edges"] == str(len(data["graph"]["edges"]))
    assert charts["timeline"]["events"] == charts["timeline"]["renderedEvents"] == str(len(data["timeline"]))
    assert page.locator(".meetings-table tbody tr").count() == len(data["meetings"])
    shoot(page, "meetings")

    page.fill("#f-participant", "Kallas")
    page.click("form.filters button[type=submit]")
    page.wait_for_url(re.compile(r".*participant=Kallas.*"))
    charts = wait_charts(page)
    kallas = api.get("/api/meetings", params={"participant": "Kallas"}).json()
    assert charts["graph"]["nodes"] == str(len(kallas["graph"]["nodes"]))
    assert charts["timeline"]["events"] == str(len(kallas["timeline"]))
    assert page.locator(".meetings-table tbody tr").count() == kallas["total"] < data["total"]

    # clicking a node opens the entity page
    box = page.locator("#graph").bounding_box()
    position = page.evaluate("() => window.__graphs.at(-1).$id('kallas-kaja').renderedPosition()")
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.wait_for_url("**/entity/kallas-kaja")
    assert page.inner_text("h1") == "Kaja Kallas"


def test_language_switch(page, site):
    page.goto(site + "/")
    page.click(".langswitch a[hreflang=uk]")
    page.wait_for_url(re.compile(r".*lang=uk.*"))
    assert page.inner_text(".mainnav") .split() == ["Сюжети", "Зустрічі", "Пошук"]
    page.click(".mainnav a[href='/meetings']")
    assert page.inner_text("h1") == "Зустрічі"  # the cookie keeps the choice
    wait_charts(page)
    shoot(page, "meetings-uk")
    page.click(".langswitch a[hreflang=en]")
    assert page.inner_text("h1") == "Meetings explorer"


LAYOUT_CHECK = """() => {
    const bad = [];
    // siblings that must sit side by side without overlapping
    for (const selector of ['.topbar-inner > *', 'form.filters > label, form.filters > button', '.columns > *',
                            '.entity-facts > *']) {
      const boxes = [...document.querySelectorAll(selector)].map(e => [e, e.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && r.height > 0);
      boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, s]) => {
        if (r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 && s.top < r.bottom - 1)
          bad.push('overlap ' + selector + ': ' + a.className + ' / ' + b.className);
      }));
    }
    // chips, roles and text stay inside their box
    for (const el of document.querySelectorAll('main .chip, main .role, main .tag, main h1, main h2, main p')) {
      const box = el.closest('.panel, .event, .story-card, .hit, .group, .reader, td, .filters, main');
      const r = el.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (r.width > 0 && (r.right > b.right + 1 || r.left < b.left - 1))
        bad.push('overflow: ' + el.className + ' ' + el.textContent.slice(0, 30));
    }
    // the filter form fits on one row
    const fields = [...document.querySelectorAll('form.filters:not(.inline) > *')].map(e => e.getBoundingClientRect().bottom);
    if (fields.length && Math.max(...fields) - Math.min(...fields) > 8) bad.push('filters wrap');
    if (document.documentElement.scrollWidth > window.innerWidth) bad.push('horizontal scroll');
    return bad;
}"""


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_nothing_overlaps_at_1280(page, site, store, lang):
    """Header items, filter fields and columns sit side by side without
    overlapping, and nothing spills out of its box, at 1280×800."""
    article_id, story_id = ids_of(store, EN_TITLE)
    for path in ("/", "/meetings", f"/story/{story_id}", f"/article/{article_id}", "/entity/umerov-rustem",
                 "/search?q=Umerov"):
        page.goto(f"{site}{path}{'&' if '?' in path else '?'}lang={lang}")
        charts_ready(page)
        assert page.evaluate(LAYOUT_CHECK) == [], path
        shoot(page, f"{lang}-{path.strip('/').split('/')[0].split('?')[0] or 'stories'}")


# -- undated reports ---------------------------------------------------------------


@pytest.fixture(scope="module")
def undated_site(tmp_path_factory):
    """One dated and one undated report, of two different meetings."""
    from conftest_web import _entity, _meeting
    from newsgraph.ingest import ingest_articles
    from newsgraph.stories.samples import article

    made = []
    for title, published, people, role in (
        ("Abel met Baker in Kyiv", "2025-03-01T10:00:00+02:00", ["Ann Abel", "Bob Baker"], "envoy"),
        ("Carter met Dunn somewhere", None, ["Cid Carter", "Dee Dunn"], "minister"),
    ):
        sentence = f"{people[0]} met {people[1]}."
        body = f"{sentence}\n\nThey talked about grain and ports for an hour."
        ids = [f"per:{name.split()[1].lower()}" for name in people]
        made.append(article(
            title, body, "en", published, f"sample/{ids[0]}.txt", outlet="Wire",
            entities=[_entity(i, n, "PER", body, [n]) for i, n in zip(ids, people)],
            meetings=[_meeting(body, sentence, [(i, n, role) for i, n in zip(ids, people)],
                               published[:10] if published else None, None, [])],
        ))
    store = tmp_path_factory.mktemp("web-undated") / "news.db"
    ingest_articles(made, store)
    with running_server(create_app(str(store))) as base:
        yield base


def test_undated_meetings_show_as_undated_and_stay_off_the_timeline(page, undated_site):
    """An undated report's only day is the day it was ingested: never shown
    as its date, never on the timeline, never inside a date range."""
    page.goto(undated_site + "/meetings?lang=en")
    charts = wait_charts(page)
    assert charts["timeline"]["events"] == charts["timeline"]["renderedEvents"] == "1"
    rows = {r.locator("td").nth(1).inner_text().split()[0]: r.locator("td").first.inner_text()
            for r in page.locator(".meetings-table tbody tr").all()}
    assert rows == {"Ann": "2025-03-01", "Cid": "date unknown"}
    assert "1 meeting without a known date" in page.inner_text(".timeline-note")
    page.goto(undated_site + "/meetings?date_from=2000-01-01")
    assert page.locator(".meetings-table tbody tr").count() == 1  # the dated one only
    page.goto(undated_site + "/entity/per:carter")
    charts_ready(page)
    assert "undated" in page.inner_text(".roles")  # the role's only report has no date
    assert "undated" in page.inner_text("ul.articles")
    assert not re.search(r"\d{4}-\d{2}-\d{2}", page.inner_text("main .columns"))
    shoot(page, "entity-undated")


# -- a crowded store ---------------------------------------------------------------


@pytest.fixture(scope="module")
def crowded_site(tmp_path_factory):
    """35 meetings of 70 different people, all on one day."""
    from conftest_web import _entity, _meeting
    from newsgraph.ingest import ingest_articles
    from newsgraph.stories.samples import article

    made = []
    for n in range(35):
        people = [(f"per:a{n}", f"Alpha{n} Person"), (f"per:b{n}", f"Beta{n} Person")]
        sentence = f"{people[0][1]} met {people[1][1]}."
        body = f"{sentence}\n\nTopic number {n} was discussed at length by both of them."
        made.append(article(
            f"Meeting {n}", body, "en", "2025-03-01T10:00:00+02:00", f"sample/crowded-{n}.txt",
            entities=[_entity(i, name, "PER", body, [name]) for i, name in people],
            meetings=[_meeting(body, sentence, [(i, name, None) for i, name in people], "2025-03-01", None, [])],
        ))
    store = tmp_path_factory.mktemp("web-crowded") / "news.db"
    ingest_articles(made, store)
    with running_server(create_app(str(store))) as base:
        yield base


def test_a_crowded_page_stays_bounded_and_inside_its_boxes(page, crowded_site):
    page.goto(crowded_site + "/meetings?lang=en")
    charts = wait_charts(page)
    assert charts["graph"]["nodes"] == charts["graph"]["renderedNodes"] == "50"  # the bound, of 70
    assert "50 of 70" in page.inner_text(".col-graph h2")
    assert charts["timeline"]["events"] == charts["timeline"]["renderedEvents"] == "35"
    # one day's 35 meetings stack inside the chart, not above it
    outside = page.evaluate("""() => {
        const box = document.querySelector('#timeline svg').getBoundingClientRect();
        return [...document.querySelectorAll('#timeline circle')].map(c => c.getBoundingClientRect())
            .filter(r => r.top < box.top || r.bottom > box.bottom).length; }""")
    assert outside == 0
    zoom = page.evaluate("() => window.__graphs.at(-1).zoom()")
    assert zoom >= 0.5  # packed tight enough for its larger labels to show
    assert page.evaluate(LAYOUT_CHECK) == []
    shoot(page, "meetings-crowded")
    # search shows the best 20 and offers the rest
    page.goto(crowded_site + "/search?q=Person")
    assert page.locator(".hit").count() == 20 and "the best matches" in page.inner_text(".results-count")
    page.click(".more-results a")
    page.wait_for_url(re.compile(r".*limit=40.*"))
    assert page.locator(".hit").count() == 35 and page.locator(".more-results").count() == 0


# -- script injection -------------------------------------------------------------


@pytest.fixture(scope="module")
def xss_site(tmp_path_factory):
    store = shared_store(tmp_path_factory, "xss")
    with running_server(create_app(str(store))) as base:
        yield base, store


def test_injected_markup_stays_text(page, xss_site):
    base, store = xss_site
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    article_id, story_id = conn.execute("SELECT id, story_id FROM articles").fetchone()
    conn.close()
    paths = ["/", f"/story/{story_id}", f"/article/{article_id}", "/meetings",
             "/entity/" + quote(f"per:{XSS[2]}", safe=""), "/search?q=" + quote("Minister " + XSS[1]),
             "/search?q=" + quote(XSS[0]) + "&entity=" + quote(XSS[2])]
    for path in paths:
        page.goto(base + path)
        charts_ready(page)
        assert page.evaluate("() => window.__xss") is None, path
        assert page.locator("main img, main svg[onload]").count() == 0, path
        assert page.locator("main script, main [onerror], main [onload]").count() == 0, path
    page.goto(f"{base}/article/{article_id}")
    text = page.inner_text("main")
    for payload in XSS:
        assert payload in text  # shown as text
    assert page.locator("a[href^='javascript:']").count() == 0
    assert page.evaluate(LAYOUT_CHECK) == []  # long hostile names wrap inside their boxes
    shoot(page, "xss-article")
    page.goto(base + "/meetings")
    charts = wait_charts(page)
    assert charts["graph"]["nodes"] == "2"
    assert page.evaluate("() => window.__xss") is None
