"""Every export, from either store backend, read back by its standard reader:
json, csv, pyarrow, networkx."""

from __future__ import annotations

import builtins
import csv
import io
import json

import pytest
from click.testing import CliRunner

from newsgraph.cli_store import export as export_command
from newsgraph.export import COLUMNS, GDELT_COLUMNS, MissingDependency, export, export_bytes
from newsgraph.ingest import ingest_articles
from newsgraph.model import Quote
from newsgraph.store import open_store
from newsgraph.stories.samples import article, entity, meeting

UMEROV, LECORNU, KALLAS = ("umerov", "Rustem Umerov"), ("lecornu", "Sébastien Lecornu"), ("kallas", "Kaja Kallas")
BODY = "Рустем Умєров зустрівся з Себастьяном Лекорню та Каєю Каллас у Брюсселі. Обговорили ППО, боєприпаси і ремонт САУ."


@pytest.fixture(scope="module")
def db(module_store_url):
    path = module_store_url
    people = [
        entity(UMEROV[0], UMEROV[1], ["Рустем Умєров"], body=BODY),
        entity(LECORNU[0], LECORNU[1], ["Себастьяном Лекорню"], body=BODY),
        entity(KALLAS[0], KALLAS[1], ["Каєю Каллас"], body=BODY),
    ]
    brussels = {"id": "brussels", "name": "Брюссель", "type": "city", "country": "BE"}
    articles = [
        article("Умєров у Брюсселі", BODY, "uk", "2025-02-14T11:58:00+02:00", "a.txt", entities=people,
                meetings=[meeting([UMEROV, LECORNU], "2025-02-14", "explicit", brussels),
                          meeting([UMEROV, KALLAS], "2025-02-14", "explicit", brussels, cameo="042")],
                quotes=[Quote("Провів продуктивну зустріч", 0, 26, {"id": "umerov", "name": "Умєров"})],
                topics=["defence"], outlet="Укрінформ", url="https://example.org/a"),
        article("Умєров і Лекорню знову", BODY + " Друга зустріч.", "uk", "2025-04-14T10:00:00+03:00", "b.txt",
                entities=people[:2], meetings=[meeting([UMEROV, LECORNU], "2025-04-14", "explicit")]),
    ]
    ingest_articles(articles, path)
    return path


TABLES = ("articles", "entities", "meetings", "events", "quotes", "stories")


def expected_rows(db, what):
    with open_store(db) as store:
        return len(list(store.iter_rows(what)))


