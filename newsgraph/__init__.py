"""newsgraph: a knowledge base of who met whom, where, when and about what,
built from raw news pages in Ukrainian, Russian and English.

The Python API is the layer the CLI, HTTP API and web UI stand on:

    from newsgraph import process_paths
    for article in process_paths(["page.txt"]):
        ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from newsgraph.model import Article, ErrorRecord, Page

__all__ = ["Article", "ErrorRecord", "Page", "process_paths", "process_page"]


def process_paths(paths: Iterable[str], input_format: str = "auto") -> Iterator[Article | ErrorRecord]:
    from newsgraph.pipeline import process_pages
    from newsgraph.readers import read

    return process_pages(read(paths, input_format))


def process_page(page: Page) -> Article:
    from newsgraph.pipeline import process_page as run

    return run(page)
