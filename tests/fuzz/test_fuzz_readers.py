"""Every reader on hostile input: nothing raises, every failure is an
ErrorRecord with a reason, and no error is the safety net's "unexpected"
(a reader bug that `read_file` caught for it)."""

from __future__ import annotations

import gzip
import io

import pytest
from fuzz_inputs import (
    FUZZ,
    broken_feed,
    broken_gzip,
    broken_warc,
    check_record,
    jsonl_lines,
    mixed_encodings,
    mutated,
    read_bytes,
    tried,
)
from hypothesis import given
from hypothesis import strategies as st

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import FORMATS, sniff
from newsgraph.readers.decode import DecodeError, decode


def check_all(data: bytes, input_format: str, name: str = "input") -> list:
    tried()
    items = read_bytes(data, input_format, name)
    assert items, "a file gave no record at all"
    for item in items:
        check_record(item)
    return items


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(FORMATS))
def test_random_bytes(data, input_format):
    check_all(data, input_format)


@FUZZ
@given(mutated(), st.sampled_from(FORMATS))
def test_mutated_real_pages(data, input_format):
    check_all(data, input_format)


@FUZZ
@given(mixed_encodings(), st.sampled_from(("auto", "dump", "text", "html")))
def test_mixed_encodings(data, input_format):
    check_all(data, input_format)


@FUZZ
@given(st.one_of(mixed_encodings(), mutated(), st.binary(max_size=2048)), st.sampled_from((None, "utf-8", "cp1251", "koi8-u", "x-bogus")))
def test_decode_gives_text_or_decode_error(data, declared):
    tried()
    try:
        text = decode(data, declared)
    except DecodeError as exc:
        assert str(exc)
        return
    assert isinstance(text, str)
    text.encode("utf-8")  # no lone surrogates from any decoding


@FUZZ
@given(st.binary(max_size=4096))
def test_sniff_always_names_a_format(data):
    tried()
    assert sniff(data) in FORMATS


@FUZZ
@given(broken_gzip(), st.sampled_from(("auto", "html", "dump", "jsonl", "feed")))
def test_truncated_gzip(data, input_format):
    check_all(data, input_format, "page.html.gz")


@FUZZ
@given(broken_warc(), st.sampled_from(("auto", "warc")))
def test_truncated_warc(data, input_format):
    check_all(data, input_format, "crawl.warc")


@FUZZ
@given(broken_feed(), st.sampled_from(("auto", "feed")))
def test_broken_feeds(data, input_format):
    check_all(data, input_format, "feed.xml")


@FUZZ
@given(jsonl_lines(), st.sampled_from(("auto", "jsonl")))
def test_broken_json_lines(data, input_format):
    check_all(data, input_format, "pages.jsonl")


@pytest.mark.parametrize("input_format", FORMATS)
def test_zero_byte_file(input_format):
    items = check_all(b"", input_format)
    assert len(items) == 1 and isinstance(items[0], ErrorRecord) and "empty" in items[0].error


@pytest.mark.parametrize("input_format", FORMATS)
@pytest.mark.parametrize("data", [b"\x00" * 1000, b"\x00", ("Київ\x00 " + "це столиця України. " * 10).encode() * 20])
def test_nul_bytes(data, input_format):
    items = check_all(data, input_format)
    if data.strip(b"\x00"):
        # A few NUL bytes in a text do not make it binary: the page is read, without them.
        pages = [item for item in items if isinstance(item, Page)]
        assert pages or input_format in ("html", "jsonl", "feed", "warc")


def ten_megabyte_line(unit: str) -> bytes:
    return (unit * (10 * 1024 * 1024 // len(unit.encode()))).encode()


@pytest.mark.parametrize(
    "input_format,unit",
    [
        ("auto", "Київ "),
        ("dump", "а"),
        ("text", "word "),
        ("html", "<p>Київ "),
        ("jsonl", '{"text": "'),
        ("feed", "<rss><item><description>"),
    ],
)
def test_ten_megabyte_line(input_format, unit):
    """A 10 MB line is over the default page limit: refused with a reason
    (a JSON Lines record too), never a crash, never a hang."""
    items = check_all(ten_megabyte_line(unit), input_format)
    assert any(isinstance(item, ErrorRecord) and "too large" in item.error for item in items)


def test_gzip_cut_after_header():
    data = gzip.compress("Київ. ".encode() * 1000)[:12]
    items = check_all(data, "auto", "page.txt.gz")
    assert isinstance(items[0], ErrorRecord)


def test_warc_without_pages_says_so():
    """A WARC of records that are no pages (found by fuzzing as a damaged
    WARC-Type) gives an error record, not nothing."""
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warc_record("https://e.com/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    (item,) = check_all(buffer.getvalue(), "auto", "crawl.warc")
    assert isinstance(item, ErrorRecord) and "no HTML pages" in item.error