@pytest.mark.parametrize("what", TABLES)
def test_jsonl(db, what):
    lines = export_bytes(db, what, "jsonl").decode("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == expected_rows(db, what) > 0
    assert list(records[0]) == list(COLUMNS[what])


@pytest.mark.parametrize("what", TABLES)
def test_csv(db, what):
    text = export_bytes(db, what, "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == expected_rows(db, what)
    assert list(rows[0]) == list(COLUMNS[what])


@pytest.mark.parametrize("what", TABLES)
def test_parquet(db, what, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / f"{what}.parquet"
    export(db, what, "parquet", path)
    table = pq.read_table(path)
    assert table.num_rows == expected_rows(db, what)
    assert table.column_names == list(COLUMNS[what])


def test_parquet_values(db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    export(db, "stories", "parquet", tmp_path / "s.parquet")
    rows = pq.read_table(tmp_path / "s.parquet").to_pylist()
    assert all(isinstance(r["article_ids"], list) and r["n_articles"] == len(r["article_ids"]) for r in rows)


def test_events_keep_provenance(db):
    events = [json.loads(line) for line in export_bytes(db, "events", "jsonl").decode().splitlines()]
    assert len(events) == 3  # Umerov-Lecornu in February and April, Umerov-Kallas in February
    first = next(e for e in events if e["date"] == "2025-02-14" and e["cameo"] == "040")
    assert first["place"]["name"] == "Брюссель" and first["provenance"]["place"]
    assert first["sources"][0]["evidence"] and first["story_ids"]


def test_graphml_reads_back_with_networkx(db, tmp_path):
    nx = pytest.importorskip("networkx")
    path = tmp_path / "graph.graphml"
    assert export(db, "graph", "graphml", path) == 2
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == {"umerov", "lecornu", "kallas"}
    assert graph.nodes["umerov"]["label"] == "Rustem Umerov"
    assert graph["umerov"]["lecornu"]["weight"] == 2.0  # two meetings, two months apart
    assert graph["kallas"]["umerov"]["weight"] == 1.0
    assert not graph.has_edge("lecornu", "kallas")


def test_gdelt_rows(db):
    text = export_bytes(db, "events", "gdelt").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text), delimiter="\t"))
    assert list(rows[0]) == list(GDELT_COLUMNS)
    assert len(rows) == 3
    kallas = next(r for r in rows if "KALLAS" in (r["Actor1Name"] + r["Actor2Name"]))
    assert kallas["SQLDATE"] == "20250214" and kallas["EventCode"] == "042" and kallas["EventRootCode"] == "04"
    assert kallas["QuadClass"] == "1" and kallas["GoldsteinScale"] == "1.9"
    assert kallas["ActionGeo_FullName"] == "Брюссель" and kallas["SOURCEURL"] == "https://example.org/a"
    assert all(r["GLOBALEVENTID"].isdigit() for r in rows)


def test_bad_combinations_are_refused(db):
    with pytest.raises(ValueError):
        export_bytes(db, "graph", "csv")
    with pytest.raises(ValueError):
        export_bytes(db, "articles", "gdelt")


def test_cli_export_to_a_file(db, tmp_path):
    out = tmp_path / "entities.csv"
    result = CliRunner().invoke(export_command, ["--db", str(db), "--what", "entities", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 3


def test_cli_export_to_stdout(db):
    result = CliRunner().invoke(export_command, ["--db", str(db), "--what", "stories", "--format", "jsonl"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["id"]


def test_parquet_without_pyarrow_is_a_clear_error(db, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError("No module named 'pyarrow'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(MissingDependency, match=r"newsgraph\[parquet\]"):
        export(db, "articles", "parquet", tmp_path / "a.parquet")
    assert not (tmp_path / "a.parquet").exists()
    result = CliRunner().invoke(export_command, ["--db", str(db), "--what", "articles", "--format", "parquet",
                                                 "-o", str(tmp_path / "b.parquet")])
    assert result.exit_code != 0 and "newsgraph[parquet]" in result.output


def test_planned_and_called_off_meetings_are_no_edges_and_no_meeting_events(store_url):
    """Only meetings that took place are "who met whom"; a planned one is the
    CAMEO intent to meet (036); one reported as not taking place is left out,
    and never merges with a report of the same pair meeting."""
    people = [entity(p[0], p[1], [p[1]], body=BODY) for p in (UMEROV, LECORNU, KALLAS)]
    first = article("a", BODY, "uk", "2025-02-14T11:58:00+02:00", "a.txt", entities=people, meetings=[
        meeting([UMEROV, LECORNU], "2025-02-14", "explicit"),
        meeting([UMEROV, KALLAS], "2025-02-20", "explicit", status="planned"),
        meeting([LECORNU, KALLAS], "2025-02-14", "explicit", status="negated"),
    ])
    second = article("b", BODY + " Ні.", "uk", "2025-02-14T12:30:00+02:00", "b.txt", entities=people, meetings=[
        meeting([UMEROV, LECORNU], "2025-02-14", "explicit", status="negated"),
    ])
    ingest_articles([first, second], store_url)
    events = [json.loads(line) for line in export_bytes(store_url, "events", "jsonl").decode().splitlines()]
    by_status = sorted((e["status"], sorted(p["id"] for p in e["participants"]), e["n_sources"]) for e in events)
    assert by_status == [
        ("happened", ["lecornu", "umerov"], 1), ("negated", ["kallas", "lecornu"], 1),
        ("negated", ["lecornu", "umerov"], 1), ("planned", ["kallas", "umerov"], 1),
    ]
    graph = export_bytes(store_url, "graph", "graphml").decode()
    assert graph.count("<edge ") == 1
    rows = list(csv.DictReader(io.StringIO(export_bytes(store_url, "events", "gdelt").decode()), delimiter="\t"))
    assert sorted((r["EventCode"], r["SQLDATE"]) for r in rows) == [("036", "20250220"), ("040", "20250214")]
