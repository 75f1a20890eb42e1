"""Lemma accuracy and cross-document, cross-lingual linking on SlavicNER.

    python -m newsgraph.evaluate.linking --data ../shared/data
    python -m newsgraph.evaluate.linking --data ../shared/data --split single_out_topic_train

Lemmas: the share of mentions whose lemma (given by `link`, `lemmatize_article`) equals
the gold lemma exactly (also case-insensitively), by language and type.

Linking: every document's mentions go through `link`; each document's
mentions are collapsed to (document, gold id, our id) units, and over all
pairs of units from different documents precision is the share of pairs we
gave one id that share a gold id, recall the share of pairs sharing a gold
id that we gave one id. Pairs are counted by grouping, never enumerated.
"cross-lingual" restricts the pairs to documents in different languages.

`spans` is "gold" (gold spans and types, our lemmas) or a function from a
`newsgraph.corpora.slavicner.Document` to the `Mention`s a recogniser found
in it (`recognised_spans(recognize)` adapts a NER function; on the command
line `--spans ner`). With predicted spans, lemma accuracy is measured on the
correctly found mentions, those whose span and type match a gold mention
exactly (as strict NER scoring counts them), and linking on those mentions
too (their gold ids are known). `link` still sees every predicted mention,
false ones included, as it would in production.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from newsgraph.corpora import data_dir
from newsgraph.corpora.slavicner import Document, load_split
from newsgraph.entities.link import link
from newsgraph.model import Mention

Spans = Callable[[Document], list[Mention]]


def gold_spans(document: Document) -> list[Mention]:
    """The gold mentions with gold types; `link` gives them our lemmas."""
    return [Mention(m.text, m.start, m.end, "", m.type) for m in document.mentions]


def recognised_spans(recognize: Callable[[str, str], list[tuple[int, int, str]]]) -> Spans:
    """Spans from a recogniser `recognize(text, language) -> [(start, end,
    TYPE)]` (newsgraph.entities.ner.recognize), lemmas left to `link`."""

    def spans(document: Document) -> list[Mention]:
        return [
            Mention(document.text[a:b], a, b, "", kind) for a, b, kind in recognize(document.text, document.language)
        ]

    return spans


def evaluate(
    data: str | Path | None = None, spans: str | Spans = "gold", split: str = "single_out_topic_test", kb=None
) -> dict:
    root = data_dir(data) / "slavicner"
    documents = load_split(root, split)
    found_spans = gold_spans if spans == "gold" else spans
    lemma_hits: Counter = Counter()
    lemma_hits_ci: Counter = Counter()
    totals: Counter = Counter()
    units: set[tuple[str, str, str, str]] = set()  # (document, language, gold id, our id)
    found_total = 0
    started = time.perf_counter()
    for document in documents:
        gold = {(m.start, m.end): m for m in document.mentions}
        mentions = found_spans(document)
        found_total += len(mentions)
        for entity in link(mentions, document.language, kb=kb):
            for mention in entity.mentions:
                truth = gold.get((mention.start, mention.end))
                if truth is None or (spans != "gold" and mention.type != truth.type):
                    continue  # not correctly found: no gold mention has this span and type
                units.add((document.doc_id, document.language, truth.id, entity.id))
                for key in ("all", document.language, truth.type, f"{document.language} {truth.type}"):
                    totals[key] += 1
                    lemma_hits[key] += mention.lemma == truth.lemma
                    lemma_hits_ci[key] += mention.lemma.casefold() == truth.lemma.casefold()
    seconds = time.perf_counter() - started
    gold_total = sum(len(d.mentions) for d in documents)
    return {
        "split": split,
        "spans": "gold" if spans == "gold" else "predicted",
        "documents": len(documents),
        "gold_mentions": gold_total,
        "found_mentions": found_total,
        "matched_mentions": totals["all"],
        "seconds": round(seconds, 3),
        "lemma": {
            key: {
                "n": totals[key],
                "accuracy": lemma_hits[key] / totals[key],
                "accuracy_ci": lemma_hits_ci[key] / totals[key],
            }
            for key in sorted(totals, key=lambda k: (k != "all", " " in k, k))
        },
        "linking": pairwise(units),
        "linking_cross_lingual": pairwise(units, cross_lingual=True),
    }


def pairwise(units: Iterable[tuple[str, str, str, str]], cross_lingual: bool = False) -> dict:
    """Pairwise precision/recall/F1 over pairs of (document, language, gold,
    ours) units from different documents (or languages)."""
    units = list(units)
    part = 1 if cross_lingual else 0  # pairs must differ in the document or in the language
    predicted = _pairs(((u[3],), u[part]) for u in units)
    true = _pairs(((u[2],), u[part]) for u in units)
    both = _pairs(((u[2], u[3]), u[part]) for u in units)
    precision = both / predicted if predicted else 0.0
    recall = both / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "pairs_predicted": predicted,
        "pairs_gold": true,
        "units": len(units),
    }


def _pairs(items: Iterable[tuple[tuple, str]]) -> int:
    """Unordered pairs of items with one label and different parts (documents):
    per label, (n^2 - sum of n_part^2) / 2."""
    counts: dict[tuple, Counter] = defaultdict(Counter)
    for label, part in items:
        counts[label][part] += 1
    total = 0
    for by_part in counts.values():
        n = sum(by_part.values())
        total += (n * n - sum(c * c for c in by_part.values())) // 2
    return total


def report(result: dict) -> str:
    head = (
        f"SlavicNER {result['split']}: {result['documents']} documents, {result['gold_mentions']} gold mentions "
        f"({result['spans']} spans, {result['matched_mentions']} evaluated), {result['seconds']} s"
    )
    lines = [head, "lemma accuracy (exact / case-insensitive):"]
    for key, value in result["lemma"].items():
        lines.append(f"  {key:10s} {value['n']:6d}  {value['accuracy']:.4f} / {value['accuracy_ci']:.4f}")
    for name in ("linking", "linking_cross_lingual"):
        value = result[name]
        lines.append(
            f"{name.replace('_', ' ')}: P {value['precision']:.4f}  R {value['recall']:.4f}  F1 {value['f1']:.4f}"
            f"  ({value['units']} units, {value['pairs_gold']} gold pairs, {value['pairs_predicted']} predicted pairs)"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--data", default=None, help="the shared data folder (default: ../shared/data or $NEWSGRAPH_DATA)"
    )
    parser.add_argument("--split", default="single_out_topic_test")
    parser.add_argument(
        "--spans", choices=("gold", "ner"), default="gold", help="gold spans, or the spans newsgraph.entities.ner finds"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args()
    spans: str | Spans = "gold"
    if args.spans == "ner":
        from newsgraph.entities.ner import recognize

        spans = recognised_spans(recognize)
    result = evaluate(args.data, spans=spans, split=args.split)
    print(json.dumps(result, indent=2, ensure_ascii=False) if args.json else report(result))


if __name__ == "__main__":
    main()
