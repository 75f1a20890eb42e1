"""Publication dates as ISO 8601 strings.

The rule, the same for every reader: never invent precision.
- a time with its zone: "2025-02-14T11:58:00+02:00" (Z becomes +00:00);
- a time without a zone: "2025-02-14T11:58:00" (local time, zone unknown);
- a date only: "2025-02-14".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime

ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)?)?", re.I)


def iso_date(value: str | None) -> str | None:
    """`value` (ISO 8601 or RFC 822, as feeds and HTML meta tags write them)
    as an ISO string, or None where it is no date."""
    if not value or not value.strip():
        return None
    value = value.strip()
    match = ISO.match(value)
    if match:
        return _from_iso(match.group(0))
    try:
        parsed = parsedate_to_datetime(value)  # RSS pubDate: "Fri, 14 Feb 2025 11:58:00 +0200"
    except (TypeError, ValueError, IndexError):
        return None
    # RFC 822's "-0000" means the zone is unknown; the email module gives a naive time for it.
    return parsed.isoformat(timespec="seconds")


def _from_iso(text: str) -> str | None:
    text = text.replace(" ", "T", 1) if len(text) > 10 else text
    text = re.sub(r"\s+", "", text).replace(",", ".")
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        if text[-1] in "zZ":
            text = text[:-1] + "+00:00"
        elif re.search(r"[+-]\d{2}$", text):
            text += ":00"  # "+02": fromisoformat wants minutes too
        return datetime.fromisoformat(text).isoformat(timespec="seconds")
    except ValueError:
        return None


def has_time(iso: str | None) -> bool:
    return bool(iso) and "T" in iso
