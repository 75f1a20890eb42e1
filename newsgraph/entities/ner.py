"""Statistical named-entity recognition for uk, ru and en news text.

`recognize(text, language)` returns (start, end, TYPE) character spans, TYPE
in PER, LOC, ORG, EVT, PRO. A linear-chain CRF tags BIO labels over the
shared tokenizer's tokens, sentence by sentence; features are in
`newsgraph.entities.features`. The CRFs are trained with python-crfsuite by
`python -m newsgraph.train.ner` and shipped as numpy arrays, decoded here
(`LinearChainCRF`), loaded once per process. Light repairs follow the
CRF: quotation marks are balanced inside spans, a person's one-word name
takes the type it has most often in the document, a genitive place or a
place adjective joins the organisation word next to it (`org_of_place`,
`org_of_adjective`), and two organisation names joined by a conjunction
are split (`split_coordinated`).

Ukrainian and Russian use the main model (word forms, lemmas, morphology,
word clusters). Other languages (English) have no training data here: they
use a delexicalised model trained on the same uk/ru data with only
language-independent features (shape, position, quotes, cue-word classes
that `cues.yaml` lists in English too, country gazetteer), so it finds
capitalised names and guesses their type from context. It is markedly
weaker than the main model.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import cache, lru_cache
from pathlib import Path

import yaml

from newsgraph.entities.features import DATA, FeatureSet, word_block, cue_classes, document_info, morphology, positional_features
from newsgraph.entities.features import places as features_places
from newsgraph.tokenize import sentence_token_spans, tokenize

MODELS = Path(__file__).resolve().parents[1] / "models"
TYPES = ("PER", "LOC", "ORG", "EVT", "PRO")
CONSISTENT_TYPES = ("PER",)  # see `consistent`
# Lower-case words that may stand inside an English (Latin-script) name.
NAME_CONNECTORS = frozenset({"of", "the", "and", "for", "de", "da", "di", "du", "del", "la", "le", "van", "von", "der", "den", "al", "bin", "ibn", "y"})

Span = tuple[int, int, str]


class ModelMissing(FileNotFoundError):
    """The NER model files are absent: run `python -m newsgraph.train.ner`."""


@cache
def _meta() -> dict:
    path = MODELS / "ner.json"
    if not path.exists():
        raise ModelMissing(f"{path} not found; train it with python -m newsgraph.train.ner")
    return json.loads(path.read_text(encoding="utf-8"))


class LinearChainCRF:
    """Viterbi decoding of a linear-chain CRF trained by python-crfsuite and
    exported to numpy (`newsgraph.train.ner.export_crf`): attribute weights
    per label and label-to-label transitions. Decoding in numpy lets the
    score of a word form's own and neighbour features be summed once per
    form and cached, and all sentences of a document be decoded together,
    which is several times faster than building feature strings for every
    token; the result is the same as crfsuite's tagger."""

    def __init__(self, path: Path, features: FeatureSet):
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            self.labels = [str(label) for label in data["labels"]]
            self.weights = data["weights"].astype(np.float32)
            self.transitions = data["transitions"].astype(np.float32)
            attributes = [str(a) for a in data["attributes"]]
        self.index = {attribute: i for i, attribute in enumerate(attributes)}
        self.features = features
        self.offsets = [o for o in range(-features.window, features.window + 1) if o]
        self._word_scores = lru_cache(maxsize=200_000)(self._scores_of_word)

    def _scores_of_word(self, word: str, language: str):
        """Rows: the word's own score, then what it lends to the token at
        each window offset (in `self.offsets` order)."""
        import numpy as np

        # Uncached: this result is cached instead, and word_block's own cache
        # (for training) would hold every word's feature strings a second time.
        own, lent = word_block.__wrapped__(word, language, self.features)
        groups = [own, *(lent[offset] for offset in self.offsets)]
        matrix = np.zeros((len(groups), len(self.labels)), dtype=np.float32)
        for k, attributes in enumerate(groups):
            rows = [row for row in map(self.index.get, attributes) if row is not None]
            if rows:
                matrix[k] = self.weights[rows].sum(axis=0)
        return matrix

    def emissions(self, sentences: list[list[str]], language: str, document: dict[str, str] | None) -> "np.ndarray":
        """Label scores for every token of the document, sentences concatenated."""
        import numpy as np

        words = [w for sentence in sentences for w in sentence]
        n = len(words)
        scored = np.stack([self._word_scores(w, language) for w in words])
        emit = scored[:, 0].copy()
        sentence_id = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
        for k, offset in enumerate(self.offsets, start=1):
            # token i takes what word i + offset lends, within its sentence
            if offset > 0:
                same = sentence_id[: n - offset] == sentence_id[offset:]
                emit[: n - offset] += scored[offset:, k] * same[:, None]
            else:
                same = sentence_id[-offset:] == sentence_id[: n + offset]
                emit[-offset:] += scored[: n + offset, k] * same[:, None]
        tokens, rows = [], []
        i = 0
        for sentence in sentences:
            for feats in positional_features(sentence, language, self.features, document):
                for attribute in feats:
                    row = self.index.get(attribute)
                    if row is not None:
                        tokens.append(i)
                        rows.append(row)
                i += 1
        if rows:
            np.add.at(emit, np.array(tokens), self.weights[np.array(rows)])
        return emit

    def decode(self, sentences: list[list[str]], language: str, document: dict[str, str] | None) -> list[str]:
        """Labels for all sentences, Viterbi-decoded as one padded batch."""
        import numpy as np

        sentences = [words for words in sentences if words]
        if not sentences:
            return []
        lengths = [len(words) for words in sentences]
        width, n_labels = max(lengths), len(self.labels)
        flat = self.emissions(sentences, language, document)
        emit = np.zeros((len(sentences), width, n_labels), dtype=np.float32)
        rows = np.repeat(np.arange(len(sentences)), lengths)
        cols = np.concatenate([np.arange(n) for n in lengths])
        emit[rows, cols] = flat
        best = emit[:, 0]
        history = np.empty_like(emit)
        back = np.zeros(emit.shape, dtype=np.int16)
        history[:, 0] = best
        for t in range(1, width):
            candidates = best[:, :, None] + self.transitions[None]
            back[:, t] = candidates.argmax(axis=1)
            best = candidates.max(axis=1) + emit[:, t]
            history[:, t] = best
        labels: list[str] = []
        for k, n in enumerate(lengths):
            path = [int(history[k, n - 1].argmax())]
            for t in range(n - 1, 0, -1):
                path.append(int(back[k, t, path[-1]]))
            labels.extend(self.labels[i] for i in reversed(path))
        return labels


