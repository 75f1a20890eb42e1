"""Rule data for cleaning, read once per process from newsgraph/data/clean/."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data" / "clean"
MODELS = Path(__file__).resolve().parents[1] / "models"
STOP_LANGUAGES = ("uk", "ru", "en", "de")


def _yaml(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


@cache
def stopwords() -> frozenset[str]:
    """The union of the jusText stop lists: a line of prose in any of these
    languages is dense in them, a menu or a headline list is not."""
    words: set[str] = set()
    for code in STOP_LANGUAGES:
        text = (DATA / "stopwords" / f"{code}.txt").read_text(encoding="utf-8")
        words.update(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))
    return frozenset(words)


def _compile(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@cache
def markers() -> tuple[dict[str, re.Pattern], dict[str, re.Pattern]]:
    """(start patterns, inside patterns): category -> one compiled regex."""
    data = _yaml("markers.yaml")
    start = {cat: _compile(pats) for cat, pats in data["start"].items()}
    inside = {cat: _compile(pats) for cat, pats in data["inside"].items()}
    return start, inside


@cache
def start_marker() -> re.Pattern:
    """All start patterns in one regex, one named group per category, so that
    a line costs one match; `m.lastgroup` is the category."""
    data = _yaml("markers.yaml")["start"]
    plain = re.compile(r"(?<!\\)\((?!\?)")  # inner groups become non-capturing
    groups = [f"(?P<{cat}>" + "|".join(plain.sub("(?:", p) for p in pats) + ")" for cat, pats in data.items()]
    return re.compile("|".join(groups), re.IGNORECASE)


@cache
def header() -> dict:
    return _yaml("header.yaml")


@cache
def month_names() -> dict[str, int]:
    """Every month form of header.yaml, lower case -> month number."""
    return {str(name).lower(): int(month) for month, names in header()["months"].items() for name in names}


@cache
def month_regex() -> str:
    """A regex alternation matching any month form (a final dot allowed)."""
    names = sorted(month_names(), key=len, reverse=True)
    return r"(?:" + "|".join(re.escape(s) for s in names) + r")(?![^\W\d_])\.?"


@cache
def debris() -> dict:
    """Vocabulary for synthetic training dumps (never used at run time)."""
    return _yaml("debris.yaml")
