"""Train the CRF entity recogniser from the training parts of the shared corpora.

    python -m newsgraph.train.ner --data ../shared/data [--clusters]

trains two linear-chain CRFs with python-crfsuite (L-BFGS, L1 + L2) and
exports them as numpy arrays, which is all `recognize` loads:

  * newsgraph/models/ner.npz    - uk/ru: every feature group;
  * newsgraph/models/ner-x.npz  - delexicalised, for languages without
    training data (English): shape, position, quotes, cue classes, gazetteer;
  * newsgraph/models/ner.json   - feature sets, settings, corpus sizes.

It also rebuilds the place gazetteer newsgraph/data/ner/places.tsv from
pycountry. With `--clusters` it first rebuilds the word clusters
newsgraph/data/ner/{clusters,lemma_clusters}.tsv.gz: word2vec over the
unlabelled text of the training parts, then k-means; this needs gensim, a
training-only dependency (the shipped tables are plain TSV).

Training data (training parts only, never test):
  * NER-UK 2.0 DEV documents (PER/LOC/ORG),
  * SlavicNER single_out_topic_train (uk + ru, PER/LOC/ORG/EVT/PRO),
  * FactRuEval-2016 devset (PER/LOC/ORG),
  * NEREL train + dev (PER/LOC/ORG; sentences with NEREL's product-like and
    event types are left out, see IGNORE).
Everything is seeded or deterministic, so a rerun gives the same model.
Changes are validated on held-out training parts with
`python -m newsgraph.train.validate` before the shipped model is retrained.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from newsgraph.corpora import data_dir, factrueval, ner_uk, nerel, slavicner
from newsgraph.corpora.slavicner import Document
from newsgraph.entities.features import DATA, FeatureSet, document_info, sentence_features
from newsgraph.tokenize import sentence_token_spans, tokenize

MODELS = Path(__file__).resolve().parents[1] / "models"
SEED = 13
# Names of types that we do not tag but another corpus tags as PRO or EVT
# (NEREL's FACILITY "Северный поток", NER-UK's ART/DOC): a sentence holding
# one is left out of training rather than taught as "not a name".
IGNORE = "IGNORE"
NEREL_IGNORED = ("EVENT", "PRODUCT", "FACILITY", "WORK_OF_ART", "LAW", "AWARD")
NER_UK_IGNORED = ("ART", "DOC", "MISC")


@dataclass
class Settings:
    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 150
    corpora: tuple[str, ...] = ("ner_uk", "slavicner", "factrueval", "nerel")
    nerel_types: tuple[str, ...] = ("PER", "LOC", "ORG")
    ignore_ner_uk: bool = False
    # NER-UK documents are appended this many times (the only uk news corpus
    # of the four). A knob for `newsgraph.train.validate`: twice lost on the
    # held-out parts, NER-UK's own included, so once.
    ner_uk_repeat: int = 1


# The uk/ru model uses everything; the delexicalised one, for languages
# without training data (English), only what does not depend on the
# language's words: shape, position, quotes, cue-word classes, gazetteer.
MAIN_FEATURES = FeatureSet()
CROSS_FEATURES = FeatureSet(lexical=False, lemma=False, clusters=False, lemma_clusters=False, morphology=False)


# --------------------------------------------------------------- data


def training_documents(
    data: Path, corpora: Iterable[str], nerel_types: Iterable[str] = ("PER", "LOC", "ORG"), ignore_ner_uk: bool = False
) -> dict[str, list[Document]]:
    """The training parts of each corpus, by corpus name."""
    docs: dict[str, list[Document]] = {}
    corpora = set(corpora)
    if "ner_uk" in corpora:
        types = dict(ner_uk.TYPES)
        if ignore_ner_uk:
            types.update(dict.fromkeys(NER_UK_IGNORED, IGNORE))
        docs["ner_uk"] = ner_uk.load_split(ner_uk.corpus_root(data), "DEV", types)
    if "slavicner" in corpora:
        docs["slavicner"] = slavicner.load_split(data / "slavicner", "single_out_topic_train")
    if "factrueval" in corpora:
        docs["factrueval"] = factrueval.load_split(factrueval.corpus_root(data), "devset")
    if "nerel" in corpora:
        keep = set(nerel_types)
        types = {k: v for k, v in nerel.TYPES.items() if v in keep}
        types.update({k: IGNORE for k in NEREL_IGNORED if k not in types})
        root = nerel.corpus_root(data)
        docs["nerel"] = [_named_only(doc) for split in ("train", "dev") for doc in nerel.load_split(root, split, types)]
    return docs


def _named_only(doc: Document) -> Document:
    """NEREL tags events and products written in lower case too ("выборы",
    "убийство"); the other corpora tag only names ("Олимпийских игр"), so
    when EVT or PRO are among `nerel_types`, a sentence with a lower-case
    one is left out of training. (Teaching NEREL's EVT names lost on the
    held-out parts: see the README.)"""
    for mention in doc.mentions:
        first = next((ch for ch in mention.text if ch.isalnum()), "")
        if mention.type in ("EVT", "PRO") and first.islower():
            mention.type = IGNORE
    return doc


def document_labels(doc: Document, tokens: list[tuple[str, int, int]]) -> list[str]:
    """BIO labels: a token overlapping a gold span belongs to it, which also
    snaps the few gold offsets that fall inside a token."""
    labels = ["O"] * len(tokens)
    j = 0
    mentions = sorted(doc.mentions, key=lambda m: (m.start, -m.end))
    for mention in mentions:
        while j < len(tokens) and tokens[j][2] <= mention.start:
            j += 1
        k = j
        first = True
        while k < len(tokens) and tokens[k][1] < mention.end:
            if labels[k] == "O":
                labels[k] = ("B-" if first else "I-") + mention.type
            first = False
            k += 1
    return labels


def document_sequences(doc: Document, features: FeatureSet) -> list[tuple[list[list[str]], list[str]]]:
    tokens = tokenize(doc.text)
    labels = document_labels(doc, tokens)
    bounds = sentence_token_spans(doc.text, tokens)
    sentences = [[t[0] for t in tokens[a:b]] for a, b in bounds]
    info = document_info(sentences, doc.language) if features.document else None
    return [
        (sentence_features(words, doc.language, features, info), labels[a:b])
        for words, (a, b) in zip(sentences, bounds)
        if not any(label.endswith(IGNORE) for label in labels[a:b])
    ]


def split_documents(docs: list[Document], fraction: float, seed: int = SEED) -> tuple[list[Document], list[Document]]:
    """A seeded (train, held-out) split of documents, for tuning."""
    order = sorted(docs, key=lambda d: d.doc_id)
    random.Random(seed).shuffle(order)
    cut = int(round(len(order) * fraction))
    return order[cut:], order[:cut]


# --------------------------------------------------------------- training


def weighted_documents(docs: dict[str, list[Document]], settings: Settings) -> list[Document]:
    """Every training document once, NER-UK's `settings.ner_uk_repeat` times."""
    out = []
    for name, group in docs.items():
        out.extend(group * (settings.ner_uk_repeat if name == "ner_uk" else 1))
    return out


