"""Topics of articles and meetings, matched on lemmas against the taxonomy in
newsgraph/data/topics.yaml (plus the user's file named by $NEWSGRAPH_TOPICS).

A term is a sequence of word keys: the lemma of each word, except that words
written in capitals (ППО, ПРО, РЕБ, F-16) must be capitals in the text too,
so that the abbreviation ПРО does not match the preposition "про". Terms are
matched longest first and do not overlap.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from newsgraph.morph import WORD, lemma

TAXONOMY = Path(__file__).resolve().parents[1] / "data" / "topics.yaml"
THRESHOLD = 1.0
WEAK = 0.5


def word_key(word: str, lang: str) -> str:
    """How one word is compared: its lemma, or the word itself marked "^"
    when it is an abbreviation in capitals."""
    if len(word) >= 2 and word.isupper():
        return "^" + word
    return lemma(word, lang)


@dataclass(frozen=True)
class Topic:
    id: str
    label: dict[str, str]


@dataclass(frozen=True)
class Index:
    topics: dict[str, Topic]
    # language -> first key -> [(keys, topic id, weight)], longest first
    terms: dict[str, dict[str, list[tuple[tuple[str, ...], str, float]]]]


def _read(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get("topics", []) if isinstance(data, dict) else data


def _merge(entries: list[dict]) -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for entry in entries:
        topic = merged.setdefault(entry["id"], {"id": entry["id"], "label": {}, "terms": {}, "weak": {}})
        topic["label"].update(entry.get("label") or {})
        for field in ("terms", "weak"):
            for lang, words in (entry.get(field) or {}).items():
                topic[field].setdefault(lang, []).extend(words or [])
    return merged


@cache
def taxonomy(extra: str | None = None) -> Index:
    """The built-in taxonomy, extended by the YAML file at `extra`."""
    entries = _read(TAXONOMY)
    if extra:
        entries += _read(Path(extra))
    merged = _merge(entries)
    terms: dict[str, dict[str, list]] = {lang: {} for lang in ("uk", "ru", "en")}
    for topic in merged.values():
        for field, weight in (("terms", 1.0), ("weak", WEAK)):
            for term_lang, words in topic[field].items():
                for word in words:
                    word = str(word)
                    # A Latin-script term matches in every language; a
                    # Cyrillic one in its own language.
                    targets = ("uk", "ru", "en") if word.isascii() else (term_lang,)
                    for lang in targets:
                        if lang not in terms:
                            continue
                        keys = tuple(word_key(w, lang) for w in WORD.findall(word))
                        if keys:
                            terms[lang].setdefault(keys[0], []).append((keys, topic["id"], weight))
    for per_lang in terms.values():
        for key, items in per_lang.items():
            # Longest first; one entry per (keys, topic).
            unique = {(k, t): w for k, t, w in items}
            per_lang[key] = sorted(((k, t, w) for (k, t), w in unique.items()), key=lambda x: -len(x[0]))
    topics = {tid: Topic(tid, dict(t["label"])) for tid, t in merged.items()}
    return Index(topics, terms)


def current() -> Index:
    return taxonomy(os.environ.get("NEWSGRAPH_TOPICS") or None)


def keys_of(words: list[str], lemmas: list[str], lang: str) -> list[str]:
    """Word keys of an analysed text (lemmas already computed)."""
    return ["^" + w if len(w) >= 2 and w.isupper() else l for w, l in zip(words, lemmas)]


def score(keys: list[str], lang: str, ranges: list[tuple[int, int]] | None = None, index: Index | None = None) -> Counter:
    """Topic id -> score over the word keys in `ranges` (all when None).
    Punctuation keys break multiword terms."""
    index = index or current()
    table = index.terms.get(lang if lang in index.terms else "en", {})
    result: Counter = Counter()
    for a, b in ranges or [(0, len(keys))]:
        i = a
        while i < b:
            candidates = table.get(keys[i])
            step = 1
            if candidates:
                for term, topic, weight in candidates:
                    n = len(term)
                    if i + n <= b and tuple(keys[i : i + n]) == term:
                        result[topic] += weight
                        step = n
                        break
            i += step
    return result


def topics_from(scores: Counter, threshold: float = THRESHOLD) -> list[str]:
    """Topic ids reaching the threshold, highest score first."""
    return [t for t, s in sorted(scores.items(), key=lambda x: (-x[1], x[0])) if s >= threshold]


def text_topics(text: str, lang: str, threshold: float = THRESHOLD) -> list[str]:
    """Topics of a plain text (for callers outside the pipeline)."""
    words = WORD.findall(text)
    keys = [word_key(w, lang) for w in words]
    return topics_from(score(keys, lang), threshold)


def label(topic_id: str, lang: str = "en") -> str:
    topic = current().topics.get(topic_id)
    if topic is None:
        return topic_id
    return topic.label.get(lang) or topic.label.get("en") or topic_id
