"""Validate an NER change on held-out training data (never on test splits).

    python -m newsgraph.train.validate --data ../shared/data [--topics brexit,nord_stream]
        [--ner-uk-repeat 2] [--nerel-types PER,LOC,ORG,EVT] [--feature window=3]

trains the main (uk/ru) CRF of `newsgraph.train.ner` without 20 % of the
NER-UK DEV documents (`split_documents`, seeded) and without some SlavicNER
training topics (default brexit and nord_stream), then scores the stage's
spans (`entity_spans`, what `newsgraph eval entities` scores) on each
held-out part: NER-UK with PER/LOC/ORG, each topic with all five types,
strict span + type F1. A held-out topic stands in for the unseen test
topic: its events and organisations are not in training. `--model DIR`
rescores a model trained before (the folder keeps ner.npz and ner.json),
for changes in decoding only. About 6-9 minutes on one core.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from newsgraph.corpora import data_dir
from newsgraph.corpora.slavicner import Document
from newsgraph.entities.features import FeatureSet
from newsgraph.evaluate.ner import ALL_TYPES, score
from newsgraph.train.ner import MAIN_FEATURES, Settings, export_crf, split_documents, train_crf, training_documents, weighted_documents

HELD_OUT_FRACTION = 0.2


def held_out_split(data: Path, topics: list[str], settings: Settings) -> tuple[dict[str, list[Document]], dict[str, list[Document]]]:
    """(training documents by corpus, held-out documents by part)."""
    docs = training_documents(data, settings.corpora, settings.nerel_types, settings.ignore_ner_uk)
    docs["ner_uk"], ner_uk_held = split_documents(docs["ner_uk"], HELD_OUT_FRACTION)
    held = {"ner_uk": ner_uk_held}
    for topic in topics:
        held[topic] = [d for d in docs["slavicner"] if d.topic == topic]
        if not held[topic]:
            raise SystemExit(f"no SlavicNER training documents of topic {topic!r}")
    docs["slavicner"] = [d for d in docs["slavicner"] if d.topic not in topics]
    return docs, held


def train_main(docs: dict[str, list[Document]], features: FeatureSet, settings: Settings, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    crfsuite_path = out / "main.crfsuite"
    report = train_crf(weighted_documents(docs, settings), features, settings, crfsuite_path)
    report["export"] = export_crf(crfsuite_path, out / "ner.npz")
    crfsuite_path.unlink()
    meta = {"models": {"main": {"file": "ner.npz", "features": features.to_dict(), "languages": ["uk", "ru", "*"]}}, "training": report}
    (out / "ner.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return report


def score_held_out(model: Path, held: dict[str, list[Document]]) -> dict:
    """F1 of the stage's spans on each held-out part, with the model in `model`."""
    from newsgraph.entities import entity_spans, ner

    # `recognize` loads its model once from ner.MODELS: point it at this one
    ner.MODELS = model
    ner._meta.cache_clear()
    ner._model.cache_clear()
    results = {}
    for part, docs in held.items():
        types = ("PER", "LOC", "ORG") if part == "ner_uk" else ALL_TYPES
        results[part] = score(docs, entity_spans, types)
    return results


def _feature_overrides(pairs: list[str]) -> dict:
    out = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        out[name] = int(value) if value.isdigit() else value.lower() in ("1", "true", "yes")
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None)
    parser.add_argument("--topics", default="brexit,nord_stream", help="the SlavicNER training topics held out (comma-separated)")
    parser.add_argument("--ner-uk-repeat", type=int, default=Settings.ner_uk_repeat)
    parser.add_argument("--feature", action="append", default=[], help="a FeatureSet override, e.g. phrases=false")
    parser.add_argument("--nerel-types", default=",".join(Settings.nerel_types), help="NEREL types taught, e.g. PER,LOC,ORG,EVT")
    parser.add_argument("--iterations", type=int, default=Settings.max_iterations)
    parser.add_argument("--c1", type=float, default=Settings.c1)
    parser.add_argument("--c2", type=float, default=Settings.c2)
    parser.add_argument("--out", default="/tmp/newsgraph-validate", help="where the held-out model is written")
    parser.add_argument("--model", default=None, help="score this trained folder instead of training")
    args = parser.parse_args(argv)
    settings = Settings(
        c1=args.c1,
        c2=args.c2,
        max_iterations=args.iterations,
        ner_uk_repeat=args.ner_uk_repeat,
        nerel_types=tuple(args.nerel_types.split(",")),
    )
    features = replace(MAIN_FEATURES, **_feature_overrides(args.feature))
    docs, held = held_out_split(data_dir(args.data), args.topics.split(","), settings)
    model = Path(args.model or args.out)
    if args.model is None:
        print(json.dumps({"settings": vars(args), "training": train_main(docs, features, settings, model)}))
    results = score_held_out(model, held)
    for part, result in results.items():
        per_type = " ".join(f"{k} {v['f1']:.3f}" for k, v in result.items() if k not in ("docs", "all"))
        a = result["all"]
        print(f"{part:12} docs {result['docs']:4d}  F1 {a['f1']:.4f} (P {a['p']:.3f} R {a['r']:.3f})  {per_type}")


if __name__ == "__main__":
    main()
