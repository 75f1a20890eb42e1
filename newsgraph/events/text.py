"""One analysed text (an article body or its title) shared by every event
extractor: tokens with lemmas, sentences, paragraphs, quoted stretches and
the entity mentions, all indexed by token.

Built once per text; everything here is cheap (one regex pass, cached
lemmas), so heavier analysis can be kept to the few sentences that hold a
trigger word.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from newsgraph.events.lexicon import load
from newsgraph.model import Entity
from newsgraph.morph import WORD, guess_language, lemma, normalize_apostrophes, parses

_TOKEN = re.compile(r"\w+(?:['\-‐‑]\w+)*|[^\w\s]")
_FINAL = frozenset(".!?…")
_CLOSING = frozenset('»”")]')
_OPENING = frozenset('«"„“(-–—')


@dataclass
class MentionRef:
    """An entity mention located in a Doc: characters [start, end) and tokens [w0, w1)."""

    start: int
    end: int
    w0: int
    w1: int
    entity: Entity
    lemma: str = ""  # the mention's nominative form, when the entity stage gives one

    @property
    def type(self) -> str:
        return self.entity.type

    @property
    def id(self) -> str:
        return self.entity.id


@dataclass
class Doc:
    text: str
    lang: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    lemmas: list[str]
    sentences: list[tuple[int, int]]  # token ranges [a, b)
    paragraphs: list[tuple[int, int]]  # token ranges [a, b)
    sentence_of: list[int]  # token -> sentence index
    paragraph_of_sentence: list[int]
    quotes: list[tuple[int, int]] = field(default_factory=list)  # char spans of quote marks (open, close)
    mentions: list[MentionRef] = field(default_factory=list)
    mention_at: list[int] = field(default_factory=list)  # token -> mention index or -1
    published: str | None = None
    _dates: dict = field(default_factory=dict)

    def paragraph_dates(self, p: int, future: bool = False) -> list:
        """The date expressions of paragraph p, resolved against the
        publication date (computed once per paragraph)."""
        key = (p, future)
        if key not in self._dates:
            from newsgraph.events.dates import find_dates

            start, end = self.span(*self.paragraphs[p])
            self._dates[key] = find_dates(self.text[start:end], self.lang, self.published, future=future, offset=start)
        return self._dates[key]

    def span(self, a: int, b: int) -> tuple[int, int]:
        """Characters covered by tokens [a, b)."""
        return self.starts[a], self.ends[b - 1]

    def sentence_span(self, index: int) -> tuple[int, int]:
        a, b = self.sentences[index]
        return self.span(a, b)

    def token_at(self, char: int) -> int:
        """The index of the first token that ends after `char`."""
        return bisect_right(self.ends, char)

    def tokens_in(self, start: int, end: int) -> tuple[int, int]:
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def mention(self, i: int) -> MentionRef | None:
        k = self.mention_at[i] if 0 <= i < len(self.mention_at) else -1
        return self.mentions[k] if k >= 0 else None

    def mentions_between(self, a: int, b: int, types: str | tuple[str, ...] = "PER") -> list[MentionRef]:
        """Mentions of `types` whose first token is in [a, b)."""
        return [m for m in self.mentions if a <= m.w0 < b and m.type in types]

    def quote_around(self, char: int) -> tuple[int, int] | None:
        """The innermost quoted stretch (open, close) containing `char`."""
        best = None
        for open_, close in self.quotes:
            if open_ < char < close and (best is None or open_ > best[0]):
                best = (open_, close)
        return best

    def is_word(self, i: int) -> bool:
        return self.words[i][0].isalnum() or self.words[i][0] == "_"

    def pos(self, i: int) -> str:
        """The part of speech of token i's most likely reading ("" when unknown)."""
        readings = parses(self.words[i], self.lang)
        if not readings:
            return ""
        for tag in ("VERB", "INFN", "GRND", "PRTF", "PRTS", "NOUN", "ADJF", "PREP", "CONJ", "NPRO", "ADVB", "PRCL", "NUMR"):
            if tag in readings[0][1]:
                return tag
        return ""


