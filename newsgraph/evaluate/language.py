"""Language identification accuracy on the SlavicNER raw documents
(uk/ru by folder): `python -m newsgraph.evaluate.language --data ../shared/data`."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from newsgraph.corpora import data_dir
from newsgraph.language import detect


def evaluate(data: str | Path | None = None) -> dict:
    root = data_dir(data) / "slavicner" / "raw"
    confusion: Counter[tuple[str, str]] = Counter()
    for path in sorted(root.glob("*/*/*.txt")):
        gold = path.parent.name
        confusion[gold, detect(path.read_text(encoding="utf-8"))] += 1
    total = sum(confusion.values())
    correct = sum(n for (gold, found), n in confusion.items() if gold == found)
    return {
        "documents": total,
        "accuracy": correct / total if total else 0.0,
        "errors": {f"{gold}->{found}": n for (gold, found), n in confusion.items() if gold != found},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=None)
    result = evaluate(parser.parse_args().data)
    print(f"language accuracy on {result['documents']} SlavicNER raw documents: {result['accuracy']:.4f}")
    for confusion, count in sorted(result["errors"].items()):
        print(f"  {confusion}: {count}")


if __name__ == "__main__":
    main()