def train_crf(docs: Iterable[Document], features: FeatureSet, settings: Settings, path: Path, verbose: bool = False) -> dict:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=verbose)
    n_sequences = n_tokens = 0
    for doc in docs:
        for xseq, yseq in document_sequences(doc, features):
            trainer.append(xseq, yseq)
            n_sequences += 1
            n_tokens += len(yseq)
    trainer.set_params(
        {
            "c1": settings.c1,
            "c2": settings.c2,
            "max_iterations": settings.max_iterations,
            "feature.possible_transitions": True,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    trainer.train(str(path))
    return {"sequences": n_sequences, "tokens": n_tokens, "seconds": round(time.perf_counter() - started, 1)}


def export_crf(crfsuite_path: Path, path: Path) -> dict:
    """The crfsuite model as numpy arrays (what `recognize` loads): labels,
    transitions (from x to), and one weight row per attribute with a
    non-zero weight. Attributes are sorted, so the file is reproducible."""
    import numpy as np
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(crfsuite_path))
    dump = tagger.info()
    labels = sorted(dump.labels, key=dump.labels.get)
    label_id = {label: i for i, label in enumerate(labels)}
    transitions = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), weight in dump.transitions.items():
        transitions[label_id[a], label_id[b]] = weight
    attributes = sorted({attr for attr, _ in dump.state_features})
    attr_id = {attr: i for i, attr in enumerate(attributes)}
    weights = np.zeros((len(attributes), len(labels)), dtype=np.float32)
    for (attr, label), weight in dump.state_features.items():
        weights[attr_id[attr], label_id[label]] = weight
    np.savez_compressed(path, labels=np.array(labels), transitions=transitions, weights=weights, attributes=np.array(attributes))
    return {"attributes": len(attributes), "labels": len(labels), "bytes": path.stat().st_size}


