"""No regex over page text backtracks pathologically.

Every compiled pattern of the modules that see page text is found (module
globals, containers of patterns, and the patterns built from rule data),
then run, the way the code runs it, over the worst inputs we could build
for it: 50,000-character runs of the character classes and short tokens
such patterns repeat and of the pattern's own words (near-matches), each
ending in a character that makes the match fail at the very end.

A linear pattern needs well under a second for that; a quadratic or
exponential one needs minutes to ages (the ones fixed here took 9 to 16 s
on 20,000 characters, or 10 s on a 48-character line). The alarm below is
a generous guard against a hang, not a measurement: a pattern that trips
it is broken.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import re
import signal
from contextlib import contextmanager

import pytest

import newsgraph

SIZE = 50_000
GUARD_SECONDS = 5

# Modules that never see page text (the web UI's own parameters, corpus
# readers for our trusted training data, training and evaluation scripts).
NOT_PAGE_TEXT = (
    "newsgraph.web", "newsgraph.cli", "newsgraph.corpora", "newsgraph.evaluate", "newsgraph.train",
    "newsgraph.readers.build_", "newsgraph.bench", "newsgraph.clean.synthetic", "newsgraph.store",
)

# How a pattern is applied where the code does not scan the whole text
# with it (search, findall, finditer, sub, split: the default, the hardest
# case). "match": only at one position (a line's start, a token's start),
# so a long run is scanned once. ("tail", n) / ("head", n): only over the
# last / first n characters. "normalised": only over lines whose runs of
# spaces the cleaner has collapsed (newsgraph.clean.features.normalise).
USAGE: dict[str, str | tuple[str, int]] = {
    "newsgraph.readers.PROLOGUE": "match",  # sub(count=1) of a ^-anchored pattern
    "newsgraph.readers.FEED_START": "match",
    "newsgraph.readers.HTML_START": "match",
    "newsgraph.readers.JSONL_KEY": ("head", 4096),
    "newsgraph.readers.dates.ISO": "match",
    "newsgraph.readers.html.XML_ENCODING": "match",
    "newsgraph.tokenize._EMAIL": "match",  # at the start of a word followed by "@" or "."
    "newsgraph.tokenize._DOMAIN": "match",
    "newsgraph.clean.header.URL": "match",  # fullmatch
    "newsgraph.clean.header.ISO_DATE": "match",
    "newsgraph.clean.header.RECORD_ID": "match",
    "newsgraph.clean.resources.start_marker()": "match",  # at a line's start
    "newsgraph.clean.resources.markers()[1]['source_tail']": ("tail", 60),
    "newsgraph.clean.header.SEPARATORS": "normalised",
    "newsgraph.kb.ID_RE": "match",
    "newsgraph.kb.QID_RE": "match",
    "newsgraph.kb.COUNTRY_RE": "match",
    "newsgraph.kb.LANG_RE": "match",
    "newsgraph.kb.DATE_RE": "match",
    "newsgraph.entities.lemma._ABBREVIATION_ENDING": "match",
}
USAGE_PREFIXES = {
    # the start markers are applied only through start_marker(), at a line's start
    "newsgraph.clean.resources.markers()[0]": "match",
    "newsgraph.clean.header._slogans()": "match",
}


def _walk(value, name: str, found: dict[str, re.Pattern], depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        found[name] = value
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{name}[{key!r}]", found, depth + 1)
    elif depth < 3 and isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _walk(item, f"{name}[{index}]", found, depth + 1)
    elif depth < 3 and dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            _walk(getattr(value, field.name), f"{name}.{field.name}", found, depth + 1)


def page_text_patterns() -> dict[str, re.Pattern]:
    """Every pattern the page-text modules compile, by where it lives."""
    found: dict[str, re.Pattern] = {}
    for info in pkgutil.walk_packages(newsgraph.__path__, "newsgraph."):
        if info.name.startswith(NOT_PAGE_TEXT):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            _walk(value, f"{info.name}.{name}", found)
    # Patterns built from rule data, at first use.
    from newsgraph import search
    from newsgraph.clean import dates, header, resources
    from newsgraph.entities import translit
    from newsgraph.events import dates as event_dates

    _walk(resources.markers(), "newsgraph.clean.resources.markers()", found)
    _walk(resources.start_marker(), "newsgraph.clean.resources.start_marker()", found)
    _walk(header._aggregators(), "newsgraph.clean.header._aggregators()", found)
    _walk(header._slogans(), "newsgraph.clean.header._slogans()", found)
    _walk(dates._patterns(), "newsgraph.clean.dates._patterns()", found)
    _walk(translit._sounds(), "newsgraph.entities.translit._sounds()", found)
    for language in ("uk", "ru", "en"):
        _walk(event_dates._patterns(language), f"newsgraph.events.dates._patterns({language!r})", found)
    _walk(search._candidates({"зеленськ", "umerov", "брюссел"}), "newsgraph.search._candidates()", found)
    # Patterns given as strings to re.sub/re.search/re.split in page-text code.
    for source in (r"\s+", r"[+-]\d{2}$", "[’ʼ`]", r"[\-‐‑]"):
        found[f"inline {source}"] = re.compile(source)
    return found


PATTERNS = page_text_patterns()

# Characters and tokens whose long runs broke patterns here before, and
# their kin: letters, digits, spaces, tag and address punctuation.
RUNS = "aяA1 \n._-'\"<@"
TOKENS = (
    "a ", "a.", "a_", "a@", "1.", "1:", "a1", "abcd.", "a-a", "Яя ", "я. ", "<a ", "<meta ", 'a="', "www.",
    " - ", "12:30 ", "14 лютого ", "Фото: ", "фото1", "#a",
)


def hostile_inputs(pattern: re.Pattern) -> list[str]:
    """Long runs of characters and tokens and of the pattern's own longest
    words (near-matches), each ending in a character that fails a match at
    the very end."""
    source = pattern.pattern if isinstance(pattern.pattern, str) else pattern.pattern.decode("latin-1")
    words = sorted(set(re.findall(r"[^\W\d_]{2,}", source)), key=len)[-6:]
    units = list(RUNS) + list(TOKENS) + [f"{word} " for word in words] + words
    return [(unit * (SIZE // len(unit) + 1))[: SIZE - 1] + "!" for unit in units]


def _usage(name: str):
    if name in USAGE:
        return USAGE[name]
    for prefix, usage in USAGE_PREFIXES.items():
        if name.startswith(prefix):
            return usage
    return "scan"


@contextmanager
def guard(what: str):
    def hang(signum, frame):
        raise TimeoutError(f"{what} ran over {GUARD_SECONDS} s: pathological backtracking")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(GUARD_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def apply(pattern: re.Pattern, text, usage) -> None:
    if usage == "match":
        pattern.match(text)
        pattern.fullmatch(text)
    elif usage == "normalised":
        pattern.findall(" ".join(text.split()))
    elif isinstance(usage, tuple):
        kind, size = usage
        pattern.findall(text[-size:] if kind == "tail" else text[:size])
    else:
        pattern.findall(text)


def test_patterns_were_found():
    # A sanity check on the discovery itself: patterns from every kind of source.
    names = " ".join(PATTERNS)
    for expected in ("readers.decode.HIGH_WORD", "clean.resources.start_marker()", "events.dates._patterns",
                     "tokenize._PATTERN", "clean.dates._patterns()", "search._candidates()"):
        assert expected in names
    assert len(PATTERNS) > 80


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_pathological_backtracking(name):
    pattern = PATTERNS[name]
    usage = _usage(name)
    for text in hostile_inputs(pattern):
        data = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
        with guard(f"{name} on {text[:20]!r}…"):
            apply(pattern, data, usage)


# --------------------------------------------------- through the real code
# The same inputs through the functions that apply the patterns, for the
# patterns a test above cannot reach the way the code uses them.

HOSTILE_DOCUMENTS = [
    "a" * SIZE + " \xff",  # a run of ASCII letters in a file that is not UTF-8
    "a_" * 50 + "x\n" + "текст " * 1000,  # an id-like first line
    "abcd." * (SIZE // 5),
    "x" * SIZE + "@" + "y" * SIZE,
    "<meta " * 50_000,  # the page's first 300,000 characters are searched for meta tags
    "<time " * 50_000,
    "фото 1" + "1" * SIZE + " x",
    "Фото: " + "а " * (SIZE // 2),
    " " * SIZE + "-",
]


@pytest.mark.parametrize("number", range(len(HOSTILE_DOCUMENTS)))
def test_readers_and_cleaner_on_hostile_documents(number):
    from newsgraph.clean import clean_page
    from newsgraph.model import Page
    from newsgraph.readers import html, sniff
    from newsgraph.readers.decode import DecodeError, decode
    from newsgraph.tokenize import tokenize

    text = HOSTILE_DOCUMENTS[number]
    data = text.encode("latin-1", "replace") if "\xff" in text else text.encode()
    with guard(f"document {number}"):
        try:
            decode(data)
        except DecodeError:
            pass
        sniff(data)
        html.declared_charset(data)
        html.published(text, "2025-02-14")
        tokenize(text)
        clean_page(Page(origin="hostile.txt", text=text, kind="dump"))
