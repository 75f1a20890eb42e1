"""The event layer: meetings, quotes, roles and topics of an article whose
entities are filled.

The pipeline component `events` runs, per article: roles (titles of the
people named), quotes (with speakers, resolved through roles), meetings (who
met whom, where, when, in what form; quote speakers stand in for a
first-person "провів зустріч") and topics (of the article and of each
meeting). With no entities it still finds the article's topics and leaves
meetings empty and quotes without speakers.
"""

from __future__ import annotations

from itertools import accumulate

from newsgraph.events.meetings import extract_meetings
from newsgraph.events.quotes import as_quotes, extract_quotes
from newsgraph.events.roles import extract_roles, prominence
from newsgraph.events.text import Doc, build_doc, find_title_mentions
from newsgraph.events.topics import current, score, topics_from, word_key
from newsgraph.model import Article
from newsgraph.pipeline import component

# The store's role facts: newsgraph.events.roles.roles(article) (a function
# of the submodule, so that the name `newsgraph.events.roles` stays the module).
__all__ = ["analyse_article", "events"]


def _docs(article: Article) -> tuple[Doc, Doc | None]:
    body = build_doc(article.body or "", article.language, article.entities, article.published)
    title = None
    if article.title:
        title = build_doc(article.title, body.lang)
        find_title_mentions(title, body, article.entities)
    return body, title


def _topic_keys(doc: Doc) -> tuple[list[str], list[int]]:
    """Word keys of a doc for topic matching (punctuation left out, so "R&D"
    is the two words R, D as in the taxonomy) and, per token, the index of
    the next word key."""
    flags = [w[0].isalnum() for w in doc.words]
    keys = ["^" + w if len(w) >= 2 and w.isupper() else l for w, l, f in zip(doc.words, doc.lemmas, flags) if f]
    position = list(accumulate(flags, initial=0))
    return keys, position


def analyse_article(article: Article) -> Article:
    body, title = _docs(article)
    facts = extract_roles(body)
    counts = prominence(body)
    found = extract_quotes(body, facts, counts)

    def quote_speaker(char: int):
        for q in found:
            if q.open < char < q.close and q.speaker_entity is not None and getattr(q.speaker, "type", "") == "PER":
                return q.speaker
        return None

    index = current()
    keys, position = _topic_keys(body)
    title_keys = [word_key(w, body.lang) for w, _ in zip(title.words, title.lemmas) if w[0].isalnum()] if title else []

    def meeting_topics(record) -> list[str]:
        ranges = [(position[a], position[b]) for a, b in record.context]
        scores = score(keys, body.lang, ranges, index)
        if record.from_title and title_keys:
            scores.update(score(title_keys, body.lang, None, index))
        return topics_from(scores)

    article.quotes = as_quotes(found, article.body or "")
    article.meetings = extract_meetings(body, title, facts, article.published, quote_speaker, meeting_topics) if body.mentions else []
    scores = score(keys, body.lang, None, index)
    if title_keys:
        scores.update(score(title_keys, body.lang, None, index))
    article.topics = topics_from(scores)
    return article


@component("events")
def events(article: Article) -> Article:
    """Pipeline stage: fill article.meetings, article.quotes and article.topics."""
    return analyse_article(article)

