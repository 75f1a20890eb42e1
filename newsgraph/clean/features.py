"""Features of the lines of a document for the line classifier.

Every line gets surface features (length, punctuation, stop-word density,
capitalisation, digits, marker words, dates), document features (position,
how much prose lies before and after it, the run of short headline-like lines
it belongs to, repetition, whether a section marker with no prose since opened
the block it is in) and a few features of its neighbours. None of them names
a language: the stop lists and marker patterns come from data files.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from newsgraph.clean import dates, header, resources

WORD = re.compile(r"[^\W\d_]+(?:['’`-][^\W\d_]+)*")
UPPER = re.compile(r"[A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐЎ]")
DIGIT = re.compile(r"\d")
SENTENCE_END = re.compile(r"[.!?…](?:[\"'»”)\]]*)(?=\s+[\"'«“(]*[A-ZА-ЯІЇЄҐЁ0-9])")
INVISIBLE_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")
INVISIBLE = re.compile("[" + "".join(INVISIBLE_CHARS) + "]")
FINAL = ".!?…"
QUOTES = "\"'»”“«)]"
BULLETS = "•·▪▫◦●○■□►▶–—-*"
PHOTO_WORDS = ("фото", "photo", "foto")
SAMPLE = 400  # the ratios of a long paragraph are settled by its first 400 characters
# Marker categories after which a block of headlines may follow.
SECTION_CATS = ("section", "ad", "tags", "read_also")
# Marker categories that only page furniture starts with.
DEBRIS_CATS = (
    "aggregator", "reading_time", "section", "ad", "read_also", "photo", "video",
    "tags", "toc", "loader", "source", "share", "copyright", "image_file",
)


def normalise(line: str) -> str:
    """Collapse whitespace (NBSP included: str.split knows Unicode spaces) and
    drop invisible characters."""
    if any(ch in line for ch in INVISIBLE_CHARS):
        line = INVISIBLE.sub("", line)
    return " ".join(line.split())


@dataclass(slots=True)
class Line:
    """What one line looks like, before its neighbours are considered."""

    text: str
    chars: int
    words: int
    stop: float  # share of words in the stop lists
    upper: float  # share of letters in upper case
    capitalised: float  # share of words with a capital initial
    digits: float  # share of characters that are digits
    sentences: int
    end: str  # class of the last character
    start: str  # class of the first character
    markers: tuple[str, ...]  # marker categories the line starts with
    whole: bool  # the line is little more than a marker
    inside: tuple[str, ...]  # marker categories found inside the line
    has_date: bool
    date_only: bool
    headline: bool  # 2-30 words, no final full stop: a title or a list item
    prose: bool  # a sentence or more of running text


def _char_class(ch: str) -> str:
    if ch.isupper():
        return "U"
    if ch.islower():
        return "l"
    if ch.isdigit():
        return "d"
    if ch in FINAL:
        return ch if ch != "…" else "..."
    if ch in QUOTES:
        return "q"
    if ch in BULLETS:
        return "b"
    return "o"


def _end_class(text: str) -> str:
    if text.endswith("...") or text.endswith("…"):
        return "..."
    stripped = text.rstrip(QUOTES)
    last = stripped[-1] if stripped else text[-1]
    cls = _char_class(last)
    if stripped != text and cls in ".!?":
        return cls + "q"
    return ":" if last == ":" else cls


def _inside(text: str, low: str, patterns: dict[str, re.Pattern]) -> tuple[str, ...]:
    """Inside-the-line markers; a cheap substring test guards each regex."""
    found = []
    if any(w in low for w in PHOTO_WORDS) and patterns["photo_inside"].search(text):
        found.append("photo_inside")
    if text.endswith(("...", "…")):
        found.append("ellipsis_end")
    if ("http" in low or "www." in low) and patterns["url"].search(text):
        found.append("url")
    if "@" in text and patterns["email"].search(text):
        found.append("email")
    if patterns["source_tail"].search(text[-60:]):
        found.append("source_tail")
    if "|" in text:
        found.append("pipe")
    if "#" in text and patterns["hashtag"].search(text):
        found.append("hashtag")
    return tuple(found)


@lru_cache(maxsize=8192)
def describe(text: str) -> Line:
    """Surface properties of one normalised, non-empty line. Cached: site
    furniture ("РЕКЛАМА", section heads, the latest-news list) recurs from
    page to page of a batch."""
    _, inside_pats = resources.markers()
    stop = resources.stopwords()
    sample = text[:SAMPLE]
    tokens = WORD.findall(sample)
    words = len(tokens) if len(text) <= SAMPLE else len(text.split())
    sampled = len(tokens) or 1
    letters = sum(map(len, tokens)) or 1
    upper = len(UPPER.findall(sample)) / letters
    capitalised = len(UPPER.findall("".join(map(itemgetter(0), tokens)))) / sampled
    stop_ratio = sum(map(stop.__contains__, map(str.lower, tokens))) / sampled
    digits = len(DIGIT.findall(sample)) / len(sample)
    head = text[:120]
    m = resources.start_marker().match(head)
    found = (m.lastgroup,) if m else ()
    low = text[:SAMPLE].lower()  # furniture shows at a line's start
    if words <= 12 and header.aggregator(text, low):
        found += ("aggregator",)
    inside = _inside(text, low, inside_pats)
    tail = text.rstrip(QUOTES)[-1:]
    sentences = len(SENTENCE_END.findall(text[:600])) + (tail in (".", "!", "?", "…"))
    end = _end_class(text)
    # Dates matter on short lines (headers, lists); a paragraph's dates say nothing.
    is_date = digits > 0 and len(text) <= 200 and dates.has_date(text)
    date_only = is_date and dates.is_date_line(text)
    final = end in (".", "!", "?", ".q", "!q", "?q")
    return Line(
        text=text,
        chars=len(text),
        words=words,
        stop=stop_ratio,
        upper=upper,
        capitalised=capitalised,
        digits=digits,
        sentences=sentences,
        end=end,
        start=_char_class(text[0]),
        markers=found,
        whole=bool(found) and words <= 4,
        inside=inside,
        has_date=is_date,
        date_only=date_only,
        headline=2 <= words <= 30 and not final and end != "...",
        prose=words >= 12 and (final or sentences >= 2) and stop_ratio >= 0.12,
    )


_bucket = bisect_right  # bucket of a value = how many edges it reaches


def _own(line: Line) -> list[str]:
    f = [
        "len=%d" % _bucket((8, 16, 30, 50, 80, 120, 200, 350), line.chars),
        "words=%d" % _bucket((1, 2, 3, 5, 8, 12, 20, 35, 60), line.words),
        "end=" + line.end,
        "start=" + line.start,
        "stop=%d" % (_bucket((0.01, 0.1, 0.2, 0.3, 0.4, 0.5), line.stop) if line.words >= 3 else -1),
        "upper=%d" % _bucket((0.05, 0.15, 0.3, 0.6, 0.9), line.upper),
        "cap=%d" % (_bucket((0.2, 0.4, 0.6, 0.8), line.capitalised) if line.words >= 3 else -1),
        "digits=%d" % _bucket((0.001, 0.05, 0.15, 0.3, 0.6), line.digits),
        "sent=%d" % min(line.sentences, 4),
    ]
    f += ["m=" + cat for cat in line.markers]
    if line.whole:
        f += ["whole=" + cat for cat in line.markers]
    f += ["in=" + cat for cat in line.inside]
    if line.has_date:
        f.append("date")
    if line.date_only:
        f.append("dateonly")
    if line.headline:
        f.append("headline")
    if line.prose:
        f.append("prose")
    return f


def _brief(line: Line) -> list[str]:
    """The features of a line that matter to its neighbours."""
    f = [
        "len=%d" % _bucket((16, 50, 120, 250), line.chars),
        "end=" + line.end,
        "stop=%d" % _bucket((0.1, 0.25, 0.4), line.stop),
    ]
    f += ["m=" + cat for cat in line.markers]
    if line.whole:
        f.append("whole")
    if "photo_inside" in line.inside:
        f.append("in=photo")
    if line.date_only:
        f.append("dateonly")
    if line.headline:
        f.append("headline")
    if line.prose:
        f.append("prose")
    return f


def _runs(lines: list[Line]) -> list[int]:
    """Length of the run of consecutive short non-prose lines each line is in."""
    runs = [0] * len(lines)
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and not lines[j].prose and lines[j].words <= 30:
            j += 1
        for k in range(i, j):
            runs[k] = j - i
        i = j + 1 if j == i else j
    return runs


OFFSETS = ((-2, "-2:"), (-1, "-1:"), (1, "+1:"), (2, "+2:"))
POS_EDGES = (1, 2, 3, 5, 8, 15, 30)


def document(texts: list[str]) -> list[list[str]]:
    """Feature lists for the (normalised, non-empty) lines of one document."""
    lines = [describe(t) for t in texts]
    n = len(lines)
    briefs = [_brief(line) for line in lines]
    prose_total = sum(line.prose for line in lines)
    runs = _runs(lines)
    keys = [line.text for line in lines]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    feats: list[list[str]] = []
    prose_before = 0
    opened = False  # a section marker with no prose line since
    first_seen: set[str] = set()
    for i, line in enumerate(lines):
        prose_after = prose_total - prose_before - line.prose
        f = _own(line)
        f += (
            "bias",
            "pos=%d" % _bucket(POS_EDGES, i),
            "rev=%d" % _bucket(POS_EDGES, n - 1 - i),
            "rpos=%d" % (5 * i // n),
            "pa=%d" % min(prose_after, 3),
            "pb=%d" % min(prose_before, 3),
            "run=%d" % _bucket((1, 2, 3, 5, 9), runs[i]),
        )
        key = keys[i]
        if counts[key] > 1:
            f.append("repeat")
            f.append("repeat_first" if key not in first_seen else "repeat_later")
            first_seen.add(key)
        if opened:
            f.append("opened")
            if line.headline:
                f.append("opened&headline")
        if line.headline:
            f.append("headline&pa=%d" % min(prose_after, 2))
            f.append("headline&run=%d" % _bucket((2, 3, 5, 9), runs[i]))
            if prose_before == 0:
                f.append("headline&pb=0")
        if line.prose:
            f.append("prose&pa=%d" % min(prose_after, 2))
        for offset, prefix in OFFSETS:
            j = i + offset
            if 0 <= j < n:
                f += [prefix + x for x in briefs[j]]
                if lines[j].date_only and prose_before == 0:
                    f.append(prefix + "dateonly&top")  # a header date, not a list's
            else:
                f.append(prefix + "none")
        feats.append(f)
        prose_before += line.prose
        if line.prose:
            opened = False
        elif line.whole and any(cat in SECTION_CATS for cat in line.markers):
            opened = True
    return feats
