"""Metadata a dump states outside its body: crawler header lines (id, language
code, date, URL), the outlet named at the top, the publication date line near
the title, the aggregator named in a footer. Each is taken only where the page
states it; otherwise it stays None."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from newsgraph.clean import dates, resources

URL = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)
# Parts are letters/digits without "_": with \w+ ("_" in both the part and
# the separator) "a_a_a_…_x" backtracked exponentially (48 characters: 10 s).
RECORD_ID = re.compile(r"(?:[a-z]{2,3}-)?(?:[^\W_]+[-_])*\d+", re.IGNORECASE)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")
MAX_HEADER = 6


@dataclass
class Meta:
    """The crawler's header lines at the very top of a dump."""

    lines: int = 0
    url: str | None = None
    published: str | None = None
    language: str | None = None


def read_meta(texts: list[str]) -> Meta:
    """Recognise the id / language / date / URL lines a crawler writes above
    the page (the BSNLP raw format and the like). Only a run of such lines
    that includes a URL or a language code counts: a lone number opening a
    page is not metadata."""
    codes = resources.header()["language_codes"]
    meta = Meta()
    found: set[str] = set()
    for i, text in enumerate(texts[:MAX_HEADER]):
        low = text.lower()
        if "url" not in found and URL.fullmatch(text):
            meta.url, kind = text, "url"
        elif "language" not in found and low in codes:
            meta.language, kind = codes[low], "language"
        elif "date" not in found and ISO_DATE.fullmatch(text):
            meta.published, kind = dates.parse(text), "date"
        elif i == 0 and len(text) <= 40 and RECORD_ID.fullmatch(text):
            kind = "id"
        else:
            break
        found.add(kind)
        meta.lines = i + 1
    if not found & {"url", "language"}:
        return Meta()
    return meta


def host_outlet(url: str | None) -> str | None:
    """The URL's host without www., unless it is a placeholder."""
    if not url:
        return None
    host = urlsplit(url if "://" in url else "http://" + url).hostname or ""
    host = host.removeprefix("www.")
    if not host or host in resources.header()["placeholder_hosts"]:
        return None
    return host


@cache
def _outlets() -> dict[str, str]:
    return {name.lower(): name for name in resources.header()["outlets"]}


@cache
def _not_outlets() -> frozenset[str]:
    return frozenset(str(w).lower() for w in resources.header()["not_outlets"])


def known_outlet(text: str) -> str | None:
    return _outlets().get(text.lower().strip(" .:|"))


def outlet_line(text: str, next_text: str | None) -> str | None:
    """The outlet a short header line names: a known outlet, or a short name
    standing right above the date line (the way news sites print it)."""
    if known := known_outlet(text):
        return known
    if next_text is None or not dates.is_date_line(next_text):
        return None
    words = text.split()
    if not 1 <= len(words) <= 4 or len(text) > 40 or text[-1] in ".!?:,;" or dates.has_date(text):
        return None
    if text.lower() in _not_outlets():
        return None
    # A brand capitalises every word ("Вісті Регіонів", "Київ Пост"); a
    # rubric is a phrase ("Війна в Україні").
    if not all(word[0].isupper() or word[0].isdigit() for word in words):
        return None
    return text


SEPARATORS = re.compile(r"\s*(?:[•|·,/]|\s[-–—]\s)\s*")


def outlet_in_dateline(text: str) -> str | None:
    """A known outlet among the parts of a short dateline ("Київ • Укрінформ",
    "14.02.2025 | УНІАН")."""
    if len(text.split()) > 8:
        return None
    for part in SEPARATORS.split(text):
        if known := known_outlet(part):
            return known
    return None


@cache
def _aggregators() -> tuple[tuple[str, ...], re.Pattern, list[str]]:
    """(substring keys, one regex for all aggregators with group a<i> for
    names[i], names)."""
    items = resources.header()["aggregators"]
    plain = re.compile(r"(?<!\\)\((?!\?)")
    groups = [f"(?P<a{i}>" + "|".join(plain.sub("(?:", p) for p in item["patterns"]) + ")" for i, item in enumerate(items)]
    keys = tuple(str(k).lower() for item in items for k in item["keys"])
    return keys, re.compile("|".join(groups), re.IGNORECASE), [item["name"] for item in items]


@cache
def _slogans() -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in resources.header()["aggregator_slogans"]]


def aggregator(text: str, low: str | None = None) -> str | None:
    """The aggregator a footer line names, if any (`low`: the line in lower
    case, when the caller has it already)."""
    keys, pattern, names = _aggregators()
    low = low if low is not None else text.lower()
    if any(key in low for key in keys) and (m := pattern.search(text)):
        return names[int(m.lastgroup[1:])]
    for pattern in _slogans():
        if m := pattern.match(text):
            return m.group(1)
    return None
