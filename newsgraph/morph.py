"""Shared, cached morphology for uk/ru (pymorphy3) and a light English
normaliser.

Every stage that matches words against a lexicon goes through `lemma`, and
every lexicon is lemmatised with the same function when it is loaded, so the
two sides agree even where pymorphy3 guesses (unknown surnames, abbreviations).
`lemma` and `parses` are cached per word form: news text repeats its
vocabulary, so after the first pages almost every call is a dictionary hit.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

APOSTROPHES = "'’ʼ`"

# A word: letters/digits, with apostrophes and hyphens inside it ("п'ятницю",
# "віцепрем'єр-міністр"); "R&D" is two words, like any other punctuation.
WORD = re.compile(r"\w+(?:['’ʼ`\-‐‑]\w+)*")

_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[а-яА-Я]")


def normalize_apostrophes(text: str) -> str:
    """Typographic apostrophes to ASCII ("п’ятницю" -> "п'ятницю"); same length.
    (Chained str.replace: far faster than str.translate on long texts.)"""
    return text.replace("’", "'").replace("ʼ", "'").replace("`", "'").replace("‘", "'")


@cache
def analyzer(lang: str):
    """The pymorphy3 analyser for "uk" or "ru" (loaded once per process); None for other languages."""
    if lang not in ("uk", "ru"):
        return None
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def guess_language(text: str) -> str:
    """uk/ru/en from the alphabet alone, for when article.language is unset."""
    sample = text[:2000]
    uk, ru = len(_UK_ONLY.findall(sample)), len(_RU_ONLY.findall(sample))
    if uk or ru:
        return "uk" if uk >= ru else "ru"
    return "ru" if _CYRILLIC.search(sample) else "en"


def _english_lemma(word: str) -> str:
    # Plural nouns and 3rd-person verbs only: lexicons list irregular forms
    # ("met", "held") themselves.
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=20_000)
def parse(word: str, lang: str) -> tuple:
    """pymorphy3's readings of `word` exactly as given ("uk" or "ru"). A parse
    costs more than everything else done with a new word, and the stages ask
    for the same words of a page (the NER features, the lemmas here), so the
    readings are shared; the bound keeps a page's words, not a corpus's."""
    return tuple(analyzer(lang).parse(word))


@lru_cache(maxsize=300_000)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of one word, lower-cased; the word itself when unknown."""
    low = normalize_apostrophes(word.lower())
    if not _CYRILLIC.search(low) and not _UK_ONLY.search(low):
        return _english_lemma(low) if lang == "en" or low.isascii() else low
    language = lang if lang in ("uk", "ru") else guess_language(low)
    if analyzer(language) is None:
        return low
    return parse(low, language)[0].normal_form.replace("ё", "е")


@lru_cache(maxsize=100_000)
def parses(word: str, lang: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """All readings of a word as (lemma, grammemes); empty for non-uk/ru words."""
    morph = analyzer(lang)
    if morph is None or not (_CYRILLIC.search(word) or _UK_ONLY.search(word)):
        return ()
    return tuple((p.normal_form, frozenset(p.tag.grammemes)) for p in parse(normalize_apostrophes(word), lang))


@lru_cache(maxsize=100_000)
def is_known(word: str, lang: str) -> bool:
    """Whether the dictionary knows the word (its readings are not guesses)."""
    morph = analyzer(lang)
    return bool(morph is not None and morph.word_is_known(normalize_apostrophes(word.lower())))


def cases(word: str, lang: str) -> frozenset[str]:
    """The grammatical cases a word form can be in ("nomn", "ablt", ...)."""
    found: set[str] = set()
    for _, grammemes in parses(word, lang):
        found |= grammemes & _CASES
    return frozenset(found)


_CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen2", "acc2", "loc2"})


def has_grammeme(word: str, lang: str, grammeme: str) -> bool:
    return any(grammeme in g for _, g in parses(word, lang))


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of `text` as (word, start, end)."""
    return [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


def lemmas(text: str, lang: str) -> list[tuple[str, int, int]]:
    """(lemma, start, end) for every word of `text`."""
    return [(lemma(m.group(), lang), m.start(), m.end()) for m in WORD.finditer(text)]


@lru_cache(maxsize=20_000)
def to_nominative(word: str, lang: str, case: str | None = None) -> str:
    """The nominative of one inflected word, keeping its gender and number
    ("Високою" -> "висока", "міністром" -> "міністр"); the word itself when
    pymorphy3 cannot inflect it. `case` picks the reading to inflect from."""
    morph = analyzer(lang)
    if morph is None:
        return word
    readings = list(parse(normalize_apostrophes(word), lang))
    if case:
        readings = [p for p in readings if case in p.tag.grammemes] or readings
    for reading in readings:
        inflected = reading.inflect({"nomn"})
        if inflected is None:
            continue
        result = inflected.word
        if ("plur" in inflected.tag) != ("plur" in reading.tag):
            # A gap in the dictionary's paradigm ("секретарем" -> "секретарі"):
            # the dictionary form of a noun is its nominative singular.
            if "NOUN" not in reading.tag or "plur" in reading.tag:
                continue
            result = reading.normal_form
        return result[:1].upper() + result[1:] if word[:1].isupper() else result
    return word
