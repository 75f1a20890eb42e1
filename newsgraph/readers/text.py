"""Already clean text: the whole file is the article body, byte for byte
decoded, so that character offsets into `body` are offsets into the file."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers.decode import decode


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    text = decode(data)
    if not text.strip():
        yield ErrorRecord(origin, "no text: the file holds only whitespace")
        return
    yield Page(origin=origin, text=text, kind="text")
