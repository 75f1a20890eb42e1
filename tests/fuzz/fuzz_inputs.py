"""Hostile inputs for the fuzz tests, and the invariant every reader output
must keep.

The seed corpus is real pages: the bundled samples, and where ../shared/data
is present a few Zyte benchmark HTML pages and BSNLP texts. Strategies
mutate them (byte flips, truncations, splices, NUL bytes), mix encodings in
one file, cut gzip and WARC data, and break feed XML.

How many examples each property runs: NEWSGRAPH_FUZZ_EXAMPLES (default a
smoke setting for `make test`; `make fuzz` sets thousands). Every input a
property tries is counted, and conftest.py prints the count at the end.
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from newsgraph.model import ErrorRecord, Page

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# max_examples per property: small by default so that `make test` stays fast.
EXAMPLES = int(os.environ.get("NEWSGRAPH_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first call of a reader loads trafilatura/lxml: no per-example timing
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,  # no .hypothesis folder in the working tree from a smoke run
)

COUNTS = {"inputs": 0}


def tried(n: int = 1) -> None:
    COUNTS["inputs"] += n


# ------------------------------------------------------------------ seeds


@functools.cache
def seed_pages() -> tuple[bytes, ...]:
    """Real pages as bytes: samples always, shared corpora when present.
    Zyte pages are limited to the smaller ones so an example stays fast."""
    pages = [path.read_bytes() for path in sorted((ROOT / "examples" / "pages").glob("*.txt"))]
    zyte = sorted((SHARED / "data" / "article-extraction-benchmark" / "html").glob("*.html.gz"))
    html = [gzip.decompress(path.read_bytes()) for path in zyte[:40]]
    pages += [page for page in html if len(page) < 120_000][:6]
    bsnlp = sorted((SHARED / "data" / "bsnlp-raw").glob("*/raw/*/*.txt"))
    pages += [path.read_bytes() for path in bsnlp[::60][:12]]
    return tuple(pages)


@functools.cache
def cyrillic_texts() -> tuple[str, ...]:
    """Cyrillic (and some Latin) sentences to encode in various ways."""
    texts = [page.decode("utf-8", "replace") for page in seed_pages() if not page.lstrip().startswith(b"<")]
    return tuple(line for text in texts for line in text.splitlines() if len(line) > 20)[:200]


# ------------------------------------------------------------- mutations


@st.composite
def mutated(draw, seeds=seed_pages) -> bytes:
    """A real page with a few random edits: byte flips, NUL bytes, cuts,
    splices of another page, deleted or duplicated stretches."""
    pages = seeds()
    data = bytearray(draw(st.sampled_from(pages)))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(("flip", "nul", "truncate", "splice", "delete", "duplicate", "insert")))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "nul":
            data[at:at] = b"\x00" * draw(st.integers(1, 8))
        elif op == "truncate":
            del data[at:]
        elif op == "splice":
            other = draw(st.sampled_from(pages))
            start = draw(st.integers(0, max(0, len(other) - 1)))
            data[at:] = other[start:]
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 2000))]
        elif op == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 2000))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


ENCODINGS = ("utf-8", "cp1251", "koi8_u", "koi8_r", "cp866", "iso8859_5", "cp1252", "utf-16-le")


@st.composite
def mixed_encodings(draw) -> bytes:
    """Lines of real text, each encoded its own way, in one file: the
    wrong-and-mixed encodings of pages pasted together from several sources."""
    lines = draw(st.lists(st.sampled_from(cyrillic_texts()), min_size=1, max_size=12))
    parts = [line.encode(draw(st.sampled_from(ENCODINGS)), errors="replace") for line in lines]
    if draw(st.booleans()):  # a charset declaration that may well be wrong
        meta = f'<html><head><meta charset="{draw(st.sampled_from(ENCODINGS + ("bogus-1", "")))}"></head><body><p>'
        parts.insert(0, meta.encode("ascii"))
    return b"\n".join(parts)


@st.composite
def broken_gzip(draw) -> bytes:
    """A gzipped real page, cut short or with a byte damaged."""
    data = bytearray(gzip.compress(draw(st.sampled_from(seed_pages()))))
    if draw(st.booleans()):
        del data[draw(st.integers(2, len(data) - 1)) :]
    else:
        data[draw(st.integers(10, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    return bytes(data)


def warc_bytes(pages: list[bytes], gzipped: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for number, page in enumerate(pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        # Fixed id and date: hypothesis needs the same bytes for the same draws.
        fixed = {"WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>", "WARC-Date": "2025-02-14T00:00:00Z"}
        record = writer.create_warc_record(
            f"https://news.example.com/{number}", "response", payload=io.BytesIO(page), http_headers=headers,
            warc_headers_dict=fixed,
        )
        writer.write_record(record)
    return buffer.getvalue()


@st.composite
def broken_warc(draw) -> bytes:
    """A WARC file of real pages, gzipped or not, then cut, damaged or spliced."""
    pages = draw(st.lists(st.sampled_from(seed_pages()), min_size=1, max_size=3))
    data = bytearray(warc_bytes(pages, draw(st.booleans())))
    op = draw(st.sampled_from(("truncate", "flip", "splice", "none")))
    at = draw(st.integers(0, len(data) - 1))
    if op == "truncate":
        del data[at:]
    elif op == "flip":
        data[at] ^= 1 << draw(st.integers(0, 7))
    elif op == "splice":
        data[at:at] = draw(st.sampled_from(seed_pages()))[: draw(st.integers(1, 5000))]
    return bytes(data)


FEED_BREAKERS = (
    "",  # the well-formed feed
    "<item><title>unclosed",
    "&bogus; &#xD800; &#0; &#55296; &#x110000; &#99999999999;",
    "<![CDATA[never closed",
    "</channel></rss></rss>",
    "<?xml version='1.0' encoding='koi8-u'?>",
    "\x00\x00",
    "<item><description>&lt;p&gt;&lt;script&gt;</description></item>",
    '<entry xmlns="http://www.w3.org/2005/Atom"><content type="html">',
)


@st.composite
def broken_feed(draw) -> bytes:
    """An RSS or Atom feed of real text, with broken XML cut or pasted in."""
    texts = draw(st.lists(st.sampled_from(cyrillic_texts()), min_size=1, max_size=4))
    if draw(st.booleans()):
        items = "".join(
            f"<item><title>{t[:40]}</title><link>https://e.com/{i}</link><pubDate>{draw(st.sampled_from(DATES))}</pubDate>"
            f"<description>{t}</description></item>"
            for i, t in enumerate(texts)
        )
        feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Т</title>{items}</channel></rss>'
    else:
        items = "".join(
            f"<entry><title>{t[:40]}</title><updated>{draw(st.sampled_from(DATES))}</updated>"
            f'<content type="html">&lt;p&gt;{t}&lt;/p&gt;</content></entry>'
            for t in texts
        )
        feed = f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{items}</feed>'
    at = draw(st.integers(0, len(feed)))
    feed = feed[:at] + draw(st.sampled_from(FEED_BREAKERS)) + feed[at:]
    if draw(st.booleans()):
        feed = feed[: draw(st.integers(0, len(feed)))]
    return feed.encode(draw(st.sampled_from(("utf-8", "cp1251", "koi8_u"))), errors="replace")


DATES = ("Fri, 14 Feb 2025 11:58:00 +0200", "2025-02-14T11:58:00Z", "yesterday", "9999-99-99", "", "Mon, 31 Feb 0000")


@st.composite
def jsonl_lines(draw) -> bytes:
    """JSON Lines with good, broken and odd records: wrong types, lone
    surrogate escapes, NULs, records cut in the middle."""
    import json

    lines = []
    for text in draw(st.lists(st.sampled_from(cyrillic_texts()), min_size=1, max_size=4)):
        record = {"url": draw(st.sampled_from(("https://e.com/a", None, 5, ""))), "text": text}
        record[draw(st.sampled_from(("title", "published", "html", "language")))] = draw(
            st.sampled_from(("\ud800", "a\x00b", 7, [], "<p>" + text + "</p>", "2025-02-30"))
        )
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        if draw(st.integers(0, 3)) == 0:
            line = line[: draw(st.integers(0, len(line)))]
        lines.append(line)
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def hostile_bytes() -> st.SearchStrategy[bytes]:
    """Every kind of bad input, for the batch tests."""
    return st.one_of(
        st.binary(max_size=2048),
        mutated(),
        mixed_encodings(),
        broken_gzip(),
        broken_warc(),
        broken_feed(),
        jsonl_lines(),
        st.just(b""),
        st.binary(min_size=1, max_size=64).map(lambda b: b.replace(b"", b"\x00")[:512]),
    )


# ------------------------------------------------------------- invariant


def check_record(item, origin_prefix: str | None = None) -> None:
    """What every reader output must be: a Page with text, or an
    ErrorRecord with a reason that is no bug report. Text must survive the
    stores: valid UTF-8 (no lone surrogates) and no NUL characters
    (PostgreSQL refuses them)."""
    assert isinstance(item, (Page, ErrorRecord)), f"reader yielded {type(item).__name__}"
    if isinstance(item, ErrorRecord):
        assert isinstance(item.error, str) and item.error.strip(), "an error record without a reason"
        assert not item.error.startswith("unexpected "), f"a reader bug reached the safety net: {item.error}"
        values = (item.origin, item.error)
    else:
        assert isinstance(item.text, str) and item.text.strip(), "a page without text"
        values = (item.text, item.title, item.url, item.outlet, item.published, item.language, item.origin)
    for value in values:
        if value is not None:
            value.encode("utf-8")  # raises on a lone surrogate
            assert "\x00" not in value, "a NUL character in a record"


def read_bytes(data: bytes, input_format: str = "auto", name: str = "input") -> list:
    """Every record `read_file` gives for a file holding `data`."""
    from newsgraph.readers import read_file

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, name)
        with open(path, "wb") as handle:
            handle.write(data)
        return list(read_file(path, input_format))
