"""Language identification: uk, ru, en, else "other" (a language we do not
analyse) or "und" (too little text to tell).

lingua is restricted to the languages we analyse plus the neighbours they are
most often confused with, so that Belarusian or Bulgarian text becomes
"other" instead of being forced into uk or ru. The detector is built once per
process.
"""

from __future__ import annotations

from functools import cache

from newsgraph.model import Article
from newsgraph.pipeline import component

ANALYSED = {"UKRAINIAN": "uk", "RUSSIAN": "ru", "ENGLISH": "en"}
NEIGHBOURS = ("BELARUSIAN", "BULGARIAN", "SERBIAN", "MACEDONIAN", "POLISH", "GERMAN", "FRENCH", "SPANISH")
MIN_LETTERS = 3
SAMPLE_CHARS = 3000  # enough for a confident decision; keeps long pages cheap


@cache
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in (*ANALYSED, *NEIGHBOURS)]
    return LanguageDetectorBuilder.from_languages(*languages).with_preloaded_language_models().build()


def detect(text: str) -> str:
    sample = text[:SAMPLE_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return "und"
    found = _detector().detect_language_of(sample)
    if found is None:
        return "und"
    return ANALYSED.get(found.name, "other")


def _has_letters(text: str, count: int) -> bool:
    # Stops at the `count`-th letter: counting every letter of a long page costs more than detecting it.
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count == 0:
                return True
    return False


@component("language")
def tag_language(article: Article) -> Article:
    if not article.language:
        article.language = detect(f"{article.title or ''}\n{article.body}")
    return article
