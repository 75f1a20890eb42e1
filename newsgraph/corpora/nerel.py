"""NEREL v1.1 (Russian Wikinews, brat format, nested entities of 29 types):
NEREL-v1.1/{train,dev,test}/<id>_text.txt and .ann.

The nested annotation is flattened to the outermost span of a kept type.
NEREL also labels descriptions ("Правоохранительные органы Киргизии" is an
ORGANIZATION): an outer span with no capitalised word of its own (outside
the names nested in it, and apart from a sentence-initial first word) is not
a name, so it is replaced by the names nested inside it.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsgraph.corpora.slavicner import Document, GoldMention

TYPES = {
    "PERSON": "PER",
    "COUNTRY": "LOC",
    "CITY": "LOC",
    "STATE_OR_PROVINCE": "LOC",
    "LOCATION": "LOC",
    "DISTRICT": "LOC",
    "ORGANIZATION": "ORG",
    "EVENT": "EVT",
    "PRODUCT": "PRO",
}

_ANN = re.compile(r"(T\d+)\t(\S+) (\d+) (\d+)\t(.*)")
_WORD = re.compile(r"\w[\w'’-]*")


def corpus_root(data: Path) -> Path:
    return data / "nerel" / "NEREL-v1.1"


def split_ids(root: Path, split: str) -> list[str]:
    return sorted(path.stem for path in (root / split).glob("*.txt"))


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" «\"(")
    return not before or before[-1] in ".!?\n:"


def _is_name(text: str, mention: GoldMention, inner: list[GoldMention]) -> bool:
    for word in _WORD.finditer(text, mention.start, mention.end):
        if any(m.start <= word.start() < m.end for m in inner):
            continue
        if word.start() == mention.start and _sentence_initial(text, word.start()):
            continue
        if word.group()[0].isupper() or word.group()[0].isdigit():
            return True
    return False


def _flatten(text: str, mentions: list[GoldMention]) -> list[GoldMention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
    result: list[GoldMention] = []

    def visit(group: list[GoldMention]) -> None:
        i = 0
        while i < len(group):
            outer = group[i]
            inner = [m for m in group[i + 1 :] if m.start < outer.end and m.end <= outer.end and m is not outer]
            if _is_name(text, outer, inner):
                result.append(outer)
            else:
                visit(inner)
            i += 1 + len(inner)
            while i < len(group) and group[i].start < outer.end:
                i += 1  # overlapping, not nested: drop

    visit(mentions)
    return sorted(result, key=lambda m: m.start)


def load_document(root: Path, split: str, doc_id: str, types: dict[str, str] = TYPES) -> Document:
    txt = root / split / f"{doc_id}.txt"
    text = txt.read_text(encoding="utf-8")
    mentions = []
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        match = _ANN.match(line)
        if match and match[2] in types:
            start, end = int(match[3]), int(match[4])
            mentions.append(GoldMention(start, end, text[start:end], "", types[match[2]], match[1]))
    return Document(f"{split}/{doc_id}", split, "ru", text, _flatten(text, mentions))


def load_split(root: Path, split: str, types: dict[str, str] = TYPES) -> list[Document]:
    """split: "train", "dev" (train/tune) or "test" (report only)."""
    return [load_document(root, split, doc_id, types) for doc_id in split_ids(root, split)]
