"""The entity stage: recognise names (statistical NER, newsgraph.entities.ner),
give every mention its nominative lemma (lemma) and group and link the
mentions into language-independent entities (link, with the knowledge base).

Only the article body is analysed: offsets are into `body`, and the cleaner
has already removed page debris, so boilerplate never contributes entities.
"""

from __future__ import annotations

from newsgraph.model import Article, Mention
from newsgraph.pipeline import component

ANALYSED = ("uk", "ru", "en")
MAX_MENTIONS = 2000  # a safe bound per article: a normal news article has < 200


@component("entities")
def find_entities(article: Article) -> Article:
    from newsgraph.entities.link import link
    from newsgraph.entities.ner import recognize

    if article.language not in ANALYSED or not article.body:
        return article
    spans = recognize(article.body, article.language)
    if len(spans) > MAX_MENTIONS:
        article.warnings.append(f"entities: {len(spans)} mentions, only the first {MAX_MENTIONS} kept")
        spans = spans[:MAX_MENTIONS]
    mentions = [Mention(article.body[start:end], start, end, "", type_) for start, end, type_ in spans]
    article.entities = link(mentions, article.language)
    return article
