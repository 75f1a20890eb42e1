"""Text dumps of news pages: the article with page debris around it. The
cleaner (newsgraph.clean) separates the two."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers.decode import decode


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    text = decode(data)
    if not text.strip():
        yield ErrorRecord(origin, "no text: the file holds only whitespace")
        return
    yield Page(origin=origin, text=text, kind="dump")
