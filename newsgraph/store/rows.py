"""What the store backends share: turning an Article into table rows and
table rows back into an Article. Only the SQL dialect differs between
backends (placeholders, upserts, quoting); the row shapes do not."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

from newsgraph.model import Article, Entity, Meeting, Mention, Participant, Quote, meeting_status
from newsgraph.store.base import ArticleRow


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record(value: Any) -> dict[str, Any]:
    """A stage record (dataclass or dict) as a plain dict, read defensively."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    return dict(value) if isinstance(value, dict) else {}


def read_article_row(row: Mapping[str, Any]) -> ArticleRow:
    return ArticleRow(
        rid=row["rid"], id=row["id"], origin=row["origin"], ts=row["ts"], day=row["day"],
        date_basis=row["date_basis"], language=row["language"], outlet=row["outlet"], title=row["title"],
        version=row["version"], is_latest=bool(row["is_latest"]), story_id=row["story_id"],
        duplicate_of=row["duplicate_of"], cluster_ts=row["cluster_ts"],
    )


def meeting_rows(rid: int, article: Article) -> list[tuple[tuple, list[tuple]]]:
    """For each meeting: its `meetings` row (id, rid, idx, kind, cameo, date,
    date_basis, place, planned, data) and its `meeting_participants` rows
    (meeting_id, pos, entity_id, name, role, delegation)."""
    found = []
    for idx, meeting in enumerate(article.meetings):
        data = record(meeting)
        meeting_id = f"{article.id}:{idx}"
        place = data.get("place")
        row = (
            meeting_id, rid, idx, data.get("kind"), data.get("cameo"), data.get("date"), data.get("date_basis"),
            to_json(place) if place is not None else None, int(bool(data.get("planned"))), to_json(data),
        )
        people = [
            (meeting_id, pos, person.get("id") or None, person.get("name") or "", person.get("role"), delegation)
            for delegation, key in ((0, "participants"), (1, "delegation"))
            for pos, person in enumerate(record(p) for p in data.get(key) or [])
        ]
        found.append((row, people))
    return found


def quote_rows(rid: int, article: Article) -> list[tuple]:
    """`quotes` rows: id, rid, idx, text, start, end, speaker_id, speaker."""
    rows = []
    for idx, quote in enumerate(article.quotes):
        data = record(quote)
        speaker = data.get("speaker")
        speaker_id = speaker.get("id") if isinstance(speaker, dict) else None
        rows.append((
            f"{article.id}:{idx}", rid, idx, data.get("text") or "", data.get("start") or 0, data.get("end") or 0,
            speaker_id, to_json(speaker) if speaker is not None else None,
        ))
    return rows


def assemble_article(row: Mapping[str, Any], mentions: Iterable[Mapping[str, Any]],
                     meetings: Iterable[Mapping[str, Any]], quotes: Iterable[Mapping[str, Any]],
                     topics: list[str]) -> Article:
    """An Article from its `articles` row and its mention rows (with the
    entity's etype, name, wikidata and elemma joined on, ordered by offset),
    meeting rows (`data`) and quote rows, each in stored order."""
    entities: dict[str, Entity] = {}
    for m in mentions:
        entity = entities.get(m["entity_id"])
        if entity is None:
            entity = entities[m["entity_id"]] = Entity(
                id=m["entity_id"], type=m["etype"], lemma=m["elemma"] or m["lemma"], name=m["name"],
                wikidata=m["wikidata"],
            )
        entity.mentions.append(Mention(text=m["text"], start=m["start"], end=m["end"], lemma=m["lemma"], type=m["type"]))
    return Article(
        id=row["id"], origin=row["origin"], body=row["body"], url=row["url"], outlet=row["outlet"],
        aggregator=row["aggregator"], language=row["language"], title=row["title"], published=row["published"],
        entities=list(entities.values()),
        meetings=[stored_meeting(json.loads(r["data"])) for r in meetings],
        quotes=[
            Quote(text=r["text"], start=r["start"], end=r["end"], speaker=json.loads(r["speaker"]) if r["speaker"] else None)
            for r in quotes
        ],
        topics=topics, warnings=json.loads(row["warnings"]),
    )


def stored_meeting(data: dict[str, Any]) -> Meeting:
    """A Meeting from its stored dict; fields the dataclass does not (yet)
    have are dropped, missing ones take their defaults."""
    known = set(Meeting.__dataclass_fields__)
    values = {k: v for k, v in data.items() if k in known}
    values["participants"] = [_participant(p) for p in values.get("participants") or []]
    values["delegation"] = [_participant(p) for p in values.get("delegation") or []]
    values["evidence"] = [tuple(e) for e in values.get("evidence") or []]
    values.setdefault("kind", "")
    values.setdefault("cameo", "")
    values["status"] = meeting_status(data)
    return Meeting(**values)


def _participant(data: dict[str, Any]) -> Participant:
    known = set(Participant.__dataclass_fields__)
    values = {k: v for k, v in data.items() if k in known}
    values.setdefault("id", "")
    values.setdefault("name", "")
    return Participant(**values)