# --------------------------------------------------------------- resources


def build_places(path: Path = DATA / "places.tsv") -> int:
    """Country names (uk, ru, en) from pycountry's ISO 3166 translations,
    Ukrainian regions and places_extra.yaml, as lower-cased lemmas. Multi-word names add each word
    as a "part". Only a feature: the model still has to learn to trust it."""
    import gettext

    import pycountry

    from newsgraph.entities.features import morphology

    names: dict[str, set[str]] = {"en": set(), "uk": set(), "ru": set()}
    for language in ("uk", "ru"):
        countries = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        regions = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[language])
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                if hasattr(country, attr):
                    names[language].add(countries.gettext(getattr(country, attr)))
        for region in pycountry.subdivisions.get(country_code="UA"):
            names[language].add(regions.gettext(region.name))
    for country in pycountry.countries:
        for attr in ("name", "common_name"):
            if hasattr(country, attr):
                names["en"].add(getattr(country, attr))
    extra = yaml.safe_load((DATA / "places_extra.yaml").read_text(encoding="utf-8"))
    for language, found in extra.items():
        names[language].update(found)
    table: dict[str, str] = {}
    for language, found in names.items():
        for name in found:
            words = [w for w, _, _ in tokenize(name) if w[:1].isalpha()]
            words = [w for w in words if w[:1].isupper()]
            for word in words:
                lemma = morphology(word, language)[0]
                kind = "full" if len(words) == 1 else "part"
                for key in {lemma, word.lower()}:
                    if table.get(key) != "full":
                        table[key] = kind
    path.write_text("".join(f"{k}\t{v}\n" for k, v in sorted(table.items())), encoding="utf-8")
    return len(table)


# --------------------------------------------------------------- word clusters

CLUSTER_SIZES = (64, 256, 1024)


def unlabelled_texts(data: Path) -> Iterable[tuple[str, str]]:
    """(text, language) of the training parts only: no document of any test
    split (NER-UK TEST, SlavicNER test splits and the whole us_election_2020
    topic of bsnlp-raw, FactRuEval testset, NEREL test) is read."""
    held_out = set()
    for split in ("single_out_topic_test", "cross-topic_test"):
        held_out.update(slavicner.split_ids(data / "slavicner", split))
    for path in sorted((data / "slavicner" / "raw").rglob("*.txt")):
        doc_id = str(path.relative_to(data / "slavicner"))
        if doc_id not in held_out and "us_election_2020" not in doc_id:
            yield path.read_text(encoding="utf-8"), path.parts[-2]
    for path in sorted((data / "bsnlp-raw").glob("*/raw/*/*.txt")):
        if path.parts[-4] != "us_election_2020":
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            yield "\n".join(lines[4:]), path.parts[-2]  # lines 1-4: id, language, date, URL
    root = ner_uk.corpus_root(data)
    for doc in ner_uk.load_split(root, "DEV"):
        yield doc.text, "uk"
    for doc_id in factrueval.split_ids(factrueval.corpus_root(data), "devset"):
        yield (factrueval.corpus_root(data) / "devset" / f"{doc_id}.txt").read_text(encoding="utf-8"), "ru"
    for split in ("train", "dev"):
        for path in sorted((nerel.corpus_root(data) / split).glob("*.txt")):
            yield path.read_text(encoding="utf-8"), "ru"


def _stable_hash(text: str) -> int:
    # gensim seeds each word vector from hash(word); Python's str hash is
    # salted per process, so a fixed hash keeps training reproducible.
    return zlib.crc32(text.encode("utf-8"))


