"""Token features for the CRF entity recogniser.

A token is described by what it is (lower-cased form, lemma, shape, affixes,
morphology from pymorphy3, word-cluster ids, cue-word classes, place
gazetteer) and by the same of its neighbours. Everything that depends only
on the word form is cached per form, because the same words repeat across a
batch of news pages; only the positional part is built per token.

The same extractor serves training and recognition, so a model and its
feature set can never drift apart: the model file stores the feature groups
it was trained with (`FeatureSet`), and `recognize` passes them back here.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from newsgraph.morph import parse as parse_word

DATA = Path(__file__).resolve().parents[1] / "data" / "ner"

OPEN_QUOTES = {"«", "„", "“"}
CLOSE_QUOTES = {"»", "“", "”"}
PLAIN_QUOTES = {'"', "'"}
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Abbr", "Trad"})
LANGUAGES_WITH_MORPHOLOGY = ("uk", "ru")


@dataclass(frozen=True)
class FeatureSet:
    """Which feature groups are on; stored with the model."""

    morphology: bool = True
    lemma: bool = True
    clusters: bool = True
    lemma_clusters: bool = True
    cues: bool = True
    gazetteer: bool = True
    quotes: bool = True
    document: bool = True  # how the same lemma is written elsewhere in the document
    lexical: bool = True  # word forms and affixes; off for the delexicalised (cross-lingual) model
    window: int = 2

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> FeatureSet:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


# --------------------------------------------------------------- resources


def _morph(language: str):
    # The project's one analyser per language: a second copy costs load time and memory.
    from newsgraph.morph import analyzer

    return analyzer(language)


@cache
def clusters(name: str = "clusters") -> dict[str, tuple[str, ...]]:
    """word (or lemma, for name="lemma_clusters") -> cluster ids at several
    granularities, coarse to fine."""
    path = DATA / f"{name}.tsv.gz"
    table: dict[str, tuple[str, ...]] = {}
    if not path.exists():
        return table
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            word, *ids = line.rstrip("\n").split("\t")
            table[word] = tuple(ids)
    return table


@cache
def cue_classes() -> dict[str, str]:
    """lemma -> cue class (person_title, org_word, loc_word, loc_prep, event_word)."""
    data = yaml.safe_load((DATA / "cues.yaml").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for name, by_language in data.items():
        for words in by_language.values():
            for word in words:
                table.setdefault(str(word).lower(), name)
    return table


@cache
def places() -> dict[str, str]:
    """lower-cased lemma -> "full" (a one-word place name) or "part" (a word
    of a longer one). Built from pycountry by `newsgraph.train.ner`."""
    path = DATA / "places.tsv"
    table: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            word, _, kind = line.partition("\t")
            if word:
                table[word] = kind or "full"
    return table


# --------------------------------------------------------------- word level


def shape(word: str) -> str:
    """Character classes with runs collapsed: "Київ"->"Xx", "США"->"X",
    "COVID-19"->"X-d", "п'ятниця"->"x'x"."""
    out = []
    for ch in word:
        if ch.isupper():
            c = "X"
        elif ch.isalpha():
            c = "x"
        elif ch.isdigit():
            c = "d"
        else:
            c = ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)[:8]


def _script(word: str) -> str:
    latin = cyrillic = False
    for ch in word:
        if "a" <= ch.lower() <= "z":
            latin = True
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic = True
    if latin and cyrillic:
        return "mix"
    return "lat" if latin else "cyr" if cyrillic else "none"


@lru_cache(maxsize=300_000)
def morphology(word: str, language: str) -> tuple[str, tuple[str, ...]]:
    """(lemma, tags): the lemma of the best parse and a few grammatical tags,
    plus every proper-name tag found in any parse (a word that may be a
    surname is worth knowing about even when another parse wins)."""
    if language not in LANGUAGES_WITH_MORPHOLOGY or not any(ch.isalpha() for ch in word):
        return word.lower(), ()
    parses = parse_word(word, language)
    if not parses:
        return word.lower(), ()
    best = parses[0]
    tags = []
    tag = best.tag
    if tag.POS:
        tags.append(f"pos={tag.POS}")
    if tag.case:
        tags.append(f"case={tag.case}")
    if tag.number:
        tags.append(f"num={tag.number}")
    if "LATN" in tag.grammemes:
        tags.append("latn")
    names: set[str] = set()
    for parse in parses[:6]:
        names.update(NAME_TAGS.intersection(parse.tag.grammemes))
    tags.extend(f"tag={name}" for name in sorted(names))
    if not _morph(language).word_is_known(word):
        tags.append("unknown")
    return best.normal_form.replace("ё", "е"), tuple(tags)


@lru_cache(maxsize=300_000)
def word_features(word: str, language: str, features: FeatureSet) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(own, context): features of a word form when it is the current token,
    and the smaller set it contributes as a neighbour."""
    lower = word.lower()
    sh = shape(word)
    own = [f"sh={sh}", f"scr={_script(word)}"]
    context = [f"sh={sh}"]
    if len(word) == 1:
        own.append("len1")
    if features.lexical:
        own.append(f"w={lower}")
        context.append(f"w={lower}")
        for n in (1, 2, 3, 4):
            if len(lower) > n:
                own.append(f"s{n}={lower[-n:]}")
        for n in (2, 3):
            if len(lower) > n:
                own.append(f"p{n}={lower[:n]}")
    # The lemma is needed for cue words and the gazetteer even where the
    # morphological tags themselves are off (the delexicalised model).
    lemma, tags = morphology(word, language)
    if features.morphology:
        own.extend(tags)
        context.extend(t for t in tags if t.startswith(("pos=", "tag=", "case=")))
    if features.lemma and features.lexical:
        own.append(f"l={lemma}")
        context.append(f"l={lemma}")
    if features.clusters:
        ids = clusters().get(lower)
        if ids:
            own.extend(f"c{i}={cid}" for i, cid in enumerate(ids))
            context.extend(f"c{i}={cid}" for i, cid in enumerate(ids[:2]))
        else:
            own.append("c=none")
    if features.lemma_clusters:
        ids = clusters("lemma_clusters").get(lemma.lower())
        if ids:
            own.extend(f"k{i}={cid}" for i, cid in enumerate(ids))
            context.extend(f"k{i}={cid}" for i, cid in enumerate(ids[:2]))
        else:
            own.append("k=none")
    if features.cues:
        cue = cue_classes().get(lemma) or cue_classes().get(lower)
        if cue:
            own.append(f"cue={cue}")
            context.append(f"cue={cue}")
    if features.gazetteer and word[:1].isupper():
        place = places().get(lemma) or places().get(lower)
        if place:
            own.append(f"gaz={place}")
            context.append(f"gaz={place}")
    return tuple(own), tuple(context)


