"""NER-UK 2.0 (lang-uk/ner-uk): v2.0/data/{bruk,ng}/<id>.txt with brat
`.ann` files (`T1<TAB>TYPE START END<TAB>text`), split into DEV and TEST by
v2.0/data/dev-test-split.txt.

The texts are tokenised with spaces (the `ng` ones and 25 `bruk` ones have
punctuation glued to words). About 49 spans cross a line break and their
`.ann` text is cut there; the offsets themselves are used.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsgraph.corpora.slavicner import Document, GoldMention

# NER-UK type -> our type; the other 10 types (DATE, JOB, MON, ...) are dropped.
TYPES = {"PERS": "PER", "LOC": "LOC", "ORG": "ORG"}

_ANN = re.compile(r"(T\d+)\s+(\S+)\s+(\d+)\s+(\d+)\t(.*)")


def corpus_root(data: Path) -> Path:
    return data / "ner-uk" / "v2.0" / "data"


def split_ids(root: Path, split: str) -> list[str]:
    """Document ids listed under DEV or TEST in dev-test-split.txt."""
    ids: dict[str, list[str]] = {}
    current = None
    for line in (root / "dev-test-split.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line in ("DEV", "TEST"):
            current = line
        elif line and current:
            ids.setdefault(current, []).append(line)
    return ids.get(split.upper(), [])


def load_document(root: Path, doc_id: str, types: dict[str, str] | None = TYPES) -> Document:
    for folder in ("bruk", "ng"):
        txt = root / folder / f"{doc_id}.txt"
        if txt.exists():
            break
    else:
        raise FileNotFoundError(doc_id)
    text = txt.read_text(encoding="utf-8")
    mentions = []
    for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        match = _ANN.match(line)
        if not match:
            continue
        kind, start, end = match[2], int(match[3]), int(match[4])
        if types is not None:
            if kind not in types:
                continue
            kind = types[kind]
        mentions.append(GoldMention(start, end, text[start:end], "", kind, match[1]))
    mentions.sort(key=lambda m: (m.start, -m.end))
    return Document(f"{folder}/{doc_id}", folder, "uk", text, mentions)


def load_split(root: Path, split: str, types: dict[str, str] | None = TYPES) -> list[Document]:
    """split: "DEV" (train/tune) or "TEST" (report only)."""
    return [load_document(root, doc_id, types) for doc_id in split_ids(root, split)]
