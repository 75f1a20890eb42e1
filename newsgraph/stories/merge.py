"""Event merging: the same meeting reported by several articles (in any
language) becomes one event.

A meeting joins an existing event when they share more than half the
participants of the smaller of the two (linked entity ids, which do not
depend on language; a participant without an id is matched by its
normalised name: {A, B} and {A, B, C} can be one meeting, {A, B} and {A, C}
cannot) and their dates are close: within `SAME_DAY_SLACK` days when both
dates are explicit, within `REPORT_SLACK` days when either is only the
publication date. Candidate events come from the participant index
(event_participants), read within the date window, never from a scan, and
never from story membership: the same two people two months apart are two
events, and one event may be reported in two stories. Two meetings with
different known place ids are different events.

The merged event keeps every value with its provenance (the article that
gave it). Where reports conflict, the more specific value wins: a place
beats none, a city beats a country, an explicit date beats one taken from
the publication date, a day beats a month; ties go to the earliest report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from newsgraph.model import CALLED_OFF, content_id, meeting_status
from newsgraph.store.base import ArticleRow, MeetingRow, Store
from newsgraph.stories.terms import normalise

SAME_DAY_SLACK = 1  # days between two explicit dates of one event (time zones, "yesterday")
REPORT_SLACK = 3  # days when a date is only the publication date
MIN_OVERLAP = 0.5  # shared participants / participants of the smaller meeting must exceed this
MAX_CANDIDATES = 50
PLACE_RANK = {"venue": 5, "building": 5, "address": 5, "city": 4, "locality": 4, "town": 4, "region": 3,
              "admin": 3, "country": 2}


@dataclass
class MeetingInfo:
    keys: list[str]
    date_ord: int
    explicit: bool
    place_id: str | None
    called_off: bool = False  # reported as not happening (negated, cancelled)


def merged_status(statuses: list[str]) -> str:
    """One report that it happened wins; then plans; then what the rest say."""
    for status in ("happened", "planned"):
        if status in statuses:
            return status
    return Counter(statuses).most_common(1)[0][0] if statuses else "happened"


def participant_key(person: dict[str, Any]) -> str | None:
    if person.get("id"):
        return str(person["id"])
    name = normalise(person.get("name") or "")
    return f"name:{name}" if name else None


def participant_keys(meeting: dict[str, Any]) -> list[str]:
    keys: list[str] = []
    for person in meeting.get("participants") or []:
        key = participant_key(person if isinstance(person, dict) else {})
        if key and key not in keys:
            keys.append(key)
    return keys


def _parse_day(value: Any) -> date | None:
    """YYYY-MM-DD, or YYYY-MM (its first day), from a date string."""
    text = str(value or "")
    for length, suffix in ((10, ""), (7, "-01")):
        try:
            return date.fromisoformat(text[:length] + suffix)
        except ValueError:
            continue
    return None


def date_rank(value: str | None, basis: str | None) -> tuple[int, int]:
    """How specific a date is: (kind of source, precision)."""
    if not value or _parse_day(value) is None:
        return (0, 0)
    basis = (basis or "").lower()
    from_article = any(word in basis for word in ("publi", "ingest", "article", "estimat"))
    source = 1 if from_article else 3 if basis == "explicit" else 2
    return (source, len(str(value)))


def place_rank(place: Any) -> tuple[int, int]:
    if not place:
        return (0, 0)
    if not isinstance(place, dict):
        return (1, 0)
    kind = str(place.get("type") or place.get("kind") or "").lower()
    linked = 1 if (place.get("id") or place.get("wikidata")) else 0
    return (1 + PLACE_RANK.get(kind, 1), linked)


def place_id(place: Any) -> str | None:
    if isinstance(place, dict):
        found = place.get("id") or place.get("wikidata")
        return str(found) if found else None
    return None


def article_day(row: MeetingRow) -> tuple[str, str]:
    """(day, basis) of the article a meeting came from: its publication day,
    else the day it was dated to by its story, else its ingest day."""
    if row.date_basis == "published" or row.cluster_ts is None:
        return row.day, "article" if row.date_basis == "published" else "ingested"
    return datetime.fromtimestamp(row.cluster_ts, UTC).date().isoformat(), "estimated"


def meeting_info(row: MeetingRow) -> MeetingInfo:
    data = row.data
    day = _parse_day(data.get("date"))
    explicit = day is not None and date_rank(data.get("date"), data.get("date_basis"))[0] >= 2
    if day is None:
        day = date.fromisoformat(article_day(row)[0])
    called_off = meeting_status(data) in CALLED_OFF
    return MeetingInfo(participant_keys(data), day.toordinal(), explicit, place_id(data.get("place")), called_off)


def _source_order(row: MeetingRow) -> tuple[float, str, int]:
    return (row.ts, row.article_id, row.idx)


def merge_meetings(rows: list[MeetingRow]) -> dict[str, Any]:
    """One event record from the meetings that report it (pure)."""
    rows = sorted(rows, key=_source_order)
    first = rows[0]

    def best(values: list[tuple[Any, tuple, MeetingRow]]) -> dict[str, Any]:
        # highest rank wins; among equals the earliest report (stable sort)
        value, _, source = max(values, key=lambda v: v[1]) if values else (None, (), None)
        if source is None or value is None:
            return {"value": None, "source": None}
        return {"value": value, "source": source.article_id}

    dates = [(r.data.get("date"), date_rank(r.data.get("date"), r.data.get("date_basis")), r) for r in rows]
    chosen_date = best([d for d in dates if d[1] > (0, 0)])
    if chosen_date["value"] is not None:
        source = next(r for r in rows if r.article_id == chosen_date["source"] and r.data.get("date") == chosen_date["value"])
        chosen_date["basis"] = source.data.get("date_basis")
    else:
        day, basis = article_day(first)
        chosen_date = {"value": day, "basis": basis, "source": first.article_id}
    places = [(r.data.get("place"), place_rank(r.data.get("place")), r) for r in rows if r.data.get("place")]

    participants: dict[str, dict[str, Any]] = {}
    delegation: dict[str, dict[str, Any]] = {}
    for row in rows:
        for target, field_name in ((participants, "participants"), (delegation, "delegation")):
            for person in row.data.get(field_name) or []:
                key = participant_key(person)
                if key is None:
                    continue
                entry = target.setdefault(
                    key, {"key": key, "id": person.get("id") or None, "name": person.get("name"), "role": None,
                          "role_source": None, "sources": []},
                )
                if entry["role"] is None and person.get("role"):
                    entry["role"], entry["role_source"] = person["role"], row.article_id
                if row.article_id not in entry["sources"]:
                    entry["sources"].append(row.article_id)
    for key in participants:
        delegation.pop(key, None)

    topics: dict[str, list[str]] = {}
    for row in rows:
        for topic in row.data.get("topics") or []:
            topics.setdefault(topic, [])
            if row.article_id not in topics[topic]:
                topics[topic].append(row.article_id)

    return {
        "date": chosen_date,
        "place": best(places),
        "kind": _most_common(rows, "kind"),
        "cameo": _most_common(rows, "cameo"),
        "participants": list(participants.values()),
        "delegation": list(delegation.values()),
        "topics": [{"value": t, "sources": s} for t, s in sorted(topics.items())],
        # an event is planned only if every report says it has not happened yet
        "planned": all(bool(r.data.get("planned")) for r in rows),
        "status": merged_status([meeting_status(r.data) for r in rows]),
        "sources": [
            {
                "article_id": r.article_id, "meeting_id": r.id, "evidence": r.data.get("evidence") or [],
                "language": r.language, "outlet": r.outlet, "url": r.url, "published_day": r.day,
            }
            for r in rows
        ],
        "languages": sorted({r.language for r in rows if r.language}),
    }


def _most_common(rows: list[MeetingRow], name: str) -> dict[str, Any]:
    values = [r.data.get(name) for r in rows if r.data.get(name)]
    if not values:
        return {"value": None, "source": None}
    counts = Counter(values)
    top = max(counts.values())
    value = next(v for v in values if counts[v] == top)  # earliest among the most common
    source = next(r.article_id for r in rows if r.data.get(name) == value)
    return {"value": value, "source": source}


def same_event(a: MeetingInfo, b: MeetingInfo) -> float | None:
    """How well two meetings match (share of participants), None if they cannot be one event."""
    if not a.keys or not b.keys:
        return None
    # "X did not meet Y" is not another report of the day they met.
    if a.called_off != b.called_off:
        return None
    shared = len(set(a.keys) & set(b.keys))
    smaller = min(len(set(a.keys)), len(set(b.keys)))
    # {A, B} and {A, C} are two meetings of A; {A, B} and {A, B, C} can be one.
    if shared == 0 or shared / smaller <= MIN_OVERLAP:
        return None
    slack = SAME_DAY_SLACK if (a.explicit and b.explicit) else REPORT_SLACK
    if abs(a.date_ord - b.date_ord) > slack:
        return None
    if a.place_id and b.place_id and a.place_id != b.place_id:
        return None
    return shared / len(set(a.keys) | set(b.keys))


class EventMerger:
    def __init__(self, store: Store):
        self.store = store

    def add_article(self, row: ArticleRow) -> list[str]:
        """Merge each meeting of an article into an event; return the event ids."""
        return [self.add(meeting) for meeting in self.store.meeting_rows(rid=row.rid)]

    def add(self, meeting: MeetingRow) -> str:
        info = meeting_info(meeting)
        best_id, best_key = None, None
        if info.keys:
            lo, hi = info.date_ord - REPORT_SLACK, info.date_ord + REPORT_SLACK
            for event_id in self.store.find_events(info.keys, lo, hi, MAX_CANDIDATES):
                event_info = self._event_info(event_id)
                score = same_event(info, event_info)
                if score is None:
                    continue
                key = (-score, abs(info.date_ord - event_info.date_ord), event_id)
                if best_key is None or key < best_key:
                    best_id, best_key = event_id, key
        if best_id is None:
            self._save(content_id("event", meeting.id), [meeting])
            return content_id("event", meeting.id)
        self._save(best_id, [*self.store.meeting_rows(event_id=best_id), meeting])
        return best_id

    def _event_info(self, event_id: str) -> MeetingInfo:
        """An event seen as one meeting: its merged participants, date and place."""
        merged = merge_meetings(self.store.meeting_rows(event_id=event_id))
        return self._info(merged)

    @staticmethod
    def _info(merged: dict[str, Any]) -> MeetingInfo:
        chosen = merged["date"]
        day = _parse_day(chosen["value"]) or date.min
        return MeetingInfo(
            keys=[p["key"] for p in merged["participants"]],
            date_ord=day.toordinal(),
            explicit=date_rank(chosen["value"], chosen.get("basis"))[0] >= 2,
            place_id=place_id(merged["place"]["value"]),
            called_off=merged["status"] in CALLED_OFF,
        )

    def _save(self, event_id: str, meetings: list[MeetingRow]) -> None:
        merged = merge_meetings(meetings)
        merged["id"] = event_id
        info = self._info(merged)
        self.store.save_event(event_id, merged, [m.id for m in meetings], info.keys, info.date_ord)

    def remove_article(self, row: ArticleRow) -> None:
        """Take an article's meetings out of their events (a replaced version)."""
        for meeting in self.store.meeting_rows(rid=row.rid):
            if not meeting.event_id:
                continue
            rest = [m for m in self.store.meeting_rows(event_id=meeting.event_id) if m.rid != row.rid]
            if rest:
                self._save(meeting.event_id, rest)
            else:
                self.store.delete_event(meeting.event_id)