# --------------------------------------------------------------- sentence level


def _quote_flags(words: Sequence[str]) -> list[bool]:
    """True for tokens inside quotation marks (organisation and product
    names are often quoted: ТОВ «Укргеоекологія», "Північний потік-2")."""
    inside = []
    depth = 0
    plain_open = False
    for word in words:
        if word in OPEN_QUOTES and not (word == "“" and depth > 0):
            inside.append(False)
            depth += 1
            continue
        if word in CLOSE_QUOTES and depth > 0:
            depth -= 1
            inside.append(False)
            continue
        if word in PLAIN_QUOTES and word == '"':
            plain_open = not plain_open
            inside.append(False)
            continue
        inside.append(depth > 0 or plain_open)
    return inside


def document_info(sentences: Sequence[Sequence[str]], language: str) -> dict[str, str]:
    """lemma -> "cap", "low" or "both": how the lemma is written inside
    sentences across the document. A sentence-initial capital says nothing,
    but "Сікорський" written with a capital mid-sentence elsewhere is a
    name wherever it stands, and a word also written in lower case is
    usually not one."""
    seen: dict[str, set[str]] = {}
    for words in sentences:
        for i, word in enumerate(words):
            if not word[:1].isalpha():
                continue
            if word[0].isupper():
                if i == 0 or not words[i - 1][:1].isalnum() and i == 1:
                    continue
                kind = "cap"
            else:
                kind = "low"
            seen.setdefault(morphology(word, language)[0], set()).add(kind)
    return {lemma: "both" if len(kinds) == 2 else next(iter(kinds)) for lemma, kinds in seen.items()}


@lru_cache(maxsize=300_000)
def word_block(word: str, language: str, features: FeatureSet) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """The word's own features (with the bias "b") and, per window offset,
    the neighbour features it lends, already prefixed: building these
    strings once per word form instead of once per token is most of the
    speed of feature extraction."""
    own, context = word_features(word, language, features)
    lent = {}
    for offset in range(-features.window, features.window + 1):
        if offset:
            ctx = context if abs(offset) == 1 else context[:2]
            lent[offset] = tuple(f"{offset}{f}" for f in ctx)
    return ("b", *own), lent


def positional_features(
    words: Sequence[str], language: str, features: FeatureSet, document: dict[str, str] | None = None
) -> list[list[str]]:
    """Per token, the features that depend on its place rather than on the
    word form alone: sentence edges, padding, quotes, document-level
    spelling, and the word bigram."""
    n = len(words)
    quoted = _quote_flags(words) if features.quotes else [False] * n
    offsets = [o for o in range(-features.window, features.window + 1) if o]
    result = []
    for i, word in enumerate(words):
        feats = []
        if i == 0 or (i == 1 and not words[0][:1].isalnum()):
            feats.append("first")
        if i == n - 1:
            feats.append("last")
        if document is not None and features.document and word[:1].isupper():
            written = document.get(morphology(word, language)[0])
            if written:
                feats.append(f"doc={written}")
        if quoted[i]:
            feats.append("inq")
            if i > 0 and not quoted[i - 1]:
                feats.append("qstart")
            if i + 1 < n and not quoted[i + 1]:
                feats.append("qend")
        feats.extend(f"{offset}pad" for offset in offsets if not 0 <= i + offset < n)
        if features.lexical:
            prev = words[i - 1].lower() if i > 0 else "<s>"
            feats.append(f"bi={prev}|{word.lower()}")
        result.append(feats)
    return result


def sentence_features(
    words: Sequence[str], language: str, features: FeatureSet, document: dict[str, str] | None = None
) -> list[list[str]]:
    """One feature list per token of a sentence (for training); `document`
    is `document_info` of the whole text, when features.document is on."""
    n = len(words)
    blocks = [word_block(w, language, features) for w in words]
    result = positional_features(words, language, features, document)
    for j, (own, lent_by_offset) in enumerate(blocks):
        result[j].extend(own)
        for offset, lent in lent_by_offset.items():
            if 0 <= j - offset < n:
                result[j - offset].extend(lent)  # word j is token (j - offset)'s neighbour at `offset`
    return result
