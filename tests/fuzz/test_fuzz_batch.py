"""Batches mixing good and hostile inputs: every bad input becomes an
ErrorRecord with a reason and the good ones around it are still processed,
through `read`, through `process_pages` and through `ingest`."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

import pytest
from fuzz_inputs import FUZZ, ROOT, check_record, hostile_bytes, mutated, tried, warc_bytes
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.model import Article, ErrorRecord, Page
from newsgraph.readers import read

GOOD = sorted((ROOT / "examples" / "pages").glob("*.txt"))


def write_batch(folder: str, bad: list[bytes], good: list[Path]) -> tuple[list[str], list[str]]:
    """Files named so that bad and good ones alternate in read order."""
    bad_paths, good_paths = [], []
    for number, data in enumerate(bad):
        bad_paths.append(os.path.join(folder, f"{number:03d}a_bad"))
        Path(bad_paths[-1]).write_bytes(data)
    for number, source in enumerate(good):
        good_paths.append(os.path.join(folder, f"{number:03d}b_good.txt"))
        Path(good_paths[-1]).write_bytes(source.read_bytes())
    return bad_paths, good_paths


@FUZZ
@given(st.lists(hostile_bytes(), min_size=1, max_size=5))
def test_read_goes_on_past_bad_files(bad):
    tried(len(bad))
    with tempfile.TemporaryDirectory() as folder:
        bad_paths, good_paths = write_batch(folder, bad, GOOD[:3])
        items = list(read([folder]))
    for item in items:
        check_record(item)
    pages = {item.origin for item in items if isinstance(item, Page)}
    assert set(good_paths) <= pages, "a good file after a bad one was not read"
    for path, data in zip(bad_paths, bad):
        assert any(item.origin == path or item.origin.startswith(path + "#") for item in items) or not _own_origin(data)


def _own_origin(data: bytes) -> bool:
    """Records of WARC, feed and JSON Lines files take the URLs inside as their
    origins; a plain file's records always carry its path."""
    head = data[:200].lstrip()
    return not (head.startswith((b"WARC/", b"{", b"\x1f\x8b")) or b"<rss" in data[:500] or b"<feed" in data[:500])


@pytest.fixture(scope="module")
def pipeline():
    from newsgraph.pipeline import process_pages

    list(process_pages([Page(origin="warm-up", text="Київ. Міністр провів зустріч.", kind="text")]))
    return process_pages


@FUZZ
@given(batch=st.lists(st.one_of(mutated(), hostile_bytes()), min_size=1, max_size=4), kind=st.sampled_from(("dump", "text")))
def test_process_pages_goes_on_past_bad_pages(pipeline, batch, kind):
    """Fuzzed page text through every stage, good pages between: one result
    per page, and the good pages are articles."""
    tried(len(batch))
    good = [Page(origin=str(path), text=path.read_text(encoding="utf-8"), kind="dump") for path in GOOD[:2]]
    bad = [Page(origin=f"bad{i}", text=data.decode("utf-8", "replace"), kind=kind) for i, data in enumerate(batch)]
    pages = [page for pair in zip(bad, good + good) for page in pair]
    results = list(pipeline(pages))
    assert len(results) == len(pages)
    for page, result in zip(pages, results):
        assert result.origin == page.origin
        if page in good:
            assert isinstance(result, Article)
        if isinstance(result, ErrorRecord):
            assert result.error.strip()


def test_ingest_stores_good_pages_and_records_every_bad_one(pipeline, tmp_path):
    import gzip

    from newsgraph.ingest import ingest

    bad = {
        "empty.txt": b"",
        "nul.txt": b"\x00" * 500,
        "random.bin": bytes(range(256)) * 8,
        "cut.html.gz": gzip.compress(b"<html><body><p>" + "Київ. ".encode() * 500)[:60],
        "cut.warc": warc_bytes([b"<html><body><p>" + "Київ. ".encode() * 200 + b"</p></body></html>"], False)[:300],
        "broken.xml": b'<?xml version="1.0"?><rss><channel><item><title>x</titl',
        # a lone surrogate escape once crashed the whole ingest (hashing the page)
        "pages.jsonl": '{"url": "https://e.com/s", "text": "Київ \\ud800. Міністр оборони провів зустріч."}\n{"url": 5}\n'.encode(),
    }
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    for path in GOOD:
        (folder / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "news.db"
    report = ingest([folder], str(db))
    assert report.articles == len(GOOD) + 1  # and the JSON Lines record with the surrogate
    reported = " ".join(error.origin for error in report.errors)
    for name in bad:
        if name != "pages.jsonl":
            assert name in reported, f"no error record for {name}"
    assert any(error.origin.endswith("#2") for error in report.errors)  # the bad JSON Lines record
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT count(*) FROM errors").fetchone()[0]
    assert stored == len(report.errors)
