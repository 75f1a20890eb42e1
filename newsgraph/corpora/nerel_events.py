"""NEREL v1.1 events for evaluating meetings: EVENT mentions with the people
related to them (AGENT, PARTICIPANT_IN), their place (TAKES_PLACE_IN) and
time (POINT_IN_TIME), plus gold person/location/organisation entities to
stand in for the entity stage.

brat lines: `T1<TAB>TYPE start end[;start end]<TAB>text`,
`R1<TAB>REL Arg1:T5 Arg2:T7`, `N1<TAB>Reference T5 Wikidata:Q813<TAB>name`.
Relations point from the person (Arg1) to the event (Arg2); TAKES_PLACE_IN
and POINT_IN_TIME from the event (Arg1) to the place or date (Arg2).

Which events are meetings is decided by the caller (newsgraph.evaluate.events
uses the meeting trigger lexicon on the event's words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.model import Entity, Mention

ENTITY_TYPES = {
    "PERSON": "PER",
    "COUNTRY": "LOC",
    "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "LOCATION": "LOC",
    "DISTRICT": "LOC",
    "ORGANIZATION": "ORG",
}
_T = re.compile(r"(T\d+)\t(\S+) ([\d; ]+)\t(.*)")
_R = re.compile(r"(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)")
_N = re.compile(r"N\d+\tReference (T\d+) Wikidata:(\S+)\t?(.*)")


@dataclass
class Span:
    id: str
    type: str
    start: int
    end: int
    text: str


@dataclass
class GoldEvent:
    trigger: Span
    people: list[str] = field(default_factory=list)  # entity ids of the people and organisations taking part
    places: list[str] = field(default_factory=list)
    times: list[str] = field(default_factory=list)


@dataclass
class EventDocument:
    doc_id: str
    text: str
    entities: list[Entity]
    events: list[GoldEvent]


def corpus_root(data: Path) -> Path:
    return data / "nerel" / "NEREL-v1.1"


def split_ids(root: Path, split: str) -> list[str]:
    """split: "train", "dev" (tune) or "test" (report only)."""
    return sorted(path.stem for path in (root / split).glob("*.txt"))


def _read(path: Path) -> tuple[dict[str, Span], list[tuple[str, str, str]], dict[str, str], dict[str, str]]:
    spans: dict[str, Span] = {}
    relations: list[tuple[str, str, str]] = []
    wikidata: dict[str, str] = {}
    names: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := _T.match(line):
            pieces = [p.split() for p in m[3].split(";")]
            start, end = int(pieces[0][0]), int(pieces[-1][1])
            spans[m[1]] = Span(m[1], m[2], start, end, m[4])
        elif m := _R.match(line):
            relations.append((m[2], m[3], m[4]))
        elif m := _N.match(line):
            wikidata[m[1]] = m[2]
            name = m[3].strip()
            if "," in name:  # "Пшихачев, Анас Мусаевич" -> "Анас Мусаевич Пшихачев"
                surname, _, given = name.partition(",")
                name = f"{given.strip()} {surname.strip()}"
            if name:
                names[m[1]] = name
    return spans, relations, wikidata, names


def _outermost(spans: list[Span]) -> list[Span]:
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        if kept and span.start < kept[-1].end:
            continue
        kept.append(span)
    return kept


def _entity_key(span: Span, wikidata: dict[str, str]) -> str:
    """People are grouped by Wikidata id, else by their last word (a rough
    surname: gold NEREL has no coreference chains)."""
    if span.id in wikidata and wikidata[span.id] != "NULL":
        return wikidata[span.id]
    words = re.findall(r"\w+", span.text.lower().replace("ё", "е"))
    return f"{span.type}:{words[-1][:5] if words else span.text}"


def load_document(root: Path, split: str, doc_id: str) -> EventDocument:
    txt = root / split / f"{doc_id}.txt"
    text = txt.read_text(encoding="utf-8")
    spans, relations, wikidata, names = _read(txt.with_suffix(".ann"))
    named = _outermost([s for s in spans.values() if s.type in ENTITY_TYPES])
    key_of: dict[str, str] = {}
    grouped: dict[str, Entity] = {}
    # Keys of nested spans too, so that relations to an inner span resolve.
    for span in spans.values():
        if span.type in ENTITY_TYPES:
            key_of[span.id] = _entity_key(span, wikidata)
    for span in named:
        key = key_of[span.id]
        kind = ENTITY_TYPES[span.type]
        # The Wikidata normalisation gives the nominative name; without it
        # the lemma stays empty rather than the inflected text.
        name = names.get(span.id, "")
        entity = grouped.setdefault(key, Entity(key, kind, name, name or span.text, key if key.startswith("Q") else None))
        entity.mentions.append(Mention(span.text, span.start, span.end, name, kind))
    events: dict[str, GoldEvent] = {}
    for span in spans.values():
        if span.type == "EVENT":
            events[span.id] = GoldEvent(span)
    for relation, arg1, arg2 in relations:
        # People and organisations take part ("переговоры Ливни с администрацией автономии").
        if relation in ("AGENT", "PARTICIPANT_IN") and arg2 in events and arg1 in spans and spans[arg1].type in ("PERSON", "ORGANIZATION"):
            events[arg2].people.append(key_of[arg1])
        elif relation == "TAKES_PLACE_IN" and arg1 in events and arg2 in key_of:
            events[arg1].places.append(key_of[arg2])
        elif relation == "POINT_IN_TIME" and arg1 in events and arg2 in spans:
            events[arg1].times.append(spans[arg2].text)
    return EventDocument(f"{split}/{doc_id}", text, list(grouped.values()), sorted(events.values(), key=lambda e: e.trigger.start))


def load_split(root: Path, split: str) -> list[EventDocument]:
    return [load_document(root, split, doc_id) for doc_id in split_ids(root, split)]
