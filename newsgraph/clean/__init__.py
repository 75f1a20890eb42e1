"""Page -> Article: the first stage. Text dumps go through the line
classifier in `clean.dump`; text pages are taken as they are; HTML and feed
pages arrive already extracted by their readers."""

from __future__ import annotations

import os
from dataclasses import replace

from newsgraph.limits import current
from newsgraph.model import Article, Page, content_id
from newsgraph.readers.decode import storable


def clean_page(page: Page) -> Article:
    page = within_body_limit(page)
    if page.kind == "dump":
        from newsgraph.clean.dump import clean_dump

        article = clean_dump(page)
    else:
        article = Article(
            id="",
            origin=page.origin,
            body=page.text,
            url=page.url,
            outlet=page.outlet,
            title=page.title,
            published=page.published,
            language=page.language,
            warnings=list(page.warnings),
        )
    # Pages that did not come through read_file (newsgraph watch, the Python
    # API) may hold NUL characters, which PostgreSQL refuses.
    for name in ("body", "title", "url", "outlet", "published", "origin"):
        setattr(article, name, storable(getattr(article, name)))
    article.id = content_id(article.url or os.path.basename(article.origin), article.title, article.body)
    return article


def within_body_limit(page: Page) -> Page:
    """The page with its text cut to newsgraph.limits' max_body_chars, at
    the last line break before the limit (else at the limit), with a warning.
    Every later stage costs time in the text's length."""
    limit = current().max_body_chars
    if len(page.text) <= limit:
        return page
    cut = page.text.rfind("\n", 0, limit + 1)
    text = page.text[: cut if cut > 0 else limit]
    warning = f"page text cut from {len(page.text)} to {len(text)} characters (NEWSGRAPH_MAX_BODY_CHARS={limit})"
    return replace(page, text=text, warnings=[*page.warnings, warning])
