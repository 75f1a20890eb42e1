"""FactRuEval-2016 Meeting facts, and the gold entities they refer to.

Layers (per document `<split>/<doc>.*`):

* `.spans`: `id type start length first_token n_tokens # ...`;
* `.objects`: `id Type span_id ... # text` (one mention of an object);
* `.coref`: blocks `coref_id object_id ...` followed by `key value` lines
  (firstname, lastname, patronymic, nickname for people; name otherwise);
* `.facts`: blocks `fact_id Type` followed by `Slot value` lines. A Meeting
  has `Participant objN text` lines (objN is the coref id N; the text is
  "Lastname Firstname", alternatives separated by "|"), and may have
  `Модальность`, `Фаза`, `Сложность` attributes.

`gold_entities` turns the coreference layer into `Entity` records (id
"obj<N>", mentions from the name spans of each object) so that the meeting
stage can be evaluated on gold spans before the entity stage exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsgraph.corpora.factrueval import read_spans
from newsgraph.model import Entity, Mention

TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
NAME_SPANS = {
    "PER": {"name", "surname", "patronymic", "nickname"},
    "ORG": {"org_name", "loc_name", "geo_adj", "prj_name"},
    "LOC": {"loc_name", "geo_adj", "org_name"},
}


@dataclass
class GoldMeeting:
    fact_id: str
    participants: list[str]  # coref ids, "obj5"
    surnames: list[str]  # normalised: lower-case, ё -> е
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class FactDocument:
    doc_id: str
    text: str
    entities: list[Entity]
    meetings: list[GoldMeeting]


def corpus_root(data: Path) -> Path:
    return data / "factRuEval-2016"


def split_ids(root: Path, split: str) -> list[str]:
    """split: "devset" (tune) or "testset" (report only)."""
    return sorted(path.stem for path in (root / split).glob("*.facts"))


def normalise_name(text: str) -> str:
    return text.strip().lower().replace("ё", "е")


def _blocks(path: Path) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            blocks[-1].append(line.rstrip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def read_meetings(path: Path) -> list[GoldMeeting]:
    meetings = []
    for block in _blocks(path):
        head = block[0].split()
        if len(head) < 2 or head[1] != "Meeting":
            continue
        participants, surnames, attributes = [], [], {}
        for line in block[1:]:
            slot, _, value = line.partition(" ")
            if slot == "Participant":
                ref, _, text = value.partition(" ")
                participants.append(ref)
                first = text.split("|")[0].split()
                surnames.append(normalise_name(first[0]) if first else ref)
            else:
                attributes[slot] = value.strip()
        meetings.append(GoldMeeting(head[0], participants, surnames, attributes))
    return meetings


def _objects(path: Path) -> dict[str, tuple[str, list[str]]]:
    objects = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 3:
            objects[fields[0]] = (fields[1], fields[2:])
    return objects


def _display_name(kind: str, keys: dict[str, str]) -> str:
    if kind == "PER":
        parts = [keys.get("firstname", ""), keys.get("lastname", "") or keys.get("surname", "")]
        name = " ".join(p for p in parts if p)
        return name or keys.get("nickname", "")
    return keys.get("name", "")


def gold_entities(folder: Path, doc_id: str, text: str) -> list[Entity]:
    """Entities from the gold coreference layer; a mention is the stretch of
    an object's name spans (objects named only by descriptors, "президент",
    give no mention)."""
    spans = read_spans(folder / f"{doc_id}.spans")
    objects = _objects(folder / f"{doc_id}.objects")
    entities = []
    for block in _blocks(folder / f"{doc_id}.coref"):
        head = block[0].split()
        keys = {}
        for line in block[1:]:
            key, _, value = line.partition(" ")
            keys[key] = value.strip()
        members = [objects[o] for o in head[1:] if o in objects]
        if not members:
            continue
        kind = TYPES.get(members[0][0])
        if kind is None:
            continue
        mentions = []
        for _, span_ids in members:
            parts = [spans[s] for s in span_ids if s in spans and spans[s][0] in NAME_SPANS[kind]]
            if not parts:
                continue
            start, end = min(p[1] for p in parts), max(p[2] for p in parts)
            mentions.append(Mention(text[start:end], start, end, "", kind))
        if not mentions:
            continue
        name = _display_name(kind, keys) or mentions[0].text
        entities.append(Entity(f"obj{head[0]}", kind, name, name, keys.get("wikidata"), sorted(mentions, key=lambda m: m.start)))
    return entities


def load_document(root: Path, split: str, doc_id: str) -> FactDocument:
    folder = root / split
    text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    return FactDocument(f"{split}/{doc_id}", text, gold_entities(folder, doc_id, text), read_meetings(folder / f"{doc_id}.facts"))


def load_split(root: Path, split: str) -> list[FactDocument]:
    return [load_document(root, split, doc_id) for doc_id in split_ids(root, split)]
