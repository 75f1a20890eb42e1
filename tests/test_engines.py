"""Engines: the local process pool and a real Dask LocalCluster give the same
store as the pipeline run in this process, models load once per worker,
and inputs can be fsspec URLs (read by the Dask workers themselves)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph import cli_store
from newsgraph.engines import make_engine, open_engine
from newsgraph.export import rows
from newsgraph.ingest import ingest
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import read
from newsgraph.store import open_store
from newsgraph.store.base import TABLES

SAMPLE = 40  # BSNLP raw documents, spread over every topic and language
BATCH = 20  # several batches, so stories and events grow across transactions
INGESTED_AT = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def inputs(shared_data: Path) -> list[str]:
    seeds = sorted((shared_data.parent / "seeds").glob("*.txt"))
    raw = sorted(p for p in (shared_data / "bsnlp-raw").glob("*/raw/*/*") if p.is_file())
    step = len(raw) // SAMPLE
    return [str(p) for p in seeds + raw[::step][:SAMPLE]]


def snapshot(db: Path) -> dict[str, list[str]]:
    """Every exported table, rows as sorted JSON."""
    with open_store(db) as store:
        return {
            what: sorted(
                json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows(store, what)
            )
            for what in TABLES
        }


def run(tmp_path_factory, inputs: list[str], engine) -> dict:
    """Ingest with the clock stopped: an undated article's story and events
    take the time its batch is written, which differs between two runs."""
    db = tmp_path_factory.mktemp(engine.name) / "news.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("newsgraph.ingest._now", lambda: INGESTED_AT)
        report = ingest(inputs, db, batch_size=BATCH, processor=engine)
    return {"snapshot": snapshot(db), "report": report, "loads": dict(engine.loads)}


def assert_same(got: dict[str, list[str]], expected: dict[str, list[str]]) -> None:
    for what in TABLES:  # table by table, so a failure shows the rows that differ
        assert set(got[what]) - set(expected[what]) == set() == set(expected[what]) - set(got[what]), what
        assert got[what] == expected[what], what


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, inputs):
    return run(tmp_path_factory, inputs, make_engine("local", workers=1))


@pytest.fixture(scope="module")
def local_pool(tmp_path_factory, inputs):
    with open_engine("local", workers=2) as engine:
        return run(tmp_path_factory, inputs, engine)


@pytest.fixture(scope="module")
def dask_engine():
    pytest.importorskip("distributed", reason="the dask engine needs the dask extra: pip install 'newsgraph[dask]'")
    with open_engine("dask", workers=2) as engine:
        yield engine


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory, inputs, dask_engine):
    return run(tmp_path_factory, inputs, dask_engine)


def test_local_pool_gives_the_store_the_pipeline_gives_in_process(in_process, local_pool, inputs):
    tables = in_process["snapshot"]
    assert len(tables["articles"]) + len(in_process["report"].errors) == len(inputs)
    assert tables["entities"] and tables["meetings"] and tables["stories"]
    assert_same(local_pool["snapshot"], tables)


def test_dask_cluster_gives_the_store_the_local_pool_gives(local_pool, dask_run):
    assert dask_run["report"].errors == local_pool["report"].errors
    assert dask_run["report"].articles == local_pool["report"].articles > 0
    assert_same(dask_run["snapshot"], local_pool["snapshot"])


@pytest.mark.parametrize("name", ["local_pool", "dask_run"])
def test_models_load_once_per_worker(name, request, inputs):
    loads = request.getfixturevalue(name)["loads"]
    assert len(loads) == 2 and os.getpid() not in loads
    # More chunks than workers: each worker did several, and its models
    # were loaded before the first (warm-up) and never again.
    assert sum(len(per_chunk) for per_chunk in loads.values()) > len(loads)
    for per_chunk in loads.values():
        first = per_chunk[0]
        assert first["stages"] == first["language"] == first["kb"] == 1 and first["ner"] >= 1
        assert all(after == first for after in per_chunk)


def test_dask_workers_read_file_urls_themselves(dask_engine, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.txt").write_text("Заголовок\n\nПерший абзац статті про зустріч міністрів.", encoding="utf-8")
    (folder / "b.txt").write_text("Title\n\nThe ministers met in Kyiv on Monday to discuss air defence.", encoding="utf-8")
    urls = [folder.as_uri(), (tmp_path / "missing.txt").as_uri()]
    remote = list(dask_engine.read(urls))
    assert remote == list(read(urls))  # the same pages and errors as reading here
    assert [item.origin for item in remote] == [(folder / "a.txt").as_uri(), (folder / "b.txt").as_uri(), urls[1]]
    assert isinstance(remote[-1], ErrorRecord) and all(isinstance(item, Page) for item in remote[:2])


def test_readers_take_fsspec_urls(tmp_path):
    fsspec = pytest.importorskip("fsspec", reason="URL inputs need fsspec: pip install 'newsgraph[dask]'")
    text = "Заголовок\n\nТекст статті."
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    fs = fsspec.filesystem("memory")
    fs.pipe("/engines-test/page.txt", text.encode("utf-8"))
    fs.pipe("/engines-test/.hidden", b"skipped")
    try:
        [from_memory] = list(read(["memory://engines-test"]))
        # The origin is the file's own URL: reading it again gives the same page.
        assert from_memory.origin.startswith("memory://") and from_memory.origin.endswith("/engines-test/page.txt")
        assert list(read([from_memory.origin])) == [from_memory]
    finally:
        fs.rm("/engines-test", recursive=True)
    [from_disk] = list(read([str(tmp_path / "page.txt")]))
    assert from_memory.text == from_disk.text and from_memory.kind == from_disk.kind


def test_cli_refuses_a_scheduler_without_the_dask_engine(tmp_path):
    result = CliRunner().invoke(cli_store.ingest, [str(tmp_path), "--db", str(tmp_path / "n.db"),
                                                   "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--engine dask" in result.output
