"""Search the store: full-text over lemmatised text, expanded through
entity aliases, with filters.

    from newsgraph.search import search
    for hit in search("news.db", "Умєровим", language="uk"):
        print(hit.title, hit.snippet)

A query word matches an article when the article's lemmatised text holds
the word itself or any of its lemmas read as Ukrainian or Russian, or any
name under which an entity known by that word appears ("Umerov" ->
Rustem Umerov -> "Умєров", "Умеров", ...): so every inflection and script
finds the same articles. All words must match. The full-text expression is
built from quoted phrases only (never from the user's own syntax). Results
are ranked by bm25 and carry a snippet of the original text with the
matching words in [brackets] and their offsets.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from newsgraph.store import open_store
from newsgraph.store.base import Filters, Store
from newsgraph.stories.terms import SLAVIC, fold, normalise, query_terms, word_terms, words

MAX_WORDS = 12  # longer queries are cut: each word is a group of alternatives
MAX_PHRASES = 24  # alias phrases added per query word
SNIPPET_CHARS = 200
PREFIX = 3  # letters a word shares with its lemma, for the snippet's quick check


@dataclass
class Hit:
    id: str
    title: str | None
    url: str | None
    outlet: str | None
    language: str | None
    published: str | None
    day: str
    story_id: str | None
    score: float
    snippet: str
    highlights: list[tuple[int, int]] = field(default_factory=list)  # offsets into the body

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def resolve_entities(store: Store, name: str) -> list[str]:
    """Entity ids for an id or any name/alias/inflected form of one."""
    if store.has_entity(name):
        return [name]
    found = store.match_aliases([normalise(name), *query_terms(name)])
    return sorted({eid for ids in found.values() for eid in ids})


def plan(store: Store, query: str) -> tuple[list[list[str]], set[str]]:
    """The full-text groups for a query (one per word, each a list of
    alternative phrases) and every index term that counts as a match."""
    groups: list[list[str]] = []
    matched: set[str] = set()
    query_words = [w for w, _, _ in words(query)][:MAX_WORDS]
    variants = [query_terms(w) for w in query_words]
    # Aliases are looked up by the word's own form and by its lemmas.
    aliases = store.match_aliases({v for vs in variants for v in vs} | {normalise(query)})
    whole = aliases.get(normalise(query), set())
    for word_variants in variants:
        entity_ids = set(whole)
        for variant in word_variants:
            entity_ids |= aliases.get(variant, set())
        phrases = list(word_variants)
        for phrase in store.entity_phrases(entity_ids, MAX_PHRASES):
            if phrase not in phrases:
                phrases.append(phrase)
        groups.append(phrases)
        for phrase in phrases:
            matched.update(phrase.split())
    return groups, matched


def _candidates(matched: set[str]) -> re.Pattern[str] | None:
    """Words that may match: inflection changes endings, so a word can only
    match a term it shares its first letters with. Scanning for those in C
    spares the morphology of every other word."""
    prefixes = sorted({term[:PREFIX] for term in matched if term})
    if not prefixes:
        return None
    alternatives = "|".join(re.escape(p).replace("е", "[её]") for p in prefixes)
    return re.compile(rf"(?<!\w)(?:{alternatives})\w*(?:['’ʼ`\-‐‑]\w+)*", re.IGNORECASE)


def snippet(body: str, language: str | None, matched: set[str]) -> tuple[str, list[tuple[int, int]]]:
    """A stretch of the original text around the first match, matches in [brackets]."""
    spans = []
    pattern = _candidates(matched)
    for found in pattern.finditer(body) if pattern else ():
        word = found.group()
        terms = {fold(word), *word_terms(word, language)}
        if language not in SLAVIC:
            for other in SLAVIC:
                terms.update(word_terms(word, other))
        if terms & matched:
            spans.append((found.start(), found.end()))
    if not spans:
        text = body[:SNIPPET_CHARS]
        return text + ("…" if len(body) > SNIPPET_CHARS else ""), []
    first = spans[0][0]
    lo = max(0, first - SNIPPET_CHARS // 3)
    if lo:
        space = body.find(" ", lo)
        lo = space + 1 if 0 <= space < first else lo
    hi = min(len(body), lo + SNIPPET_CHARS)
    pieces, cursor = [], lo
    for start, end in spans:
        if start < lo or end > hi:
            continue
        pieces += [body[cursor:start], "[", body[start:end], "]"]
        cursor = end
    pieces.append(body[cursor:hi])
    text = ("…" if lo else "") + "".join(pieces) + ("…" if hi < len(body) else "")
    return " ".join(text.split()), spans


def search(
    db: str | os.PathLike | Store,
    query: str,
    entity: str | None = None,
    language: str | None = None,
    outlet: str | None = None,
    topic: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    limit: int = 20,
) -> list[Hit]:
    """Latest articles matching `query` (every word, in any inflection or
    script) and the filters, best first. An empty query lists the newest
    articles matching the filters. Dates are YYYY-MM-DD, inclusive."""
    store = open_store(db)
    try:
        filters = Filters(
            language=language, outlet=outlet, topic=topic,
            date_from=str(date_from) if date_from else None, date_to=str(date_to) if date_to else None,
        )
        if entity:
            filters.entity_ids = resolve_entities(store, entity)
        groups, matched = plan(store, query or "")
        if (query or "").strip() and not groups:
            return []
        rows = store.search_articles(groups, filters, max(1, int(limit)))
        hits = []
        for row in rows:
            text, spans = snippet(row["body"], row["language"], matched)
            hits.append(
                Hit(
                    id=row["id"], title=row["title"], url=row["url"], outlet=row["outlet"], language=row["language"],
                    published=row["published"], day=row["day"], story_id=row["story_id"],
                    score=round(-float(row["score"]), 4), snippet=text, highlights=spans,
                )
            )
        return hits
    finally:
        if store is not db:
            store.close()
