"""The entity stage: recognise names (statistical NER, newsgraph.entities.ner),
give every mention its nominative lemma (lemma) and group and link the
mentions into language-independent entities (link, with the knowledge base).

Only the article body is analysed: offsets are into `body`, and the cleaner
has already removed page debris, so boilerplate never contributes entities.
"""

from __future__ import annotations

import re

from newsgraph.model import Article, Mention
from newsgraph.pipeline import component

ANALYSED = ("uk", "ru", "en")
MAX_MENTIONS = 2000  # a safe bound per article: a normal news article has < 200


@component("entities")
def find_entities(article: Article) -> Article:
    from newsgraph.entities.link import link

    if article.language not in ANALYSED or not article.body:
        return article
    spans = entity_spans(article.body, article.language)
    if len(spans) > MAX_MENTIONS:
        article.warnings.append(f"entities: {len(spans)} mentions, only the first {MAX_MENTIONS} kept")
        spans = spans[:MAX_MENTIONS]
    mentions = [Mention(article.body[start:end], start, end, "", type_) for start, end, type_ in spans]
    article.entities = link(mentions, article.language)
    return article


def entity_spans(text: str, language: str) -> list[tuple[int, int, str]]:
    """The mention spans the stage links, in text order: the NER's, plus
    the surnames it missed where they repeat (`repeated_surnames`). This is
    what `newsgraph eval entities` scores."""
    from newsgraph.entities.ner import recognize

    spans = recognize(text, language)
    return sorted(spans + repeated_surnames(text, spans))


# Case endings an inflected surname may add (uk and ru): Умєров -> Умєровим.
# A closed list, so that "Росс" never reaches "Россія".
SURNAME_ENDINGS = ("а", "у", "ю", "ом", "ем", "ым", "им", "ою", "ой", "ого", "ому", "ові", "еві", "ів", "ых", "их", "е", "і", "и", "ої", "ій")


def repeated_surnames(body: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Document-level consistency: a surname the model found inside a full
    name ("Себастьєн Лекорню") is a person wherever else it stands in the same
    article, also where the model missed it ("Лекорню зазначив, …": a
    sentence-initial unknown word). Only capitalised whole words that the
    model left untagged are added."""
    surnames = {body[start:end].split()[-1] for start, end, type_ in spans if type_ == "PER" and " " in body[start:end].strip()}
    surnames = {name for name in surnames if len(name) >= 4 and name[0].isupper() and name.isalpha()}
    if not surnames:
        return []
    covered = [(start, end) for start, end, _ in spans]
    alternatives = "|".join(sorted(map(re.escape, surnames), key=len, reverse=True))
    endings = "|".join(sorted(SURNAME_ENDINGS, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:{endings})?(?!\w)")
    added = []
    for match in pattern.finditer(body):
        if not any(start < match.end() and match.start() < end for start, end in covered):
            added.append((match.start(), match.end(), "PER"))
    return added