def _takes_dot(word: str) -> bool:
    return (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS


def _abbreviations() -> frozenset[str]:
    return frozenset(str(a).lower() for a in load("markers").get("abbreviations", []))


_ABBREVIATIONS: frozenset[str] = frozenset()


_QUOTE_CHARS = re.compile(r'[«»„“”"\n]')


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of matching quote marks: «», „“, “”, and
    straight quotes paired by whether a space is before or after them.
    Unclosed quotes are dropped at the end of their paragraph."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    n = len(text)
    for match in _QUOTE_CHARS.finditer(text):
        i = match.start()
        ch = text[i]
        if ch == "\n":
            stack.clear()
        elif ch == "«" or ch == "„":
            stack.append((ch, i))
        elif ch == "»":
            _close(stack, spans, "«", i)
        elif ch == "“":
            if stack and stack[-1][0] == "„":
                _close(stack, spans, "„", i)
            else:
                stack.append(("“", i))
        elif ch == "”":
            _close(stack, spans, "“", i)
        else:  # a straight quote
            before = text[i - 1] if i else " "
            after = text[i + 1] if i + 1 < n else " "
            open_straight = bool(stack) and stack[-1][0] == '"'
            if open_straight and not after.isalnum():
                _close(stack, spans, '"', i)
            elif (before.isspace() or before in "(«„[-–—:/") and not after.isspace():
                stack.append(('"', i))
            elif open_straight:
                _close(stack, spans, '"', i)
    spans.sort()
    return spans


def _close(stack: list[tuple[str, int]], spans: list[tuple[int, int]], opener: str, at: int) -> None:
    for k in range(len(stack) - 1, -1, -1):
        if stack[k][0] == opener:
            spans.append((stack[k][1], at))
            del stack[k:]
            return


def _glue_dots(words: list[str], starts: list[int], ends: list[int]) -> None:
    """An abbreviation or an initial keeps its dot ("м.", "В."), so that no
    sentence ends there; done in place, only where such dots occur."""
    k = 1
    while k < len(words):
        if words[k] == "." and ends[k - 1] == starts[k] and _takes_dot(words[k - 1]):
            words[k - 1] += "."
            ends[k - 1] = ends[k]
            del words[k], starts[k], ends[k]
        else:
            k += 1


def build_doc(text: str, lang: str | None, entities: list[Entity] | None = None, published: str | None = None) -> Doc:
    global _ABBREVIATIONS
    if not _ABBREVIATIONS:
        _ABBREVIATIONS = _abbreviations()
    text = normalize_apostrophes(text)
    lang = lang if lang in ("uk", "ru", "en") else guess_language(text)
    matches = list(_TOKEN.finditer(text))
    words = [m.group() for m in matches]
    starts = [m.start() for m in matches]
    ends = [m.end() for m in matches]
    if "." in words:
        _glue_dots(words, starts, ends)
    lemmas = [lemma(w, lang) if w[0].isalnum() else w for w in words]
    quotes = quote_spans(text)
    sentences, paragraphs = _segment(text, words, starts, ends, quotes)
    sentence_of = [0] * len(words)
    paragraph_of_sentence = []
    p = 0
    for k, (a, b) in enumerate(sentences):
        for i in range(a, b):
            sentence_of[i] = k
        while p + 1 < len(paragraphs) and paragraphs[p][1] <= a:
            p += 1
        paragraph_of_sentence.append(p)
    doc = Doc(text, lang, words, starts, ends, lemmas, sentences, paragraphs, sentence_of, paragraph_of_sentence, quotes)
    doc.mention_at = [-1] * len(words)
    doc.published = published
    if entities:
        attach_mentions(doc, entities)
    return doc


def _segment(text, words, starts, ends, quotes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    closing_quotes = {close for _, close in quotes}
    sentences: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int]] = []
    n = len(words)
    s0 = p0 = 0
    i = 0
    while i < n:
        # A line break ends both the sentence and the paragraph.
        if i > s0 and "\n" in text[ends[i - 1] : starts[i]]:
            sentences.append((s0, i))
            paragraphs.append((p0, i))
            s0 = p0 = i
        word = words[i]
        if word[0] in _FINAL and len(word) == 1 or word == "…":
            j = i + 1
            while j < n and words[j] in _CLOSING and starts[j] == ends[j - 1] and (words[j] != '"' or starts[j] in closing_quotes):
                j += 1
            if j >= n or "\n" in text[ends[j - 1] : starts[j]] or words[j][0].isupper() or words[j][0].isdigit() or words[j][0] in _OPENING:
                if j < n and "\n" not in text[ends[j - 1] : starts[j]]:
                    sentences.append((s0, j))
                    s0 = j
                i = j
                continue
        i += 1
    if s0 < n:
        sentences.append((s0, n))
    if p0 < n:
        paragraphs.append((p0, n))
    return [s for s in sentences if s[1] > s[0]], [p for p in paragraphs if p[1] > p[0]]


