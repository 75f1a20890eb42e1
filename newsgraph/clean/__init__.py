"""Page -> Article: the first stage. Text dumps go through the line
classifier in `clean.dump`; text pages are taken as they are; HTML and feed
pages arrive already extracted by their readers."""

from __future__ import annotations

import os

from newsgraph.model import Article, Page, content_id


def clean_page(page: Page) -> Article:
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
    article.id = content_id(article.url or os.path.basename(article.origin), article.title, article.body)
    return article
