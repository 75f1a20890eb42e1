"""SlavicNER (BSNLP 2019-2023 gold): raw/<topic>/<lang>/<doc>.txt and
ner/<topic>/<lang>/<doc>.tsv with `start end mention lemma TYPE id` lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class GoldMention:
    start: int
    end: int
    text: str
    lemma: str
    type: str
    id: str


@dataclass
class Document:
    doc_id: str  # the raw path relative to the corpus root, as the split files list it
    topic: str
    language: str
    text: str
    mentions: list[GoldMention] = field(default_factory=list)


def split_ids(root: Path, split: str) -> list[str]:
    """Document ids of a split file, e.g. split="single_out_topic_train"."""
    lines = (root / f"SPLIT_{split}.txt").read_text(encoding="utf-8").split()
    return [line.strip() for line in lines if line.strip()]


def load_document(root: Path, doc_id: str) -> Document:
    raw = root / doc_id
    _, topic, language, name = Path(doc_id).parts
    text = raw.read_text(encoding="utf-8")
    ann = root / "ner" / topic / language / (Path(name).stem + ".tsv")
    mentions = []
    if ann.exists():
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 6:
                start, end = int(parts[0]), int(parts[1])
                mentions.append(GoldMention(start, end, parts[2], parts[3], parts[4], parts[5]))
    return Document(doc_id, topic, language, text, mentions)


def load_split(root: Path, split: str) -> list[Document]:
    return [load_document(root, doc_id) for doc_id in split_ids(root, split)]
