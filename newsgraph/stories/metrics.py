"""Agreement between clusterings: B-cubed against gold labels, pairwise F1
and the adjusted Rand index between two clusterings of the same items."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `predicted` clusters against `gold` labels."""
    items = [i for i in predicted if i in gold]
    if not items:
        return 0.0, 0.0, 0.0
    pair = Counter((predicted[i], gold[i]) for i in items)
    size_pred = Counter(predicted[i] for i in items)
    size_gold = Counter(gold[i] for i in items)
    precision = sum(pair[predicted[i], gold[i]] / size_pred[predicted[i]] for i in items) / len(items)
    recall = sum(pair[predicted[i], gold[i]] / size_gold[gold[i]] for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _pairs(counts: Counter) -> int:
    return sum(n * (n - 1) // 2 for n in counts.values())


def pairwise(a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]) -> tuple[float, float, float]:
    """Precision, recall and F1 of the same-cluster pairs of `a` against those of `b`."""
    items = [i for i in a if i in b]
    both = _pairs(Counter((a[i], b[i]) for i in items))
    pairs_a = _pairs(Counter(a[i] for i in items))
    pairs_b = _pairs(Counter(b[i] for i in items))
    precision = both / pairs_a if pairs_a else 1.0
    recall = both / pairs_b if pairs_b else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand(a: Mapping[Hashable, Hashable], b: Mapping[Hashable, Hashable]) -> float:
    items = [i for i in a if i in b]
    n = len(items)
    if n < 2:
        return 1.0
    both = _pairs(Counter((a[i], b[i]) for i in items))
    pairs_a = _pairs(Counter(a[i] for i in items))
    pairs_b = _pairs(Counter(b[i] for i in items))
    total = n * (n - 1) // 2
    expected = pairs_a * pairs_b / total
    maximum = (pairs_a + pairs_b) / 2
    if maximum == expected:
        return 1.0
    return (both - expected) / (maximum - expected)
