"""FactRuEval-2016 (devset/testset): <doc>.txt, .tokens (`id start length
token`), .spans (`id type start length first_token n_tokens # ...`) and
.objects (`id Type span_id ... # text`).

An object (Person, Org, Location, LocOrg) is made of spans; its mention is
the stretch from its first span to its last. Objects made only of
descriptors ("китайскому правительству": no *_name/surname span) are not
named entities and are dropped, and an object inside another kept object
("Москвы" inside "мэрии Москвы") gives way to the outer one, so the result
is flat, like the other corpora.
"""

from __future__ import annotations

from pathlib import Path

from newsgraph.corpora.slavicner import Document, GoldMention

TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
NAME_SPANS = {"name", "surname", "patronymic", "nickname", "org_name", "loc_name", "geo_adj", "prj_name"}


def corpus_root(data: Path) -> Path:
    return data / "factRuEval-2016"


def split_ids(root: Path, split: str) -> list[str]:
    """split: "devset" or "testset"; ids are file stems like "book_100"."""
    return sorted(path.stem for path in (root / split).glob("*.objects"))


def read_spans(path: Path) -> dict[str, tuple[str, int, int]]:
    spans = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) >= 4:
            spans[fields[0]] = (fields[1], int(fields[2]), int(fields[2]) + int(fields[3]))
    return spans


def _outermost(mentions: list[GoldMention]) -> list[GoldMention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    kept: list[GoldMention] = []
    for mention in mentions:
        if kept and mention.start < kept[-1].end:
            continue  # nested in (or overlapping) an earlier, longer one
        kept.append(mention)
    return kept


def load_document(root: Path, split: str, doc_id: str, types: dict[str, str] = TYPES) -> Document:
    folder = root / split
    text = (folder / f"{doc_id}.txt").read_text(encoding="utf-8")
    spans = read_spans(folder / f"{doc_id}.spans")
    mentions = []
    for line in (folder / f"{doc_id}.objects").read_text(encoding="utf-8").splitlines():
        fields = line.split("#")[0].split()
        if len(fields) < 3 or fields[1] not in types:
            continue
        parts = [spans[span_id] for span_id in fields[2:] if span_id in spans]
        if not any(kind in NAME_SPANS for kind, _, _ in parts):
            continue
        start, end = min(s for _, s, _ in parts), max(e for _, _, e in parts)
        mentions.append(GoldMention(start, end, text[start:end], "", types[fields[1]], fields[0]))
    return Document(f"{split}/{doc_id}", split, "ru", text, _outermost(mentions))


def load_split(root: Path, split: str, types: dict[str, str] = TYPES) -> list[Document]:
    return [load_document(root, split, doc_id, types) for doc_id in split_ids(root, split)]
