"""Article-body extraction quality on the Zyte article-extraction benchmark
(../shared/data/article-extraction-benchmark: 181 English news pages,
html/*.html.gz, with the true body in ground-truth.json):

    python -m newsgraph.evaluate.extraction --data ../shared/data

The metric is the benchmark's own (its evaluate.py, re-implemented here):
- tokens are the regex \\w+ matches of a text (Unicode, case kept);
- a text's shingles are its overlapping 4-grams of tokens (a text shorter
  than 4 tokens is one shingle of all of them), counted as a multiset;
- per page, TP = shingles in both (min of the counts), FP = predicted not
  true, FN = true not predicted, then divided by TP+FP+FN so that every page
  weighs the same;
- precision is the mean over pages with TP+FP > 0 of TP/(TP+FP), recall the
  mean over pages with TP+FN > 0 of TP/(TP+FN) (a page where FP = FN = 0
  scores 1 for both); F1 = 2PR/(P+R) of those means, not a mean of F1s.
The benchmark's bootstrap confidence intervals are not computed.

Each page goes through `newsgraph.readers.read_file`, exactly as the CLI
reads it (gzip, sniffing, decoding, trafilatura); a page the reader turns
into an ErrorRecord counts as an empty prediction.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from newsgraph.model import Page

TOKEN = re.compile(r"\w+")
SHINGLE = 4


def shingles(text: str, n: int = SHINGLE) -> Counter:
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def page_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """(TP, FP, FN) of one page, normalised to sum to 1."""
    gold, found = shingles(true), shingles(predicted)
    tp = sum((gold & found).values())
    fp = sum(found.values()) - tp
    fn = sum(gold.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: Iterable[tuple[float, float, float]]) -> dict[str, float]:
    counts = list(counts)
    precisions = [_ratio(tp, fp, fn, fp) for tp, fp, fn in counts if tp + fp > 0]
    recalls = [_ratio(tp, fp, fn, fn) for tp, fp, fn in counts if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _ratio(tp: float, fp: float, fn: float, miss: float) -> float:
    if fp == fn == 0:
        return 1.0
    return tp / (tp + miss) if tp + miss else 0.0


def benchmark_dir(data: str | Path | None = None) -> Path:
    from newsgraph.corpora import data_dir

    path = Path(data) if data else None
    if path and (path / "ground-truth.json").is_file():
        return path
    return data_dir(data) / "article-extraction-benchmark"


def predict(path: Path) -> str:
    from newsgraph.readers import read_file

    pages = [item for item in read_file(str(path)) if isinstance(item, Page)]
    return pages[0].text if pages else ""


def evaluate(data: str | Path | None = None, limit: int | None = None) -> dict:
    """P/R/F1 over the benchmark (its first `limit` pages by id if given),
    with the mean extraction time per page."""
    root = benchmark_dir(data)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    counts = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for item_id in ids:
        predicted = predict(root / "html" / f"{item_id}.html.gz")
        counts.append(page_counts(truth[item_id].get("articleBody", ""), predicted))
    pages = max(1, len(ids))
    return {
        "pages": len(ids),
        **scores(counts),
        "seconds_per_page": (time.perf_counter() - started) / pages,
        "cpu_seconds_per_page": (time.process_time() - cpu_started) / pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=None, help="../shared/data or the benchmark folder itself")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages (by id)")
    args = parser.parse_args()
    result = evaluate(args.data, args.limit)
    print(
        f"Zyte article-extraction benchmark, {result['pages']} pages: "
        f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  F1 {result['f1']:.4f}\n"
        f"time per page, reading included: {result['seconds_per_page'] * 1000:.1f} ms wall, "
        f"{result['cpu_seconds_per_page'] * 1000:.1f} ms CPU (one process, imports included)"
    )


if __name__ == "__main__":
    main()