def attach_mentions(doc: Doc, entities: list[Entity]) -> None:
    """Locate every entity mention by its character offsets; where mentions
    overlap, the longer one wins."""
    refs: list[MentionRef] = []
    for entity in entities:
        for m in entity.mentions:
            if m.end <= m.start or m.start < 0 or m.end > len(doc.text):
                continue
            w0 = bisect_right(doc.ends, m.start)
            w1 = bisect_left(doc.starts, m.end)
            if w0 < w1:
                refs.append(MentionRef(m.start, m.end, w0, w1, entity, m.lemma or ""))
    refs.sort(key=lambda r: (r.w0, -(r.w1 - r.w0)))
    kept: list[MentionRef] = []
    for ref in refs:
        if kept and ref.w0 < kept[-1].w1:
            continue
        kept.append(ref)
    doc.mentions = kept
    doc.mention_at = [-1] * len(doc.words)
    for k, ref in enumerate(kept):
        for i in range(ref.w0, ref.w1):
            doc.mention_at[i] = k


def find_title_mentions(title_doc: Doc, body: Doc, entities: list[Entity] | None = None) -> None:
    """The title is not part of the body, so the entity stage gives it no
    offsets: find the body's entities in it by the lemmas (or, for unknown
    surnames, a shared stem) of their capitalised words."""
    index: dict[str, Entity] = {}
    stems: dict[str, Entity] = {}
    counts: dict[str, int] = {}
    surfaces: dict[str, set[str]] = {}
    by_id: dict[str, Entity] = {}
    for ref in body.mentions:
        counts[ref.id] = counts.get(ref.id, 0) + 1
        by_id[ref.id] = ref.entity
        words = surfaces.setdefault(ref.id, set())
        for i in range(ref.w0, ref.w1):
            if len(body.words[i]) >= 3 and body.words[i][0].isupper():
                words.add(body.words[i])
    # Entities the body names only in other forms (or not at all) add their names.
    for entity in entities or ():
        by_id.setdefault(entity.id, entity)
        words = surfaces.setdefault(entity.id, set())
        for name in (entity.name, entity.lemma):
            words.update(w for w in WORD.findall(name or "") if len(w) >= 3 and w[0].isupper())
    for entity_id in sorted(surfaces, key=lambda e: -counts.get(e, 0)):
        entity = by_id[entity_id]
        for word in surfaces[entity_id]:
            low = word.lower()
            index.setdefault(lemma(word, body.lang), entity)
            index.setdefault(low, entity)
            stems.setdefault(low, entity)
    found: list[tuple[int, Entity]] = []
    for i, word in enumerate(title_doc.words):
        if len(word) < 3 or not word[0].isupper():
            continue
        entity = index.get(title_doc.lemmas[i]) or index.get(word.lower())
        if entity is None:
            entity = _stem_match(word.lower(), stems)
        if entity is not None:
            found.append((i, entity))
    refs: list[MentionRef] = []
    for i, entity in found:
        if refs and refs[-1].entity is entity and refs[-1].w1 == i:
            refs[-1].w1 = i + 1
            refs[-1].end = title_doc.ends[i]
        else:
            refs.append(MentionRef(title_doc.starts[i], title_doc.ends[i], i, i + 1, entity))
    title_doc.mentions = refs
    title_doc.mention_at = [-1] * len(title_doc.words)
    for k, ref in enumerate(refs):
        for i in range(ref.w0, ref.w1):
            title_doc.mention_at[i] = k


def _stem_match(word: str, stems: dict[str, Entity]) -> Entity | None:
    # Inflected unknown surnames: "Умєровим" / "Умєров", "Бакес" / "Бакес".
    for other, entity in stems.items():
        shortest = min(len(word), len(other))
        if shortest < 4:
            continue
        need = max(4, shortest - 2) if shortest >= 6 else shortest - 1
        k = 0
        while k < shortest and word[k] == other[k]:
            k += 1
        if k >= need:
            return entity
    return None
