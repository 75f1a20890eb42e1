"""Build newsgraph/data/readers/cyrillic_bigrams.json: letter-bigram
log-frequencies of Ukrainian and Russian news text, which `decode` uses to
tell cp1251 from koi8-r/koi8-u (and from cp866, iso-8859-5) on texts too
short for charset-normalizer.

Trained on the SlavicNER training split only (../shared/data/slavicner,
SPLIT_single_out_topic_train.txt):

    python -m newsgraph.readers.build_cyrillic_bigrams [--data ../shared/data]

`--evaluate` instead measures `decode` on held-out text (the test split):
snippets of 1, 3, 8 and 30 words encoded in cp1251, koi8-u and koi8-r, the
share decoded exactly right, next to charset-normalizer's on the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
from collections import Counter
from pathlib import Path

from newsgraph.readers.decode import BIGRAMS_PATH, CYRILLIC_ALPHABET, decode

WORD = re.compile(f"[{CYRILLIC_ALPHABET}]+")


def count_bigrams(texts) -> Counter:
    counts: Counter = Counter()
    for text in texts:
        for word in WORD.findall(text.lower()):
            padded = f"_{word}_"  # "_" marks a word boundary: "ь" never starts a word
            counts.update(padded[i : i + 2] for i in range(len(padded) - 1))
    return counts


def log_frequencies(counts: Counter, min_count: int = 2) -> dict[str, float]:
    total = sum(counts.values())
    return {bigram: round(math.log(n / total), 2) for bigram, n in sorted(counts.items()) if n >= min_count}


def evaluate(root: Path, lengths=(1, 3, 8, 30), seed: int = 0) -> dict[tuple[int, str], tuple[int, int, int]]:
    """(words, encoding) -> (ours right, charset-normalizer right, snippets)."""
    from charset_normalizer import from_bytes

    rng = random.Random(seed)
    names = (root / "SPLIT_single_out_topic_test.txt").read_text(encoding="utf-8").split()
    results: dict[tuple[int, str], list[int]] = {}
    for name in names:
        words = Path(root, name).read_text(encoding="utf-8").split()
        for n in lengths:
            if len(words) <= n:
                continue
            start = rng.randrange(len(words) - n)
            snippet = " ".join(words[start : start + n])
            for encoding in ("cp1251", "koi8_u", "koi8_r"):
                try:
                    data = snippet.encode(encoding)
                except UnicodeEncodeError:  # koi8-r has no і, ї, є, ґ
                    continue
                if data.isascii():
                    continue
                theirs = from_bytes(data, cp_isolation=["cp1251", "koi8_u", "koi8_r", "cp1252"]).best()
                tally = results.setdefault((n, encoding), [0, 0, 0])
                tally[0] += decode(data) == snippet
                tally[1] += theirs is not None and str(theirs) == snippet
                tally[2] += 1
    return {key: tuple(value) for key, value in sorted(results.items())}


def main() -> None:
    from newsgraph.corpora import data_dir

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="the shared data folder (default: ../shared/data or $NEWSGRAPH_DATA)")
    parser.add_argument("--evaluate", action="store_true", help="measure decode() on the test split instead")
    args = parser.parse_args()
    root = data_dir(args.data) / "slavicner"
    if args.evaluate:
        print("words  encoding  decode  charset-normalizer  (share decoded exactly right)")
        for (n, encoding), (ours, theirs, total) in evaluate(root).items():
            print(f"{n:5d}  {encoding:8s}  {ours / total:.3f}   {theirs / total:.3f}   of {total}")
        return
    names = (root / "SPLIT_single_out_topic_train.txt").read_text(encoding="utf-8").split()
    texts = (Path(root, name).read_text(encoding="utf-8") for name in names)
    counts = count_bigrams(texts)
    logp = log_frequencies(counts)
    floor = round(min(logp.values()) - 2.0, 2)  # an unseen bigram is rarer than any seen one
    BIGRAMS_PATH.parent.mkdir(parents=True, exist_ok=True)
    BIGRAMS_PATH.write_text(
        json.dumps({"source": "SlavicNER SPLIT_single_out_topic_train (uk+ru)", "floor": floor, "logp": logp},
                   ensure_ascii=False, indent=0) + "\n",
        encoding="utf-8",
    )
    print(f"{len(logp)} bigrams from {len(names)} documents -> {BIGRAMS_PATH}")


if __name__ == "__main__":
    main()
