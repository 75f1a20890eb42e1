"""Words -> index terms, shared by the full-text index, search queries and
story clustering, so that a query is analysed exactly like the text it
should find.

Ukrainian and Russian words are lemmatised with pymorphy3. A word the
dictionary knows gives its most likely lemma. A word it does not know
(mostly foreign surnames: "Умєровим", "Лекорню") gives the distinct lemmas
of its few best guesses plus the word itself, because pymorphy's guesses
differ from one inflection to the next ("Умєрова" -> "умєрів", "Умєров" ->
"умєров"); indexing all of them makes every inflection meet. Other
languages are lower-cased only.

(newsgraph.morph.lemma gives one lemma per word, right for lexicons; the
index needs the several guesses for unknown words, so this module keeps its
own analysis, on the same shared pymorphy3 analysers, and the index and the
queries always go through it together.)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

SLAVIC = ("uk", "ru")
MAX_GUESSES = 3  # distinct lemmas kept for a word the dictionary does not know
MAX_PARSES = 8
# Parts of speech that carry no story content (pymorphy3 tags).
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED", "NUMR", "COMP", "ADVB"})
MIN_TERM_CHARS = 3

_WORD = re.compile(r"\w+(?:['’ʼ`\-‐‑]\w+)*")
_CYRILLIC = re.compile(r"[а-яёіїєґ]", re.IGNORECASE)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "‐": "-", "‑": "-", "ё": "е"})


@cache
def _analyzer(language: str):
    # Share the project's analyser (one per language per process) where it exists.
    try:
        from newsgraph.morph import analyzer
    except ImportError:
        import pymorphy3

        return pymorphy3.MorphAnalyzer(lang=language)
    return analyzer(language)


def normalise(text: str) -> str:
    """The lookup form of a word or name: casefolded, ё->е, one apostrophe, one hyphen."""
    return " ".join(text.casefold().translate(_APOSTROPHES).split())


def fold(word: str) -> str:
    """normalise() for one word (no spaces to collapse): the hot path."""
    return word.casefold().translate(_APOSTROPHES)


def words(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with their character offsets."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def folded_words(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text)]


@lru_cache(maxsize=300_000)
def _analyse(word: str, language: str) -> tuple[tuple[str, ...], str]:
    """(index terms, part of speech of the best reading) of a folded word."""
    if language not in SLAVIC or not _CYRILLIC.search(word):
        return (word,), "LATN" if word.isascii() else "UNKN"
    parses = _analyzer(language).parse(word)
    if not parses:
        return (word,), "UNKN"
    best = parses[0]
    pos = str(best.tag.POS or best.tag).split(",")[0]
    if best.is_known:
        return (normalise(best.normal_form),), pos
    guesses: list[str] = []
    for parse in parses[:MAX_PARSES]:
        lemma = normalise(parse.normal_form)
        if lemma not in guesses:
            guesses.append(lemma)
        if len(guesses) == MAX_GUESSES:
            break
    if word not in guesses:
        guesses.append(word)
    return tuple(guesses), pos


def word_terms(word: str, language: str | None) -> tuple[str, ...]:
    """Index terms of one word in a language (several for unknown words)."""
    return _analyse(fold(word), language or "")[0]


def index_text(text: str, language: str | None) -> str:
    """The lemmatised copy of a text that goes into the full-text index."""
    return index_tokens(folded_words(text), language)


def index_tokens(tokens: list[str], language: str | None) -> str:
    language = language or ""
    return " ".join(term for token in tokens for term in _analyse(token, language)[0])


def query_terms(word: str) -> list[str]:
    """Every term a query word may appear under in the index: its own form
    and its lemmas read as Ukrainian and as Russian (the query's language is
    unknown)."""
    variants = [fold(word)]
    for language in SLAVIC:
        for term in word_terms(word, language):
            if term not in variants:
                variants.append(term)
    return variants


def content_terms(tokens: list[str], language: str | None) -> dict[str, float]:
    """Term frequencies of the content words among folded tokens, for
    clustering. Function words, numbers and very short words are left out;
    the several guesses of an unknown word share its one count."""
    language = language or ""
    counts: dict[str, float] = {}
    for token in tokens:
        if token.isdigit():
            continue
        terms, pos = _analyse(token, language)
        if pos in FUNCTION_POS:
            continue
        share = 1.0 / len(terms)
        for term in terms:
            if len(term) >= MIN_TERM_CHARS and not term.isdigit():
                counts[term] = counts.get(term, 0.0) + share
    return counts


def shingles(tokens: list[str], size: int = 3) -> list[bytes]:
    """Word n-grams of folded tokens, for near-duplicate detection."""
    return [" ".join(tokens[i : i + size]).encode("utf-8") for i in range(max(0, len(tokens) - size + 1))]
