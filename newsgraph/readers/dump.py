"""Text dumps of news pages: the article with page debris around it. The
cleaner (newsgraph.clean) separates the two."""

from __future__ import annotations

from collections.abc import Iterator

from newsgraph.model import Page
from newsgraph.readers.decode import decode


def read(data: bytes, origin: str) -> Iterator[Page]:
    yield Page(origin=origin, text=decode(data), kind="dump")
