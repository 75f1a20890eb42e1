"""The web app over a PostgreSQL store answers as it does over SQLite: the
same hand-made reports (tests/conftest_web.py) go into both stores, and
every JSON endpoint and page is compared. Skips without NEWSGRAPH_TEST_PG."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="the web extra (fastapi, jinja2) is not installed")
from fastapi.testclient import TestClient  # noqa: E402

from conftest_web import BACKES, BRUSSELS, KALLAS, LECORNU, PARIS, UMEROV, sample_articles  # noqa: E402
from newsgraph.ingest import ingest_articles  # noqa: E402
from newsgraph.web import create_app  # noqa: E402
from newsgraph.web.pg import to_postgres  # noqa: E402
from store_backends import fresh_pg_url  # noqa: E402


@pytest.fixture(scope="module")
def clients(tmp_path_factory):
    sqlite_path = tmp_path_factory.mktemp("web-sqlite") / "news.db"
    with fresh_pg_url() as pg_url:
        for target in (sqlite_path, pg_url):
            ingest_articles(sample_articles(), target)
        yield TestClient(create_app(str(sqlite_path))), TestClient(create_app(pg_url))


def both(clients, path: str):
    sqlite_client, pg_client = clients
    a, b = sqlite_client.get(path), pg_client.get(path)
    assert a.status_code == b.status_code == 200, (path, a.status_code, b.status_code, b.text[:300])
    return a, b


def urls(clients) -> list[str]:
    """Every story, article, entity and event page the SQLite app links to."""
    sqlite_client, _ = clients
    stories = sqlite_client.get("/api/stories?limit=200").json()["stories"]
    found = ["/api/stories", "/api/stories?limit=200&offset=1", "/api/meetings", "/api/meetings?date_from=2025-03-01",
             "/api/meetings?entity=umerov-rustem", "/api/meetings?date_from=2025-01-01&date_to=2025-12-31"]
    for story in stories:
        found.append(f"/api/story/{story['id']}")
        detail = sqlite_client.get(f"/api/story/{story['id']}").json()
        found += [f"/api/article/{a['id']}" for a in detail["articles"]]
    for entity_id in (UMEROV[0], LECORNU[0], KALLAS[0], BACKES[0], PARIS["id"], BRUSSELS["id"]):
        found += [f"/api/entity/{entity_id}", f"/api/meetings?entity={entity_id}"]
    return list(dict.fromkeys(found))


def test_every_json_endpoint_gives_the_same_answer(clients):
    checked = urls(clients)
    assert len(checked) > 25
    for path in checked:
        a, b = both(clients, path)
        assert a.json() == b.json(), path


@pytest.mark.parametrize("query", ["Umerov", "Умєров", "Умерова", "Brussels", "Kallas Paris", "nothing-like-this"])
def test_search_finds_the_same_articles(clients, query):
    a, b = both(clients, f"/api/search?q={query}")
    hits_a, hits_b = a.json()["hits"], b.json()["hits"]
    # Same hits, snippets and highlights; only the rank scale differs (bm25 / ts_rank).
    strip = lambda hits: sorted(({k: v for k, v in h.items() if k != "score"} for h in hits), key=lambda h: h["id"])  # noqa: E731
    assert strip(hits_a) == strip(hits_b)
    if query != "nothing-like-this":
        assert hits_b


@pytest.mark.parametrize("path", ["/", "/meetings", "/search?q=Umerov&language=en", "/entity/umerov-rustem"])
def test_pages_render_from_postgresql(clients, path):
    a, b = both(clients, path)
    assert b.headers["content-type"].startswith("text/html")
    if "search" not in path:  # search pages list hits in rank order
        assert a.text == b.text


def test_the_sqlite_dialect_of_the_web_queries_is_rewritten():
    sql = "SELECT 1 FROM events v WHERE json_extract(v.data, '$.date.basis') IS NOT 'ingested' AND v.id = ? AND x LIKE '5%'"
    assert to_postgres(sql) == (
        "SELECT 1 FROM events v WHERE (v.data::json #>> '{date,basis}') IS DISTINCT FROM 'ingested'"
        " AND v.id = %s AND x LIKE '5%%'"
    )
    assert to_postgres("ORDER BY json_extract(v.data, '$.date.basis') IS 'ingested', v.id") == (
        "ORDER BY (v.data::json #>> '{date,basis}') IS NOT DISTINCT FROM 'ingested', v.id"
    )


def test_serve_reports_an_unreachable_server_without_its_password():
    pytest.importorskip("psycopg")
    from click.testing import CliRunner

    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["serve", "--db", "postgresql://nobody:s3cret@127.0.0.1:1/news"])
    assert result.exit_code != 0 and "cannot connect" in result.output and "s3cret" not in result.output
