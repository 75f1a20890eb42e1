"""The entity figures of the issue in one table (`newsgraph eval entities`).

    python -m newsgraph.evaluate.entities --data ../shared/data

The spans scored are those the entity stage links
(`newsgraph.entities.entity_spans`: the NER's plus repeated surnames it
missed). First the per-benchmark NER table (`newsgraph.evaluate.ner`), then
lemma accuracy and linking on SlavicNER's unseen test topic
(us_election_2020) computed on the mentions the stage found correctly, span
and type (`newsgraph.evaluate.linking` with `recognised_spans`), and
last a summary of every figure the issue asks for next to its target. The
same lemma and linking figures with gold spans are printed for reference.
"""

from __future__ import annotations

import argparse

from newsgraph.corpora import DataMissing
from newsgraph.evaluate import linking, ner

TARGETS = {
    "ner_uk": 0.84,
    "slavicner_ner": 0.78,
    "lemma": 0.93,
    "linking": 0.80,
}


def evaluate(data: str | None = None) -> dict:
    from newsgraph.entities import entity_spans

    return {
        "ner": ner.evaluate(data, entity_spans),
        "found": linking.evaluate(data, spans=linking.recognised_spans(entity_spans)),
        "gold": linking.evaluate(data, spans="gold"),
    }


def _mark(value: float, target: float) -> str:
    return "met" if value >= target else "missed"


def summary(results: dict) -> str:
    scores, found, gold = results["ner"], results["found"], results["gold"]
    per_type = scores["slavicner test uk+ru"]
    fact = scores["factrueval test"]
    rows = [
        ("NER-UK 2.0 TEST, PER/LOC/ORG strict F1", scores["ner-uk test"]["all"]["f1"], TARGETS["ner_uk"]),
        ("SlavicNER us_election_2020 (uk+ru), 5 types strict F1", per_type["all"]["f1"], TARGETS["slavicner_ner"]),
        (
            f"  lemma accuracy, {found['matched_mentions']} correctly found mentions",
            found["lemma"]["all"]["accuracy"],
            TARGETS["lemma"],
        ),
        ("  cross-document linking pairwise F1, correctly found mentions", found["linking"]["f1"], TARGETS["linking"]),
    ]
    lines = ["", "summary (test splits only):", f"{'figure':64} {'value':>6}  target"]
    for name, value, target in rows:
        lines.append(f"{name:64} {value:6.3f}  >= {target:.2f} {_mark(value, target)}")
    lines += [
        f"{'    of which cross-lingual pairs only':64} {found['linking_cross_lingual']['f1']:6.3f}",
        f"{'    per type F1 PER/LOC/ORG/EVT/PRO':64} "
        + " / ".join(f"{per_type[k]['f1']:.3f}" for k in ner.ALL_TYPES),
        f"{'FactRuEval-2016 testset F1 PER/LOC/ORG':64} "
        + " / ".join(f"{fact[k]['f1']:.3f}" for k in ("PER", "LOC", "ORG"))
        + "  (slovnet .959/.915/.825, official metric)",
        f"{'with gold spans: lemma accuracy / linking F1':64} "
        f"{gold['lemma']['all']['accuracy']:.3f} / {gold['linking']['f1']:.3f}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default: ../shared/data or $NEWSGRAPH_DATA)")
    args = parser.parse_args(argv)
    try:
        results = evaluate(args.data)
    except DataMissing as exc:
        raise SystemExit(str(exc)) from exc
    print(ner.format_table(results["ner"]))
    print()
    print("lemmas and linking on the mentions our NER found correctly (span and type):")
    print(linking.report(results["found"]))
    print(summary(results))


if __name__ == "__main__":
    main()
