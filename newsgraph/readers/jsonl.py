"""JSON Lines: one record per line,
{"url": …, "html": … | "text": …, "title"?: …, "published"?: …, "outlet"?: …, "language"?: …}.

An "html" record goes through the HTML extraction; a "text" record is
already the article body (kind "text"). Fields the record gives win over
what extraction finds: whoever wrote the record knew. A bad line becomes an
ErrorRecord for that line and reading goes on.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import IO, Any

from newsgraph.limits import current
from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import html as html_reader
from newsgraph.readers.dates import iso_date


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    yield from read_stream(io.BytesIO(data), origin)


# So many bad lines before a good one means the file is no JSON Lines at all
# (e.g. --input-format jsonl on an HTML page): one error per line would drown stderr.
MAX_LEADING_ERRORS = 20


def read_stream(stream: IO[bytes], origin: str) -> Iterator[Page | ErrorRecord]:
    leading_errors = 0
    number_read = 0
    seen_page = False
    limit = current().max_page_bytes
    for number, line in enumerate(_lines(stream, limit), start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        number_read += 1
        if len(line.rstrip(b"\r\n")) > limit:
            item = ErrorRecord(f"{origin}#{number}", f"record too large: over {limit} bytes (NEWSGRAPH_MAX_PAGE_BYTES)")
        else:
            item = line_page(line, f"{origin}#{number}")
        seen_page = seen_page or isinstance(item, Page)
        if not seen_page:
            leading_errors += 1
            if leading_errors > MAX_LEADING_ERRORS:
                yield ErrorRecord(origin, f"not JSON Lines: the first {MAX_LEADING_ERRORS} records are all bad; stopped reading")
                return
        yield item
    if number_read == 0:  # blank lines only: say so rather than yield nothing
        yield ErrorRecord(origin, "no JSON Lines records: the file holds only blank lines")


def _lines(stream: IO[bytes], limit: int) -> Iterator[bytes]:
    """The lines of `stream`, none held longer than `limit` + 1 bytes: a
    line over the limit is cut there (the caller refuses it) and the rest of
    it skipped, so that a gigabyte without a newline never sits in memory."""
    while line := stream.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
        yield line


def line_page(line: bytes, line_origin: str) -> Page | ErrorRecord:
    try:
        record = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return ErrorRecord(line_origin, f"line is not UTF-8: {exc.reason} at byte {exc.start}")
    except json.JSONDecodeError as exc:
        return ErrorRecord(line_origin, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(record, dict):
        return ErrorRecord(line_origin, f"a JSON {JSON_TYPES.get(type(record), 'value')}, not an object")
    return record_page(record, line_origin)


JSON_TYPES = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def record_page(record: dict[str, Any], line_origin: str) -> Page | ErrorRecord:
    url = _string(record.get("url"))
    origin = url or line_origin
    html, text = _string(record.get("html")), _string(record.get("text"))
    if html:
        page = html_reader.extract(html, origin, url)
    elif text:
        page = Page(origin=origin, text=text, kind="text", url=url)
    else:
        return ErrorRecord(origin, 'record has no "html" or "text" field with text in it')
    if isinstance(page, ErrorRecord):
        return page
    page.title = _string(record.get("title")) or page.title
    page.outlet = _string(record.get("outlet")) or page.outlet
    page.language = _string(record.get("language")) or page.language
    given = _string(record.get("published"))
    if given:
        published = iso_date(given)
        if published:
            page.published = published
        else:
            page.warnings.append(f"unreadable published date in the record: {given!r}")
    return page


def _string(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
