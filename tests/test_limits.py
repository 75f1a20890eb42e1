"""Limits on one page: bytes read, body characters, entities per article.
Each is set through its environment variable (what the CLI options set) and
checked on real readers and the real pipeline."""

from __future__ import annotations

import gzip
import io
import json

import pytest
from click.testing import CliRunner

from newsgraph import limits
from newsgraph.clean import clean_page
from newsgraph.model import Article, Entity, ErrorRecord, Mention, Page
from newsgraph.pipeline import within_entity_limit
from newsgraph.readers import read_file
from newsgraph.readers.jsonl import read_stream

SENTENCE = "Міністр оборони України провів зустріч із колегою з Франції у Брюсселі. "


def test_defaults_and_environment(monkeypatch):
    for name in limits.ENV.values():
        monkeypatch.delenv(name, raising=False)
    assert limits.current() == limits.DEFAULTS
    assert limits.DEFAULTS.max_page_bytes >= 2 * 1024 * 1024  # real pages, inline scripts and all, are read
    monkeypatch.setenv("NEWSGRAPH_MAX_BODY_CHARS", "1_000")
    assert limits.current().max_body_chars == 1000


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1.5"])
def test_a_bad_value_names_its_variable(monkeypatch, value):
    monkeypatch.setenv("NEWSGRAPH_MAX_ENTITIES", value)
    with pytest.raises(ValueError, match="NEWSGRAPH_MAX_ENTITIES"):
        limits.current()


# ------------------------------------------------------------ page bytes


@pytest.mark.parametrize("name,data", [
    ("page.txt", (SENTENCE * 30).encode()),
    ("page.html", f"<html><body><p>{SENTENCE * 30}</p></body></html>".encode()),
    ("page.txt.gz", gzip.compress((SENTENCE * 30).encode())),
])
def test_a_page_over_max_page_bytes_is_an_error(tmp_path, monkeypatch, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", str(len((SENTENCE * 30).encode()) - 1))
    (item,) = read_file(str(path))
    assert isinstance(item, ErrorRecord) and "too large" in item.error and "NEWSGRAPH_MAX_PAGE_BYTES" in item.error
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", str(len((SENTENCE * 30).encode()) + 100))
    assert all(isinstance(item, Page) for item in read_file(str(path)))


def test_a_json_lines_record_over_the_limit_is_refused_and_reading_goes_on(monkeypatch):
    small = json.dumps({"url": "https://e.com/1", "text": SENTENCE}, ensure_ascii=False).encode()
    huge = json.dumps({"url": "https://e.com/2", "text": SENTENCE * 100}, ensure_ascii=False).encode()
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", str(len(small) + 10))
    items = list(read_stream(io.BytesIO(b"\n".join([small, huge, small.replace(b"/1", b"/3")])), "batch.jsonl"))
    assert [type(item) for item in items] == [Page, ErrorRecord, Page]
    assert items[1].origin == "batch.jsonl#2" and "too large" in items[1].error
    assert items[2].url == "https://e.com/3"  # the rest of the long line was skipped, not read as records


def test_a_warc_record_over_the_limit_is_refused(tmp_path, monkeypatch):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for number, size in enumerate((30, 300)):
        html = f"<html><body><article><p>{SENTENCE * size}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(f"https://e.com/{number}", "response",
                                                      payload=io.BytesIO(html), http_headers=headers))
    path = tmp_path / "crawl.warc"
    path.write_bytes(buffer.getvalue())
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", str(len(SENTENCE.encode()) * 100))
    items = list(read_file(str(path)))
    assert isinstance(items[0], Page)
    assert isinstance(items[1], ErrorRecord) and items[1].origin == "https://e.com/1" and "too large" in items[1].error


# ------------------------------------------------------------ body chars


@pytest.mark.parametrize("kind", ["text", "dump"])
def test_page_text_over_max_body_chars_is_cut_with_a_warning(monkeypatch, kind):
    text = "Київ\n\n" + "\n\n".join(SENTENCE * 3 for _ in range(100))
    monkeypatch.setenv("NEWSGRAPH_MAX_BODY_CHARS", "2000")
    article = clean_page(Page(origin="long.txt", text=text, kind=kind))
    assert len(article.body) <= 2000
    assert article.body and article.body[:50] in text
    assert any("NEWSGRAPH_MAX_BODY_CHARS" in warning for warning in article.warnings)
    monkeypatch.setenv("NEWSGRAPH_MAX_BODY_CHARS", str(len(text)))
    assert not any("cut" in warning for warning in clean_page(Page(origin="long.txt", text=text, kind=kind)).warnings)


def test_text_is_cut_at_a_line_break(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_BODY_CHARS", "100")
    article = clean_page(Page(origin="a.txt", text="a" * 60 + "\n" + "b" * 60, kind="text"))
    assert article.body == "a" * 60


def test_one_huge_line_is_cut_at_the_limit(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_BODY_CHARS", "100")
    article = clean_page(Page(origin="a.txt", text="a" * 1000, kind="text"))
    assert article.body == "a" * 100


# ------------------------------------------------------------ entities


def entity(number: int, mentions: int) -> Entity:
    return Entity(id=f"e{number}", type="PER", lemma=f"n{number}", name=f"N{number}",
                  mentions=[Mention(f"N{number}", 0, 1, f"n{number}") for _ in range(mentions)])


def test_entities_over_the_limit_keep_those_mentioned_most_in_order(monkeypatch):
    monkeypatch.setenv("NEWSGRAPH_MAX_ENTITIES", "3")
    article = Article(id="a", origin="a.txt", body="x")
    article.entities = [entity(0, 1), entity(1, 5), entity(2, 2), entity(3, 5), entity(4, 1), entity(5, 4)]
    within_entity_limit(article)
    assert [e.id for e in article.entities] == ["e1", "e3", "e5"]
    assert any("NEWSGRAPH_MAX_ENTITIES" in warning for warning in article.warnings)


def test_the_pipeline_applies_the_entity_limit(monkeypatch, seed_pages):
    from newsgraph.pipeline import process_page
    from newsgraph.readers import read

    (page,) = read([str(seed_pages[0])])
    assert len(process_page(page).entities) > 2  # the page names more than two
    monkeypatch.setenv("NEWSGRAPH_MAX_ENTITIES", "2")
    article = process_page(page)
    assert len(article.entities) == 2
    assert any("NEWSGRAPH_MAX_ENTITIES" in warning for warning in article.warnings)


# ------------------------------------------------------------ CLI


def test_cli_options_set_the_limits(tmp_path, monkeypatch):
    from newsgraph.cli import main

    # the CLI sets the variable for this process; monkeypatch puts it back afterwards
    monkeypatch.setenv("NEWSGRAPH_MAX_PAGE_BYTES", str(limits.DEFAULTS.max_page_bytes))
    page = tmp_path / "page.txt"
    page.write_bytes((SENTENCE * 30).encode())
    result = CliRunner().invoke(main, ["process", "--no-progress", "--max-page-bytes", "100", str(page)])
    assert result.exit_code == 1
    assert "too large" in result.stdout and "NEWSGRAPH_MAX_PAGE_BYTES" in result.stdout


def test_cli_refuses_a_bad_limit(tmp_path):
    from newsgraph.cli import main

    result = CliRunner().invoke(main, ["process", "--max-entities", "0", str(tmp_path)])
    assert result.exit_code == 2 and "max-entities" in result.output
