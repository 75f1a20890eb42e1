"""Train the line classifier of the text-dump cleaner (newsgraph.clean.lines).

Training data (train/dev splits only):
* Turku text-quality annotations, en and de `train.json` and `dev.json`:
  real web documents with a keep/noise label on every line;
* synthetic uk/ru news dumps: SlavicNER articles of the
  `single_out_topic_train` split wrapped in generated page debris
  (newsgraph.clean.synthetic); 10% of those articles are held out to report a
  synthetic dev score.

The settings were chosen on held-out Turku dev and synthetic dev scores of
models trained without them; `--check` repeats that: it first trains such a
model (Turku train only) and prints its held-out scores, then trains the
shipped model on train + dev. Turku test and the sample pages are never
used. Deterministic for a given --seed.

    python -m newsgraph.train.lines --data ../shared/data [--check]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from newsgraph.clean import features, resources

VARIANTS = 2
TURKU_REPEAT = 8
PARAMS = {
    "c1": 0.2,  # L1 keeps the model small: most conjunction features drop out
    "c2": 0.01,
    "max_iterations": 200,
    "feature.possible_transitions": True,
}


def slavicner_sources(data_dir: Path, split: str, seed: int):
    """SlavicNER articles of a split as synthetic-dump sources, with the
    PER/LOC/ORG names found in them for captions and tag lines."""
    from newsgraph.clean.synthetic import Source, split_article
    from newsgraph.corpora.slavicner import load_split

    rng = random.Random(seed)
    sources = []
    for doc in load_split(Path(data_dir) / "slavicner", split):
        title, paragraphs = split_article(doc.text, rng)
        # The corpus keeps a little debris of its own ("Читайте також: ..."
        # inside the text); labelling it "keep" would teach the wrong thing.
        paragraphs = [p for p in paragraphs if not _debris_like(p)]
        if not paragraphs:
            continue
        names = {t: sorted({m.text for m in doc.mentions if m.type == t}) for t in ("PER", "LOC", "ORG")}
        sources.append(Source(doc.language, title, paragraphs, names["PER"], names["LOC"], names["ORG"]))
    return sources


def _debris_like(paragraph: str) -> bool:
    line = features.describe(features.normalise(paragraph))
    return any(cat in features.DEBRIS_CATS for cat in line.markers)


def _sequence(lines: list[str], labels: list[str]) -> tuple[list[list[str]], list[str]]:
    """Features and labels of the non-blank lines of one document."""
    kept = [(features.normalise(t), y) for t, y in zip(lines, labels)]
    kept = [(t, y) for t, y in kept if t]
    texts = [t for t, _ in kept]
    return features.document(texts), [y for _, y in kept]


def _mark_title(lines: list[str], labels: list[str]) -> list[str]:
    """Turku labels only keep/noise. Its documents often open with a title:
    the first kept line, near the top, short and without a final full stop,
    is labelled "title" so that it does not contradict the synthetic dumps."""
    labels = list(labels)
    for i, (text, label) in enumerate(zip(lines[:4], labels)):
        if label == "keep":
            text = features.normalise(text)
            if 2 <= len(text.split()) <= 20 and not text.endswith((".", ":", ",", ";")):
                labels[i] = "title"
            break
    return labels


def build(data_dir: Path, seed: int, variants: int, turku_repeat: int, turku_splits=("train",), title_heuristic: bool = True):
    """(training sequences, held-out synthetic dev dumps)."""
    from newsgraph.clean.synthetic import Generator
    from newsgraph.evaluate.cleaning import load_turku

    train = []
    for language, split in ((lang, split) for lang in ("en", "de") for split in turku_splits):
        docs = load_turku(data_dir, language, split)
        if title_heuristic:
            docs = [(lines, _mark_title(lines, labels)) for lines, labels in docs]
        train += [_sequence(lines, labels) for lines, labels in docs] * turku_repeat
    sources = slavicner_sources(data_dir, "single_out_topic_train", seed)
    random.Random(seed).shuffle(sources)
    held = max(1, len(sources) // 10)
    generator = Generator(sources, seed=seed)
    for src in sources[held:]:
        for _ in range(variants):
            dump = generator.make(src)
            train.append(_sequence(dump.lines, dump.labels))
    dev_generator = Generator(sources, seed=seed + 1)
    dev = [dev_generator.make(src) for src in sources[:held]]
    return train, dev


def fit(train, model: Path, params: dict) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in train:
        trainer.append(xseq, yseq)
    trainer.set_params(params)
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))


def report(data_dir: Path, dev, model: Path) -> None:
    from newsgraph.evaluate.cleaning import line_f1, load_turku

    for language in ("en", "de"):
        r = line_f1(load_turku(data_dir, language, "dev"), model)
        print(f"  turku {language} dev: P {r['precision']:.4f} R {r['recall']:.4f} F1 {r['f1']:.4f}")
    r = line_f1([(d.lines, d.labels) for d in dev], model)
    print(f"  synthetic uk/ru dev: P {r['precision']:.4f} R {r['recall']:.4f} F1 {r['f1']:.4f}")


def main() -> None:
    import tempfile

    from newsgraph.corpora import data_dir

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--out", type=Path, default=resources.MODELS / "lines.crfsuite")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--variants", type=int, default=VARIANTS, help="synthetic dumps per SlavicNER article")
    parser.add_argument(
        "--turku-repeat", type=int, default=TURKU_REPEAT, help="copies of each Turku document (balances the two sources)"
    )
    parser.add_argument("--c1", type=float, default=PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=PARAMS["c2"])
    parser.add_argument("--check", action="store_true", help="first train on Turku train only and print held-out dev scores")
    args = parser.parse_args()
    root = data_dir(args.data)
    params = {**PARAMS, "c1": args.c1, "c2": args.c2}
    if args.check:
        train, dev = build(root, args.seed, args.variants, args.turku_repeat, ("train",))
        with tempfile.TemporaryDirectory() as tmp:
            held_out = Path(tmp) / "lines.crfsuite"
            fit(train, held_out, params)
            print("held-out check (Turku train only):")
            report(root, dev, held_out)
    started = time.perf_counter()
    train, dev = build(root, args.seed, args.variants, args.turku_repeat, ("train", "dev"))
    print(f"{len(train)} training sequences, {sum(len(y) for _, y in train)} lines")
    fit(train, args.out, params)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB) in {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