@cache
def _model(name: str) -> LinearChainCRF:
    info = _meta()["models"][name]
    return LinearChainCRF(MODELS / info["file"], FeatureSet.from_dict(info["features"]))


def _model_for(language: str) -> str:
    for name, info in _meta()["models"].items():
        if language in info["languages"]:
            return name
    return next(name for name, info in _meta()["models"].items() if "*" in info["languages"])


OPENING = {"«", "„", "“"}
CLOSING = {"»", "”", "“"}
PLAIN = {'"'}


def token_spans(labels: list[str]) -> list[list]:
    """BIO labels -> [first token, last token + 1, TYPE]. An I- after O or
    after another type starts a new span rather than being dropped."""
    spans: list[list] = []
    current: list | None = None
    for i, label in enumerate(labels):
        if label == "O":
            current = None
            continue
        prefix, kind = label.split("-", 1)
        if prefix == "B" or current is None or current[2] != kind:
            current = [i, i + 1, kind]
            spans.append(current)
        else:
            current[1] = i + 1
    return spans


def _is_quote(word: str) -> bool:
    return word in OPENING or word in CLOSING or word in PLAIN


def _balance(words: list[str], span: list) -> list | None:
    """Quotation marks must pair up inside a name. The CRF cannot count, so
    its spans are repaired here. The corpora agree that people, places,
    organisations and events are tagged without their own quotes
    («Укртрансгаз» -> Укртрансгаз) but with quotes that belong to a longer
    name (ТОВ «Укртрансгаз»); SlavicNER tags most quoted products (media,
    documents) with the quotes: "Економічна правда". So: a quote opening a
    non-PRO span is cut (with its partner when that ends the span), a PRO
    span between quotes takes them in, a closing quote without partner is
    cut, a missing closing quote right after the span is added, a lone
    '"' ending the span is cut (or, for PRO, paired with the one before
    the span), and punctuation left at either edge is trimmed."""
    a, b, kind = span
    n = len(words)
    if kind == "PRO":
        if a > 0 and b < n and (words[a - 1] in OPENING or words[a - 1] in PLAIN) and _is_quote(words[b]) and _opens(words[a:b]) == 0:
            a, b = a - 1, b + 1
    elif words[a] in OPENING or words[a] in PLAIN:
        a += 1
        if b - 1 >= a and (words[b - 1] in CLOSING or words[b - 1] in PLAIN) and _opens(words[a : b - 1]) == 0:
            b -= 1
    while b > a and (words[b - 1] in CLOSING or words[b - 1] in PLAIN) and _opens(words[a:b]) < 0:
        b -= 1
    if b - a > 1 and words[b - 1] in PLAIN and words[a:b].count(words[b - 1]) == 1:
        # a lone '"' at the end closes a quote opened before the span
        if kind == "PRO" and a > 0 and words[a - 1] in PLAIN:
            a -= 1
        else:
            b -= 1
    if b < n and _opens(words[a:b]) > 0 and _is_quote(words[b]):
        b += 1
    while b > a and words[b - 1] in {",", ";", ":", "(", "-", "–", "—"}:
        b -= 1
    while a < b and words[a] in {",", ";", ":", ")", "-", "–", "—", "»", "”"}:
        a += 1
    return [a, b, kind] if a < b else None


