"""Latin spellings and matching keys of uk/ru names.

`latin` gives a readable transliteration for display ("Умєров" -> "Umierov",
"Умеров" -> "Umerov"): the Ukrainian national system (KMU 2010) and the
Russian passport system (ICAO), from translitua.

`key` gives a coarse, ascii, language-independent key under which the
Ukrainian, Russian and Latin spellings of one name meet, so that an entity
the knowledge base does not know still gets the same id in every language:
"Умєров", "Умеров" and "Umerov" all give "umerov". The letter table is in
data/entities/translit.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "entities" / "translit.yaml"
_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэёъЫЭЁЪ]")
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/]+")
_DROP = re.compile(r"[^a-z0-9 ]")
_DOUBLES = re.compile(r"([a-z])\1+")


@cache
def _data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@cache
def _key_table() -> dict[int, str]:
    return {ord(letter): latin for letter, latin in _data()["key_letters"].items()}


@cache
def _rules(name: str) -> tuple[tuple[str, str], ...]:
    return tuple((a, b) for a, b in _data()[name])


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=100_000)
def key(text: str) -> str:
    """The matching key of a name: lower-case ascii words separated by one
    space ("Себастьєн Лекорню" -> "sebasten lekornu")."""
    text = unicodedata.normalize("NFC", text).lower().replace("ё", "е")
    # Latin spelling rules apply to Latin names only: the Cyrillic table
    # already writes each letter as the key wants it ("ц" -> "c").
    rules = _rules("key_common") if _CYRILLIC.search(text) else _rules("key_latin") + _rules("key_common")
    # й, ї decompose under NFD: map Cyrillic first, then strip Latin marks.
    text = text.translate(_key_table())
    text = _strip_marks(text)
    for a, b in rules:
        text = text.replace(a, b)
    text = _SEPARATORS.sub(" ", text)
    text = _DROP.sub("", text)
    for pattern, replacement in _sounds():
        text = pattern.sub(replacement, text)
    text = _DOUBLES.sub(r"\1", text)
    return " ".join(text.split())


@cache
def _sounds() -> tuple[tuple[re.Pattern, str], ...]:
    return tuple((re.compile(a), b) for a, b in _data().get("key_sounds", ()))


@lru_cache(maxsize=100_000)
def latin(text: str, language: str = "uk") -> str:
    """A readable Latin spelling of `text`; Latin text stays as it is."""
    if not _CYRILLIC.search(text):
        return text
    from translitua import RussianICAO, UkrainianKMU, translit

    if _UKRAINIAN.search(text):
        language = "uk"
    elif _RUSSIAN.search(text):
        language = "ru"
    table = UkrainianKMU if language == "uk" else RussianICAO
    return translit(text, table)
