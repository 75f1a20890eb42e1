"""RSS and Atom feeds: feedparser reads the feed (it also finds the
encoding and gets through malformed XML with its loose parser); every entry
becomes a page.

An entry's text is its longest content block, else its summary. HTML there
goes through trafilatura (without metadata: the entry has its own); a
fragment too short for trafilatura's article finder (a one-paragraph
summary) is taken whole, since a feed entry holds no page debris to remove.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers import html as html_reader
from newsgraph.readers.dates import iso_date

# feedparser calls every RSS description text/html; only real tags make it HTML.
# [^<>]: on "<a <a …" without a ">" each "<" rescanned the rest (quadratic).
TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    import feedparser

    try:
        # A file object, never a str: feedparser fetches a str that looks like a URL.
        parsed = feedparser.parse(io.BytesIO(CHARREF.sub(_charref, data)), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # noqa: BLE001 - feedparser's loose parser raises on some broken XML (fuzzing: KeyError 'links')
        yield ErrorRecord(origin, f"unreadable feed: the feed parser failed ({type(exc).__name__}: {exc})")
        return
    problem = _bozo(parsed)
    if not parsed.entries:
        yield ErrorRecord(origin, f"unreadable feed: {problem}" if problem else "feed has no entries")
        return
    outlet = _text(parsed.feed.get("title"))
    for number, entry in enumerate(parsed.entries, start=1):
        entry_origin = entry.get("link") or f"{origin}#{number}"
        page = entry_page(entry, entry_origin, outlet)
        if isinstance(page, Page) and problem:
            page.warnings.append(f"malformed feed, read what could be parsed: {problem}")
        yield page


# Character references feedparser cannot decode: it raises (UnicodeEncodeError,
# ValueError) on a surrogate (&#xD800;) or a number past U+10FFFF instead of
# flagging the feed, as fuzzing found. They become U+FFFD before parsing.
CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,16}|[0-9]{1,20});")


def _charref(match: re.Match) -> bytes:
    ref = match.group(1)
    code = int(ref[1:], 16) if ref[:1] in b"xX" else int(ref)
    return b"&#xFFFD;" if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else match.group(0)


def _bozo(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    # feedparser flags a declared-vs-detected encoding mismatch that it resolved itself.
    if type(exc).__name__ in ("CharacterEncodingOverride",):
        return None
    return f"{type(exc).__name__}: {exc}" if exc else "malformed XML"


def entry_page(entry: Any, origin: str, outlet: str | None) -> Page | ErrorRecord:
    value = _content(entry)
    if not value.strip():
        return ErrorRecord(origin, "feed entry has no text")
    warnings = [] if entry.get("content") else ["feed entry holds only a summary"]
    text, kind = (html_reader.fragment_text(value), "html") if TAG.search(value) else (value.strip(), "text")
    if not text:
        return ErrorRecord(origin, "feed entry has no text")
    published = _date(entry, "published", warnings)
    # feedparser answers "updated" with the published date when there is none: compare
    if not published and entry.get("updated") and entry.get("updated") != entry.get("published"):
        published = _date(entry, "updated", warnings)
        if published:
            warnings.append("publication date taken from the entry's update time")
    if not published and entry.get("published"):
        warnings.append(f"unreadable publication date {entry.get('published')!r}")
    source = entry.get("source") or {}
    return Page(
        origin=origin,
        text=text,
        kind=kind,
        url=entry.get("link"),
        title=_text(TAG.sub("", entry.get("title") or "")),
        published=published,
        outlet=_text(source.get("title")) or outlet,  # an aggregator's feed names each entry's source
        warnings=warnings,
    )


def _content(entry: Any) -> str:
    blocks = [block.get("value") or "" for block in entry.get("content") or []]
    return max(blocks, key=len, default="") or entry.get("summary") or ""


def _date(entry: Any, field: str, warnings: list[str]) -> str | None:
    """The entry's date as written (its zone kept); feedparser's own parse of
    an odd format, which it turns into UTC, as a fallback."""
    written = iso_date(entry.get(field))
    parsed = entry.get(f"{field}_parsed")
    if written or not parsed:
        return written
    warnings.append(f"{field} date {entry.get(field)!r} read by feedparser, as UTC")
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def _text(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None