def _opens(words: list[str]) -> int:
    """Unclosed opening quotes in `words` (negative: unopened closing ones)."""
    depth = 0
    plain = 0
    for word in words:
        if word in OPENING and not (word == "“" and depth > 0):
            depth += 1
        elif word in CLOSING:
            depth -= 1
        elif word in PLAIN:
            plain += 1
    return depth + (plain % 2)


def spans_from_labels(tokens: list[tuple[str, int, int]], labels: list[str], repair: bool = True) -> list[Span]:
    words = [t[0] for t in tokens]
    spans = []
    for span in token_spans(labels):
        if repair:
            span = _balance(words, span)
            if span is None:
                continue
        a, b, kind = span
        spans.append((tokens[a][1], tokens[b - 1][2], kind))
    return spans


def _tag(text: str, language: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    model = _model(_model_for(language))
    tokens = tokenize(text)
    sentences = [[t[0] for t in tokens[a:b]] for a, b in sentence_token_spans(text, tokens)]
    info = document_info(sentences, language) if model.features.document else None
    return tokens, model.decode(sentences, language, info)


def _lemma_key(word: str, language: str) -> str:
    return morphology(word, language)[0] if word[:1].isalpha() else word


def consistent(
    tokens: list[tuple[str, int, int]], labels: list[str], language: str, fill: bool = True, vote: bool = True, only: tuple[str, ...] = TYPES
) -> list[str]:
    """Document-level consistency: a one-word name gets the type it has most
    often in this document ("Байден" tagged PER once is PER everywhere), and
    a capitalised word tagged as an entity elsewhere in the document is
    tagged where the model missed it (not at a sentence start, where
    capitals are uninformative). `only` limits it to names whose majority
    type is listed: on held-out training documents it helped for PER and
    cost as much as it gave for the other types."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for (word, _, _), label in zip(tokens, labels):
        if label != "O" and word[:1].isupper():
            votes[_lemma_key(word, language)][label[2:]] += 1
    if not votes:
        return labels
    labels = list(labels)
    for i, ((word, _, _), label) in enumerate(zip(tokens, labels)):
        if not word[:1].isupper():
            continue
        counts = votes.get(_lemma_key(word, language))
        if not counts:
            continue
        kind, count = counts.most_common(1)[0]
        if kind not in only:
            continue
        alone = (i == 0 or labels[i - 1] == "O") and (i + 1 == len(labels) or not labels[i + 1].startswith("I-"))
        if label == "O":
            if fill and alone and i > 0 and tokens[i - 1][0][:1].isalpha() and count >= 1:
                labels[i] = f"B-{kind}"
        elif vote and alone and label[2:] != kind and count > counts[label[2:]]:
            labels[i] = f"{label[:2]}{kind}"
    return labels


def recognize(text: str, language: str) -> list[Span]:
    """Named-entity spans (start, end, TYPE) in `text`, in text order."""
    if not text.strip():
        return []
    tokens, labels = _tag(text, language)
    labels = consistent(tokens, labels, language, only=CONSISTENT_TYPES)
    if _model_for(language) != "main":
        return _retype_without_training_data(tokens, labels, language)
    labels = org_of_adjective(tokens, org_of_place(tokens, labels, language), language)
    labels = branch_of_org(tokens, labels, language)
    return spans_from_labels(tokens, split_coordinated(tokens, labels))


# Types whose spans `split_coordinated` may split. Not people ("Микола та
# Лариса Онули" is one mention in NER-UK), places ("Боснія і Герцеговина"),
# events or treaties ("Угода про асоціацію між Україною та ЄС").
SPLIT_TYPES = ("ORG", "PRO")


@cache
def conjunctions() -> frozenset[str]:
    path = DATA / "conjunctions.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#"))


def split_coordinated(tokens: list[tuple[str, int, int]], labels: list[str]) -> list[str]:
    """Two organisation or product names joined by a conjunction are two
    mentions: "Nord Stream AG і Nord Stream 2 AG". The CRF often tags the
    whole run as one span. Names hold conjunctions too ("Industrial and
    Commercial Bank", "Коммунистическая партия Чехии и Моравии", "МВД по
    Санкт-Петербургу и Ленинградской области"), so a span is split only
    where both sides have two words or more, it starts with a capital and
    the right side has no lower-case word."""
    labels = list(labels)
    words = [t[0] for t in tokens]
    for a, b, kind in token_spans(labels):
        if kind not in SPLIT_TYPES or not words[a][:1].isupper():
            continue
        for i in range(a + 2, b - 2):
            right = words[i + 1 : b]
            if words[i] in conjunctions() and right[0][:1].isupper() and not any(w[:1].islower() for w in right):
                labels[i] = "O"
                labels[i + 1] = f"B-{kind}"
                break
    return labels


def org_of_adjective(tokens: list[tuple[str, int, int]], labels: list[str], language: str) -> list[str]:
    """A capitalised adjective tagged as a place followed by a lower-case
    organisation word is an organisation's name: "Стокгольмского суда",
    "Європейською комісією". The CRF tends to tag only the adjective."""
    cues = cue_classes()
    labels = list(labels)
    for a, b, kind in token_spans(labels):
        if kind != "LOC" or b - a != 1 or b >= len(tokens) or labels[b] != "O":
            continue
        after = tokens[b][0]
        if "pos=ADJF" in morphology(tokens[a][0], language)[1] and after.islower() and cues.get(morphology(after, language)[0]) == "org_word":
            labels[a], labels[b] = "B-ORG", "I-ORG"
    return labels


def org_of_place(tokens: list[tuple[str, int, int]], labels: list[str], language: str) -> list[str]:
    """A place in the genitive right after an organisation, or after a
    lower-case organisation word, belongs to its name: "МИД" + "Великобритании"
    -> ORG "МИД Великобритании", "уряду" + "України" -> ORG "уряду України".
    The CRF tends to tag only the place. On held-out training documents
    (NER-UK DEV split-off, the brexit topic) this added 0.1-0.4 points of F1."""
    cues = cue_classes()
    labels = list(labels)
    for a, b, kind in token_spans(labels):
        if kind != "LOC" or a == 0 or "case=gent" not in morphology(tokens[a][0], language)[1]:
            continue
        before = tokens[a - 1][0]
        if labels[a - 1] == "O" and before.islower() and cues.get(morphology(before, language)[0]) == "org_word":
            labels[a - 1] = "B-ORG"
        elif labels[a - 1][2:] != "ORG":
            continue
        for i in range(a, b):
            labels[i] = "I-ORG"
    return labels


@cache
def branch_words() -> dict[str, dict[str, frozenset[str]]]:
    """{"prepositions"|"units": {language: words}} from branches.yaml."""
    data = yaml.safe_load((DATA / "branches.yaml").read_text(encoding="utf-8"))
    return {key: {lang: frozenset(words) for lang, words in by_language.items()} for key, by_language in data.items()}


def branch_of_org(tokens: list[tuple[str, int, int]], labels: list[str], language: str) -> list[str]:
    """An organisation, a preposition and an administrative unit make one
    name, the organisation's regional branch: "ДСНС України" + "в" +
    "Івано-Франківській області", "ГУ МВД" + "по" + "Свердловской области".
    The CRF tags the place alone. The unit word is the place's last word or
    stands just before it ("в місті Києві"); any other place after an
    organisation ("зустріч у Мінобороні в Києві") is left alone."""
    words = branch_words()
    preps, units = words["prepositions"].get(language, ()), words["units"].get(language, ())
    labels = list(labels)
    spans = {span[0]: span for span in token_spans(labels)}
    for a, b, kind in list(spans.values()):
        if kind != "ORG" or b + 1 >= len(tokens) or tokens[b][0].lower() not in preps or labels[b] != "O":
            continue
        start = b + 1
        unit_before = labels[start] == "O" and morphology(tokens[start][0], language)[0] in units
        place = spans.get(start + 1 if unit_before else start)
        if place is None or place[2] != "LOC":
            continue
        if unit_before or morphology(tokens[place[1] - 1][0], language)[0] in units:
            for i in range(b, place[1]):
                labels[i] = "I-ORG"
    return labels


def _retype_without_training_data(tokens: list[tuple[str, int, int]], labels: list[str], language: str) -> list[Span]:
    """The delexicalised model finds capitalised names well but has no
    words to type them by, so for English the type comes from cue words
    (cues.yaml) and the place gazetteer:
    * a lower-case word other than a connector ("of", "de") ends a name;
    * a title inside the span ("Prime Minister Keir Starmer") is cut off and
      what follows it is a person;
    * an organisation word ("Commission", "Ministry") makes an ORG, a place
      word ("Sea", "Street") a LOC;
    * a gazetteer place, or a name after a place preposition ("in"), a LOC;
    * two or three capitalised words otherwise a person;
    * month and weekday names alone are no names at all.
    Otherwise the model's own type stands."""
    cues = cue_classes()
    words = [t[0] for t in tokens]

    def cue(i: int) -> str | None:
        return cues.get(words[i].lower()) or cues.get(_lemma_key(words[i], language))

    pieces: list[list] = []
    for a, b, kind in token_spans(labels):
        # Uk/ru names often run on through lower-case words ("Міністерство
        # закордонних справ"), English ones only through a few connectors
        # ("Bank of America"): cut at any other lower-case word.
        cuts = [i for i in range(a, b) if words[i].isalpha() and words[i].islower() and words[i] not in NAME_CONNECTORS]
        for left, right in zip([a, *(c + 1 for c in cuts)], [*cuts, b]):
            while left < right and words[left] in NAME_CONNECTORS:
                left += 1
            while right > left and words[right - 1] in NAME_CONNECTORS:
                right -= 1
            if left < right:
                pieces.append([left, right, kind])
    result: list[Span] = []
    for span in pieces:
        span = _balance(words, span)
        if span is None:
            continue
        a, b, kind = span
        titles = [i for i in range(a, b) if cue(i) == "person_title"]
        if titles and titles[-1] + 1 < b:
            a, kind = titles[-1] + 1, "PER"
        elif titles:
            continue  # a title alone ("President") is no name
        inner = {cue(i) for i in range(a, b) if not words[i].isdigit()}
        if inner <= {"calendar"}:
            continue  # "Monday", "March 3"
        if kind != "PER" or not titles:
            places = features_places()
            if "org_word" in inner:
                kind = "ORG"
            elif "loc_word" in inner:
                kind = "LOC"
            elif b - a == 1 and places.get(words[a].lower()) == "full":
                kind = "LOC"
            elif a > 0 and cue(a - 1) == "loc_prep":
                kind = "LOC"
            elif 2 <= b - a <= 3 and all(words[i][:1].isupper() and words[i][1:].islower() for i in range(a, b)):
                kind = "PER"
            elif a > 0 and cue(a - 1) == "person_title":
                kind = "PER"
        result.append((tokens[a][1], tokens[b - 1][2], kind))
    return result
