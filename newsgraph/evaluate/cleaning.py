"""How well the text-dump cleaner separates body lines from page debris.

* Turku text-quality annotations (en, de web text, one keep/noise label per
  line): line-level precision, recall and F1 of the "keep" class, on the test
  split (report only) and the dev split.
* Synthetic uk/ru dumps built from SlavicNER TEST-split articles (topics the
  classifier never saw in training): line F1 plus exact-match rates of the
  extracted title, publication date, outlet and aggregator.

    python -m newsgraph.evaluate.cleaning --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

TURKU = Path("turku-text-quality") / "text-quality-annotations"


def load_turku(data_dir: Path, language: str, split: str) -> list[tuple[list[str], list[str]]]:
    """(lines, labels) per document, labels "keep"/"noise"."""
    items = json.loads((Path(data_dir) / TURKU / language / f"{split}.json").read_text(encoding="utf-8"))
    return [(item["text"], ["keep" if str(x) == "1" else "noise" for x in item["labels"]]) for item in items]


def f1_counts(gold: list[bool], predicted: list[bool]) -> tuple[int, int, int]:
    tp = sum(g and p for g, p in zip(gold, predicted))
    fp = sum(p and not g for g, p in zip(gold, predicted))
    fn = sum(g and not p for g, p in zip(gold, predicted))
    return tp, fp, fn


def scores(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def line_f1(documents: list[tuple[list[str], list[str]]], model: Path | None = None) -> dict:
    """Keep-class F1 (title or body vs. debris) of the cleaner's line
    decisions over documents; `model` overrides the installed model."""
    from newsgraph.clean.lines import MODEL, keep_mask

    tp = fp = fn = lines = 0
    for texts, labels in documents:
        counts = f1_counts([x != "noise" for x in labels], keep_mask(texts, model or MODEL))
        tp, fp, fn = tp + counts[0], fp + counts[1], fn + counts[2]
        lines += len(texts)
    return {"documents": len(documents), "lines": lines, **scores(tp, fp, fn)}


def synthetic_dumps(data_dir: Path, split: str, seed: int, variants: int = 1):
    """Synthetic dumps around the articles of a SlavicNER split."""
    from newsgraph.clean.synthetic import Generator
    from newsgraph.train.lines import slavicner_sources

    sources = slavicner_sources(Path(data_dir), split, seed)
    generator = Generator(sources, seed=seed)
    return [generator.make(src) for _ in range(variants) for src in sources]


def evaluate_synthetic(data_dir: Path) -> dict:
    """Line F1 and field accuracy of clean_dump on synthetic test-split dumps."""
    from newsgraph.clean.dump import clean_dump
    from newsgraph.clean.features import describe, normalise
    from newsgraph.model import Page

    dumps = synthetic_dumps(data_dir, "single_out_topic_test", seed=2024)
    result = line_f1([(d.lines, d.labels) for d in dumps])
    fields = {"title": 0, "published": 0, "outlet": 0, "aggregator": 0, "body_exact": 0}
    pages = [Page(origin="synthetic", text=d.text) for d in dumps]
    describe.cache_clear()  # time every line afresh
    started = time.process_time()
    articles = [clean_dump(page) for page in pages]
    elapsed = time.process_time() - started  # CPU time: a busy machine inflates less
    for d, article in zip(dumps, articles):
        fields["title"] += article.title == d.title
        fields["published"] += article.published == d.published
        fields["outlet"] += article.outlet == d.outlet
        fields["aggregator"] += article.aggregator == d.aggregator
        gold_body = [normalise(p).lstrip("•- —") for p in d.body]
        got_body = [p.lstrip("•- —") for p in article.body.split("\n\n")] if article.body else []
        fields["body_exact"] += got_body == gold_body
    result.update({k: round(v / len(dumps), 4) for k, v in fields.items()})
    result["ms_per_page"] = round(1000 * elapsed / len(dumps), 3)
    return result


def evaluate_real(data_dir: Path) -> dict:
    """Speed and field coverage on the real BSNLP raw pages (no gold for the
    body: share of pages where each field was found, and CPU time per page)."""
    from newsgraph.clean.dump import clean_dump
    from newsgraph.clean.features import describe
    from newsgraph.model import Page

    files = sorted((Path(data_dir) / "bsnlp-raw").glob("*/raw/*/*.txt"))
    pages = [Page(origin=str(f), text=f.read_text(encoding="utf-8")) for f in files]
    describe.cache_clear()
    started = time.process_time()
    articles = [clean_dump(page) for page in pages]
    elapsed = time.process_time() - started
    n = len(articles) or 1
    found = {
        name: round(sum(getattr(a, name) is not None for a in articles) / n, 4)
        for name in ("title", "published", "outlet", "url")
    }
    return {
        "pages": len(articles),
        "lines_per_page": round(sum(len([x for x in p.text.splitlines() if x.strip()]) for p in pages) / n, 1),
        "ms_per_page": round(1000 * elapsed / n, 3),
        "empty_body": round(sum(not a.body for a in articles) / n, 4),
        **found,
    }


def evaluate_seeds(root: Path) -> dict:
    """Pass/fail of each sample page against tests/seeds_expected.json."""
    from newsgraph.clean.dump import clean_dump
    from newsgraph.model import Page

    expected = json.loads((root / "tests" / "seeds_expected.json").read_text(encoding="utf-8"))["pages"]
    out = {}
    for name, want in expected.items():
        text = (root / "examples" / "pages" / name).read_text(encoding="utf-8")
        a = clean_dump(Page(origin=name, text=text))
        ends = [want["body_ends_with"], want.get("body_ends_with_also_accepted")]
        checks = {
            "title": a.title == want["title"],
            "published": a.published == want["published"],
            "outlet": a.outlet == want["outlet"],
            "start": a.body.startswith(want["body_starts_with"]),
            "end": any(e and a.body.endswith(e) for e in ends),
            "clean": not [s for s in want["body_must_not_contain"] if s in a.body],
        }
        out[name] = checks
    return out


def evaluate(data_dir) -> dict:
    data_dir = Path(data_dir)
    result = {}
    for language in ("en", "de"):
        for split in ("test", "dev"):
            result[f"turku-{language}-{split}"] = line_f1(load_turku(data_dir, language, split))
    result["synthetic-uk-ru-test"] = evaluate_synthetic(data_dir)
    result["bsnlp-raw"] = evaluate_real(data_dir)
    return result


def _table(result: dict) -> str:
    rows = ["set                     docs   lines  precision  recall     F1"]
    for name, r in result.items():
        if "f1" not in r:
            continue
        rows.append(f"{name:22s} {r['documents']:5d} {r['lines']:7d}  {r['precision']:9.4f} {r['recall']:7.4f} {r['f1']:7.4f}")
    synth = result.get("synthetic-uk-ru-test")
    if synth:
        fields = ("title", "published", "outlet", "aggregator", "body_exact")
        rows.append(
            "synthetic fields (exact match): "
            + "  ".join(f"{name} {synth[name]:.4f}" for name in fields)
            + f"  ({synth['ms_per_page']:.3f} ms/page)"
        )
    rows.append("(turku dev is part of the shipped model's training data; held-out dev scores: train.lines --check)")
    real = result.get("bsnlp-raw")
    if real:
        rows.append(
            f"bsnlp-raw (real pages, no gold): {real['pages']} pages, {real['lines_per_page']} lines/page, "
            f"{real['ms_per_page']:.3f} ms/page; found title {real['title']:.3f} published {real['published']:.3f} "
            f"outlet {real['outlet']:.3f} url {real['url']:.3f}; empty body {real['empty_body']:.4f}"
        )
    return "\n".join(rows)


def main() -> None:
    from newsgraph.corpora import data_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--json", action="store_true", help="print the raw result as JSON")
    args = parser.parse_args()
    result = evaluate(data_dir(args.data))
    root = Path(__file__).resolve().parents[2]
    seeds = evaluate_seeds(root)
    if args.json:
        print(json.dumps({**result, "seeds": seeds}, indent=2, ensure_ascii=False))
        return
    print(_table(result))
    print("\nseed pages (examples/pages):")
    for name, checks in seeds.items():
        failed = [k for k, ok in checks.items() if not ok]
        print(f"  {name}: {'ok' if not failed else 'FAILED ' + ', '.join(failed)}")


if __name__ == "__main__":
    main()