def _kmeans(vectors, k: int, seed: int, iterations: int = 25):
    import numpy as np

    rng = np.random.default_rng(seed)
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)].copy()
    assign = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        for a in range(0, len(vectors), 8192):  # chunks keep the distance matrix small
            assign[a : a + 8192] = np.argmax(vectors[a : a + 8192] @ centres.T, axis=1)
        for c in range(k):
            members = vectors[assign == c]
            if len(members):
                centre = members.mean(axis=0)
                centres[c] = centre / (np.linalg.norm(centre) + 1e-9)
    return assign


def build_clusters(data: Path, path: Path = DATA / "clusters.tsv.gz", min_count: int = 3, key: str = "word", window: int = 5) -> dict:
    """word2vec (skip-gram, one worker, fixed seed: reproducible) over the
    lower-cased tokens of `unlabelled_texts`, then spherical k-means at
    CLUSTER_SIZES granularities; writes word<TAB>id64<TAB>id256<TAB>id1024."""
    import gzip

    import numpy as np
    from gensim.models import Word2Vec

    from newsgraph.entities.features import morphology

    sentences = []
    for text, language in unlabelled_texts(data):
        tokens = tokenize(text)
        for a, b in sentence_token_spans(text, tokens):
            if key == "lemma":
                sentences.append([morphology(t[0], language)[0].lower() for t in tokens[a:b]])
            else:
                sentences.append([t[0].lower() for t in tokens[a:b]])
    model = Word2Vec(sentences, vector_size=100, window=window, min_count=min_count, sg=1, negative=10, epochs=8, workers=1, seed=SEED, hashfxn=_stable_hash)
    words = model.wv.index_to_key
    vectors = model.wv.vectors / (np.linalg.norm(model.wv.vectors, axis=1, keepdims=True) + 1e-9)
    columns = [_kmeans(vectors, k, SEED) for k in CLUSTER_SIZES]
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        for i, word in enumerate(words):
            handle.write(word + "\t" + "\t".join(str(col[i]) for col in columns) + "\n")
    return {"sentences": len(sentences), "tokens": sum(map(len, sentences)), "words": len(words), "file": str(path)}


# --------------------------------------------------------------- main


def train_all(data: Path, settings: Settings, out: Path = MODELS, verbose: bool = False) -> dict:
    """Train the main (uk/ru) and the delexicalised (other languages) models
    on every training document and write them to `out` as numpy files."""
    import tempfile

    started = time.perf_counter()
    build_places()
    docs = training_documents(data, settings.corpora, settings.nerel_types, settings.ignore_ner_uk)
    all_docs = weighted_documents(docs, settings)
    models = {
        "main": ("ner.npz", MAIN_FEATURES, ["uk", "ru"]),
        "cross": ("ner-x.npz", CROSS_FEATURES, ["*"]),
    }
    report: dict = {"corpora": {name: len(group) for name, group in docs.items()}}
    meta: dict = {"models": {}}
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (filename, features, languages) in models.items():
            crfsuite_path = Path(tmp) / f"{name}.crfsuite"
            report[name] = train_crf(all_docs, features, settings, crfsuite_path, verbose)
            report[name]["export"] = export_crf(crfsuite_path, out / filename)
            meta["models"][name] = {"file": filename, "features": features.to_dict(), "languages": languages}
    meta["settings"] = {"c1": settings.c1, "c2": settings.c2, "max_iterations": settings.max_iterations, "seed": SEED}
    meta["training"] = report
    meta["seconds"] = round(time.perf_counter() - started, 1)
    (out / "ner.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=None, help="the shared data folder (default ../shared/data)")
    parser.add_argument("--clusters", action="store_true", help="rebuild the word clusters first (needs gensim)")
    parser.add_argument("--c1", type=float, default=Settings.c1)
    parser.add_argument("--c2", type=float, default=Settings.c2)
    parser.add_argument("--iterations", type=int, default=Settings.max_iterations)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    data = data_dir(args.data)
    if args.clusters:
        print(build_clusters(data))
        print(build_clusters(data, DATA / "lemma_clusters.tsv.gz", key="lemma"))
    settings = Settings(c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    meta = train_all(data, settings, verbose=args.verbose)
    print(json.dumps(meta, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
