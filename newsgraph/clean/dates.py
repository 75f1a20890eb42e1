"""Publication dates on header lines: "11:58 14.02.2025", "14 лютого 2025, 11:58",
"2015-12-19T15:14:44+00:00", "February 14, 2025". A date-time without a zone
is Kyiv local time (DST-aware via zoneinfo); a date without a time stays a
plain ISO date, since a time would be a guess."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsgraph.clean import resources

ISO = (
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"(?:[T ](?P<ih>\d{1,2}):(?P<imi>\d{2})(?::(?P<is>\d{2}))?(?:\.\d+)?\s*(?P<iz>Z|[+-]\d{2}:?\d{2})?)?"
)
DMY = r"(?P<nd>\d{1,2})[./](?P<nm>\d{1,2})[./](?P<ny>\d{4}|\d{2})(?!\d)"
TIME = (
    r"(?<![\d.:])(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?(?![\d:])"
    r"(?:\s*(?P<ap>[ap])\.?m\b\.?)?"  # 3:15 PM, 3:15 p.m.
)
ORDINAL = r"(?:-?(?:го|е|th|st|nd|rd|\.))?"


@cache
def _patterns() -> dict[str, re.Pattern]:
    month = resources.month_regex()
    return {
        "iso": re.compile(r"(?<!\d)" + ISO + r"(?!\d)"),
        "dmy": re.compile(r"(?<![\d.])" + DMY),
        # 14 лютого 2025, 14-го февраля; the year is optional here, required later
        "text": re.compile(
            r"(?<!\d)(?P<td>\d{1,2})" + ORDINAL + r"\s+(?P<tm>" + month + r")(?:\s*,?\s*(?P<ty>\d{4}))?(?!\d)",
            re.IGNORECASE,
        ),
        # February 14, 2025
        "text_en": re.compile(
            r"\b(?P<tm>" + month + r")\s+(?P<td>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<ty>\d{4})(?!\d)", re.IGNORECASE
        ),
        "time": re.compile(TIME, re.IGNORECASE),
    }


# A number, maybe joined to more numbers by : . / - ("11:58", "14.02.2025",
# "2025-02-14"), maybe followed by a word or a year ("14 лютого", "14, 2025").
DATEISH = re.compile(r"\d+(?:[:./-]\d+)*(?:-?(?:го|е|th|st|nd|rd)|\.)?,?(?:\s+([^\W\d_]{3,}\.?|\d{4}))?")


def has_date(line: str) -> bool:
    """Whether the line mentions a date or a clock time anywhere. One regex
    pass, then plain checks: it runs on every short line the classifier sees."""
    for m in DATEISH.finditer(line):
        number = m.group(0).split(",")[0].split()[0]
        if ":" in number or number.count(".") >= 2 or number.count("/") >= 2:
            return True
        if len(number) >= 10 and number[4] == "-":
            return True
        word = m.group(1)
        if not word:
            continue
        if word[0].isdigit():  # "February 14, 2025": the month precedes
            before = line[: m.start()].split()
            if before and _month(before[-1]):
                return True
        elif _month(word):
            return True
    return False


@cache
def _zone() -> ZoneInfo:
    name = resources.header()["default_zone"]
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:  # tz databases older than 2022b spell it Kiev
        return ZoneInfo(name.replace("Kyiv", "Kiev"))


def _month(word: str) -> int | None:
    """The month a word names ("лютого", "Feb.", "марта"), else None."""
    return resources.month_names().get(word.lower().rstrip("."))


def _hour(text: str, half: str | None) -> int:
    """24-hour clock from "3" + "p" (3 PM) or "15"."""
    hour = int(text)
    if half and half.lower() == "p" and hour < 12:
        return hour + 12
    if half and half.lower() == "a" and hour == 12:
        return 0
    return hour


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _offset(text: str) -> timezone:
    if text == "Z":
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def _date_parts(line: str) -> tuple[int, int, int, str | None, tuple[int, int, int] | None] | None:
    """(year, month, day, zone text, time) of the first full date on the line."""
    p = _patterns()
    if m := p["iso"].search(line):
        time = (int(m["ih"]), int(m["imi"]), int(m["is"] or 0)) if m["ih"] else None
        return int(m["iy"]), int(m["im"]), int(m["id"]), m["iz"], time
    for name in ("dmy", "text", "text_en"):
        m = p[name].search(line)
        if not m:
            continue
        if name == "dmy":
            year, month, day = _year(m["ny"]), int(m["nm"]), int(m["nd"])
        else:
            if not m["ty"]:
                return None  # no year: the page does not state the full date
            year, month, day = int(m["ty"]), _month(m["tm"]), int(m["td"])
            if month is None:
                continue
        rest = line[: m.start()] + " " + line[m.end() :]
        t = p["time"].search(rest)
        time = (_hour(t["h"], t["ap"]), int(t["mi"]), int(t["s"] or 0)) if t else None
        return year, month, day, None, time
    return None


def parse(line: str) -> str | None:
    """The ISO 8601 form of the first full date on `line`, or None."""
    parts = _date_parts(line)
    if parts is None:
        return None
    year, month, day, zone, time = parts
    try:
        if time is None:
            return datetime(year, month, day).date().isoformat()
        tz = _offset(zone) if zone else _zone()
        return datetime(year, month, day, *time, tzinfo=tz).isoformat()
    except ValueError:  # 31.02.2025 and the like: not a date
        return None


@cache
def _filler() -> frozenset[str]:
    return frozenset(str(w).lower() for w in resources.header()["date_line_words"])


AMPM = re.compile(r"\b[ap]\.\s?m\.", re.IGNORECASE)
TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def is_date_line(line: str) -> bool:
    """A line that is a date and little else: the header line of a page, not a
    sentence that mentions a date. Its words may only be month names and the
    filler of date lines ("Опубліковано", "Friday", "року")."""
    if len(line) > 80 or not has_date(line):
        return False
    filler = _filler()
    for word in TOKEN.findall(AMPM.sub(" ", line)):
        low = word.lower()
        if low not in filler and not _month(low) and low not in ("t", "z"):
            return False
    return True
