"""Evaluate `newsgraph.entities.ner.recognize` on the test parts of the corpora.

    python -m newsgraph.evaluate.ner --data ../shared/data

The metric is strict span + type micro F1: a predicted (start, end, TYPE)
counts only when a gold mention has exactly the same character offsets and
type. `recognize` runs on each document's raw text (NER-UK's texts are
already tokenised with spaces; its gold offsets come from the .ann files).
Gold mentions of types a benchmark does not score are removed from the gold
side and predictions of those types are ignored:

  * NER-UK 2.0 TEST (169 docs): PER, LOC, ORG.
  * SlavicNER single_out_topic_test (us_election_2020, unseen topic): all
    five types, uk and ru separately and together.
  * FactRuEval-2016 testset: PER, LOC, ORG, objects converted to flat spans
    as `newsgraph.corpora.factrueval` describes. This is not FactRuEval's
    official metric (which gives partial credit per object and accepts
    alternative spans), so slovnet's published .959/.915/.825 are only a
    rough reference point.
  * NEREL test: PER, LOC, ORG, EVT, PRO, flattened (an extra, not required).
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from newsgraph.corpora import DataMissing, data_dir, factrueval, ner_uk, nerel, slavicner
from newsgraph.corpora.slavicner import Document

Predict = Callable[[str, str], list[tuple[int, int, str]]]
ALL_TYPES = ("PER", "LOC", "ORG", "EVT", "PRO")
SLOVNET_FACTRU = {"PER": 0.959, "LOC": 0.915, "ORG": 0.825}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": tp + fn, "pred": tp + fp}


def score(docs: Iterable[Document], predict: Predict, types: Iterable[str] = ALL_TYPES) -> dict:
    """Strict span+type micro P/R/F1 overall and per type."""
    types = tuple(types)
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    n_docs = 0
    for doc in docs:
        n_docs += 1
        gold = {(m.start, m.end, m.type) for m in doc.mentions if m.type in types}
        pred = {span for span in predict(doc.text, doc.language) if span[2] in types}
        for span in pred & gold:
            tp[span[2]] += 1
        for span in pred - gold:
            fp[span[2]] += 1
        for span in gold - pred:
            fn[span[2]] += 1
    result = {"docs": n_docs, "all": _prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))}
    for kind in types:
        result[kind] = _prf(tp[kind], fp[kind], fn[kind])
    return result


def benchmarks(data: Path) -> dict[str, tuple[list[Document], tuple[str, ...]]]:
    """Test parts only: name -> (documents, scored types)."""
    slav = slavicner.load_split(data / "slavicner", "single_out_topic_test")
    found = {
        "ner-uk test": (ner_uk.load_split(ner_uk.corpus_root(data), "TEST"), ("PER", "LOC", "ORG")),
        "slavicner test uk+ru": (slav, ALL_TYPES),
        "slavicner test uk": ([d for d in slav if d.language == "uk"], ALL_TYPES),
        "slavicner test ru": ([d for d in slav if d.language == "ru"], ALL_TYPES),
        "factrueval test": (factrueval.load_split(factrueval.corpus_root(data), "testset"), ("PER", "LOC", "ORG")),
        "nerel test": (nerel.load_split(nerel.corpus_root(data), "test"), ALL_TYPES),
    }
    return found


def speed(docs: list[Document], predict: Predict) -> dict[str, float]:
    """Documents per second of `predict` on raw texts (after one warm-up call)."""
    predict(docs[0].text, docs[0].language)
    started = time.perf_counter()
    chars = 0
    for doc in docs:
        predict(doc.text, doc.language)
        chars += len(doc.text)
    seconds = time.perf_counter() - started
    return {"docs": len(docs), "docs_per_s": round(len(docs) / seconds, 1), "ms_per_3k_chars": round(seconds * 1000 * 3000 / chars, 2)}


def evaluate(data_dir_path: str | Path | None = None, predict: Predict | None = None) -> dict:
    """Scores of `predict` (default: `recognize`) on every benchmark, plus
    recognize() speed on the SlavicNER raw test documents."""
    if predict is None:
        from newsgraph.entities.ner import recognize as predict
    data = data_dir(data_dir_path)
    results = {}
    for name, (docs, types) in benchmarks(data).items():
        results[name] = score(docs, predict, types)
    slav = slavicner.load_split(data / "slavicner", "single_out_topic_test")
    results["speed"] = speed(slav, predict)
    return results


def format_table(results: dict) -> str:
    lines = [f"{'benchmark':24} {'type':5} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}"]
    for name, result in results.items():
        if name == "speed":
            continue
        for kind, prf in result.items():
            if kind == "docs":
                continue
            extra = ""
            if name.startswith("factrueval") and kind in SLOVNET_FACTRU:
                extra = f"   (slovnet, other metric: {SLOVNET_FACTRU[kind]})"
            lines.append(f"{name:24} {kind:5} {prf['p']:6.3f} {prf['r']:6.3f} {prf['f1']:6.3f} {prf['gold']:6d}{extra}")
    if "speed" in results:
        s = results["speed"]
        lines.append(f"speed: {s['docs_per_s']} docs/s on {s['docs']} SlavicNER test docs ({s['ms_per_3k_chars']} ms per 3000 characters)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None)
    args = parser.parse_args(argv)
    try:
        results = evaluate(args.data)
    except DataMissing as exc:
        raise SystemExit(str(exc)) from exc
    print(format_table(results))


if __name__ == "__main__":
    main()
