"""Dates in news text, resolved against the publication date.

Conventions (what `find_dates` returns for each expression):

* explicit dates ("12.03.2025", "12 березня 2025 року", "March 12, 2025")
  -> that day, basis "explicit";
* a day and month without a year ("12 березня", "12 марта") -> the year
  that puts the date nearest before the publication date (nearest after it
  for planned events), basis "explicit"; unknown without a publication date;
* a weekday ("у п'ятницю") -> the publication day itself when it is that
  weekday, otherwise the most recent such day before it (the next one for
  planned events); "минулої п'ятниці"/"last Friday" on a Friday is a week
  earlier; basis "relative";
* "вчора", "сьогодні", "позавчора", "завтра" -> publication date plus the
  offset, basis "relative";
* week- or month-level expressions ("минулого тижня", "на прошлой неделе",
  "last week") -> date None, basis "relative": any single day would be a
  guess, and a wrong day would mislead the cross-article story matching;
* anything relative without a publication date -> date None.

The publication date is the local calendar date written in
`article.published` ("2025-02-14T11:58:00+02:00" -> 2025-02-14).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from newsgraph.events.lexicon import LANGS, load
from newsgraph.morph import normalize_apostrophes


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    date: str | None  # YYYY-MM-DD
    basis: str  # explicit | relative


def publication_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _alternation(forms) -> str:
    return "|".join(sorted((re.escape(str(f).lower()) for f in forms), key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    numeric: re.Pattern
    day_month: re.Pattern
    month_day: re.Pattern
    weekday: re.Pattern
    days: re.Pattern
    vague: re.Pattern
    month_of: dict[str, int]
    weekday_of: dict[str, int]
    last: frozenset[str]
    next: frozenset[str]
    day_offset: dict[str, int]
    ambiguous: frozenset[str]
    ambiguous_after: re.Pattern | None


@cache
def _patterns(lang: str) -> _Patterns:
    data = load("dates")
    lang = lang if lang in LANGS else "en"
    # Month names of every language: a Russian name in a Ukrainian text is still a month.
    month_of: dict[str, int] = {}
    for per_lang in data["months"].values():
        for number, forms in enumerate(per_lang, start=1):
            for form in forms:
                month_of[str(form).lower()] = number
    weekday_of = {}
    for number, forms in enumerate(data["weekdays"][lang]):
        for form in forms:
            weekday_of[normalize_apostrophes(str(form).lower())] = number
    months = _alternation(month_of)
    last = frozenset(str(w).lower() for w in data["last"][lang])
    nxt = frozenset(str(w).lower() for w in data["next"][lang])
    modifiers = _alternation(last | nxt)
    day_offset = {str(k).lower(): int(v) for k, v in data["days"][lang].items()}
    ambiguous = (data.get("ambiguous_weekdays") or {}).get(lang) or {}
    before = ambiguous.get("prepositions")
    return _Patterns(
        numeric=re.compile(r"(?<![\d.])(?:(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})|(\d{4})-(\d{2})-(\d{2}))(?![\d])"),
        day_month=re.compile(
            rf"(?<!\w)(\d{{1,2}})(?:-?(?:{_alternation(data.get('ordinal_suffixes', []))}))?\s+({months})\.?(?:,?\s+(\d{{4}}))?(?!\w)"
        ),
        month_day=re.compile(rf"(?<!\w)({months})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?![\w])"),
        weekday=re.compile(
            rf"(?<!\w)(?:({modifiers})\s+)?({_alternation(weekday_of)})(?!\w)"
        ),
        days=re.compile(rf"(?<!\w)({_alternation(day_offset)})(?!\w)"),
        vague=re.compile(rf"(?<!\w)(?:{_alternation(normalize_apostrophes(str(v)) for v in data['vague'][lang])})(?!\w)"),
        month_of=month_of,
        weekday_of=weekday_of,
        last=last,
        next=nxt,
        day_offset=day_offset,
        ambiguous=frozenset(str(f).lower() for f in ambiguous.get("forms", [])),
        ambiguous_after=re.compile(rf"(?<!\w)(?:{_alternation(before)})\s+$") if before else None,
    )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year_for(month: int, day: int, published: date | None, future: bool) -> date | None:
    """The year that puts day.month nearest before (or after) publication."""
    if published is None:
        return None
    candidate = _safe_date(published.year, month, day)
    if candidate is None:
        return None
    if not future and candidate > published:
        return _safe_date(published.year - 1, month, day)
    if future and candidate < published:
        return _safe_date(published.year + 1, month, day)
    return candidate


def _weekday(weekday: int, modifier: str, published: date, future: bool, p: _Patterns) -> date:
    if modifier in p.next or (future and modifier not in p.last):
        ahead = (weekday - published.weekday()) % 7
        if modifier in p.next and ahead == 0:
            ahead = 7
        return published + timedelta(days=ahead)
    back = (published.weekday() - weekday) % 7
    if modifier in p.last and back == 0:
        back = 7
    return published - timedelta(days=back)


def find_dates(text: str, lang: str, published: str | date | None, future: bool = False, offset: int = 0) -> list[DateMention]:
    """Every date expression in `text`, resolved; offsets are into `text` plus `offset`.
    `future`: resolve open expressions forwards (for planned events)."""
    pub = published if isinstance(published, date) else publication_date(published)
    p = _patterns(lang)
    low = normalize_apostrophes(text).lower()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None, basis: str) -> None:
        if any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(start + offset, end + offset, value.isoformat() if value else None, basis))

    for m in p.numeric.finditer(low):
        if m.group(1):
            year = int(m.group(3))
            year += 2000 if year < 100 else 0
            add(m.start(), m.end(), _safe_date(year, int(m.group(2)), int(m.group(1))), "explicit")
        else:
            add(m.start(), m.end(), _safe_date(int(m.group(4)), int(m.group(5)), int(m.group(6))), "explicit")
    for m in p.day_month.finditer(low):
        day, month = int(m.group(1)), p.month_of[m.group(2).lower()]
        value = _safe_date(int(m.group(3)), month, day) if m.group(3) else _year_for(month, day, pub, future)
        add(m.start(), m.end(), value, "explicit")
    for m in p.month_day.finditer(low):
        month, day = p.month_of[m.group(1).lower()], int(m.group(2))
        if day > 31:
            continue
        value = _safe_date(int(m.group(3)), month, day) if m.group(3) else _year_for(month, day, pub, future)
        add(m.start(), m.end(), value, "explicit")
    for m in p.vague.finditer(low):
        add(m.start(), m.end(), None, "relative")
    for m in p.weekday.finditer(low):
        modifier = (m.group(1) or "").lower()
        if m.group(2).lower() in p.ambiguous and not (p.ambiguous_after and p.ambiguous_after.search(low, max(0, m.start() - 6), m.start())):
            continue
        value = _weekday(p.weekday_of[m.group(2).lower()], modifier, pub, future, p) if pub else None
        add(m.start(), m.end(), value, "relative")
    for m in p.days.finditer(low):
        value = pub + timedelta(days=p.day_offset[m.group(1).lower()]) if pub else None
        add(m.start(), m.end(), value, "relative")
    found.sort(key=lambda d: d.start)
    return found
