"""The line classifier: a linear-chain CRF over the lines of a document that
labels each line "title", "keep" (body text) or "noise" (page debris).

The CRF sees the features of newsgraph.clean.features; its transition weights
carry what a single-line classifier cannot ("once the headline list has
started, the rest is debris"). The model is trained by
`python -m newsgraph.train.lines` and loaded once per process (and thread).
"""

from __future__ import annotations

import threading
from pathlib import Path

from newsgraph.clean import features, resources

MODEL = resources.MODELS / "lines.crfsuite"
TITLE, KEEP, NOISE = "title", "keep", "noise"


_local = threading.local()


def _tagger(path: Path = MODEL):
    """The model, loaded once per process and thread: a crfsuite tagger holds
    the sequence it is labelling, so threads must not share one."""
    taggers = _local.__dict__.setdefault("taggers", {})
    if path not in taggers:
        import pycrfsuite

        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `python -m newsgraph.train.lines --data ../shared/data`")
        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        taggers[path] = tagger
    return taggers[path]


def label(lines: list[str], model: Path = MODEL) -> list[str]:
    """"title"/"keep"/"noise" for each normalised, non-empty line of one
    document (`model`: another trained model, for training-time checks)."""
    if not lines:
        return []
    return list(_tagger(model).tag(features.document(lines)))


def label_with_title(lines: list[str], window: int) -> tuple[list[str], list[float]]:
    """Labels, and the probability that each of the first `window` lines is
    the title (the CRF's marginal), so that a title the best labelling calls
    debris can still be found."""
    if not lines:
        return [], []
    tagger = _tagger(MODEL)
    tagger.set(features.document(lines))
    labels = list(tagger.tag())
    scores = [tagger.marginal(TITLE, i) for i in range(min(window, len(lines)))]
    return labels, scores


def keep_mask(raw_lines: list[str], model: Path = MODEL) -> list[bool]:
    """Whether to keep each raw line (title or body); blank lines are never
    kept. This is what the evaluation scores: one decision per input line."""
    texts = [features.normalise(line) for line in raw_lines]
    present = [i for i, t in enumerate(texts) if t]
    labels = label([texts[i] for i in present], model)
    mask = [False] * len(raw_lines)
    for i, tag in zip(present, labels):
        mask[i] = tag != NOISE
    return mask
