"""Text-dump cleaning (placeholder until the line classifier lands)."""

from __future__ import annotations

from newsgraph.model import Article, Page


def clean_dump(page: Page) -> Article:
    return Article(id="", origin=page.origin, body=page.text.strip(), url=page.url)
