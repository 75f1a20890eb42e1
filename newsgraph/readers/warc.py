"""WARC files (web archives, gzipped or not, CC-NEWS included): every
`response` record of an HTML page fetched with status 200 (and every HTML
`resource` record) becomes a page, its origin the record's WARC-Target-URI.

The HTTP payload is decoded with the charset its Content-Type declares
(else the page's own declaration, else detection) and goes through the
HTML extraction. WARC-Date is when the crawler fetched the page, not when
it was published, so it is not used as a date.

Files are streamed record by record. warcio stops quietly at a truncated
gzip member and returns a short last record on a cut uncompressed file;
both are caught here (a short record, or compressed bytes left after the
last whole record, a record without Content-Length) and become one ErrorRecord after the records read
before the damage.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import IO

from newsgraph.limits import current
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import html as html_reader

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    yield from read_stream(io.BytesIO(data), origin, size=len(data))


def read_stream(stream: IO[bytes], origin: str, size: int | None = None) -> Iterator[Page | ErrorRecord]:
    """Pages from a WARC stream; `size` (the file's length) lets a cut at a
    record boundary of a gzipped file be noticed."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream)
    count = results = 0
    end = 0
    gzipped = False
    try:
        for record in records:
            count += 1
            gzipped = gzipped or getattr(records.reader, "decompressor", None) is not None
            if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
                # what warcio makes of a record cut inside its WARC headers
                yield ErrorRecord(origin, f"truncated or damaged WARC: record {count} has no complete header")
                return
            page, truncated = _record_page(record)
            end = records.get_record_offset() + records.get_record_length()
            if page is not None:
                results += 1
                yield page
            if truncated:
                yield ErrorRecord(origin, f"truncated WARC: record {count} ({_uri(record)}) is cut short")
                return
    except ArchiveLoadFailed as exc:
        yield ErrorRecord(origin, f"damaged WARC after {count} records: {_first_line(exc)}")
        return
    except (EOFError, OSError, ValueError, zlib.error, AttributeError, IndexError) as exc:
        # warcio raises AttributeError/IndexError on some kinds of garbage: a malformed record header
        yield ErrorRecord(origin, f"damaged WARC after {count} records: malformed record ({type(exc).__name__}: {exc})")
        return
    if count == 0:
        yield ErrorRecord(origin, "no WARC records found")
    elif size is not None and size - end > (0 if gzipped else 4):
        # uncompressed records end in a blank line that warcio leaves out of their length
        yield ErrorRecord(origin, f"truncated or damaged WARC: {size - end} bytes after record {count} could not be read")
    elif results == 0:  # say so rather than yield nothing (fuzzing: a damaged WARC-Type)
        yield ErrorRecord(origin, f"no HTML pages fetched with status 200 among the {count} WARC records")


def _record_page(record) -> tuple[Page | ErrorRecord | None, bool]:
    """The page a record holds (None for records that are not HTML pages
    fetched with status 200), and whether the record is cut short."""
    if record.rec_type == "response" and record.http_headers is not None:
        content_type = record.http_headers.get_header("Content-Type") or ""
        fetched = record.http_headers.get_statuscode() == "200"
    elif record.rec_type == "resource":  # an archived page without HTTP headers (wget, browsertrix)
        content_type = record.rec_headers.get_header("Content-Type") or ""
        fetched = True
    else:
        return None, _drain(record)
    if not (fetched and _is_html(content_type)):
        return None, _drain(record)
    uri = _uri(record)
    limit = current().max_page_bytes  # a page larger than this is not an article
    payload = record.content_stream().read(limit + 1)
    if len(payload) > limit:
        return ErrorRecord(uri, f"page too large: over {limit} bytes (NEWSGRAPH_MAX_PAGE_BYTES)"), _drain(record)
    if _drain(record):
        return None, True
    return html_reader.page_from_bytes(payload, uri, url=uri, charset=_charset(content_type)), False


def _drain(record) -> bool:
    """Read the rest of the record; True when it ended before its Content-Length."""
    while record.raw_stream.read(1 << 16):
        pass
    return getattr(record.raw_stream, "limit", 0) > 0


def _is_html(content_type: str) -> bool:
    # A missing Content-Type is taken for HTML: trafilatura will say if it is not.
    return not content_type or content_type.split(";")[0].strip().lower() in HTML_TYPES


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def _uri(record) -> str:
    return record.rec_headers.get_header("WARC-Target-URI") or "(no WARC-Target-URI)"


def _first_line(exc: Exception) -> str:
    lines = [line for line in str(exc).splitlines() if line.strip()]
    line = lines[0].strip() if lines else "unreadable data"
    return line if len(line) <= 120 else line[:120] + "…"
