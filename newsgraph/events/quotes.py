"""Direct and partial quotes in «», "", „“ or “”, each with its speaker.

The speaker comes from the attribution around the quote:

* after it: `"…", - написав Умєров`, `"…", — зазначив глава Міноборони`,
  `"…", йдеться в повідомленні`, `"…," Umerov said`;
* before it in the same sentence: `Як повідомив Умєров: "…"`, `За словами
  Умєрова, "…"`, `Лекорню зазначив, що … "…"`; or a previous sentence that
  ends with a colon.

A speaker named by role ("глава Міноборони", "министр") is the person whose
role facts match, the previous quote's speaker first; a pronoun is the
previous speaker or the last person named; a statement ("йдеться в
повідомленні") is the organisation named there, else the organisation the
article cites as its source. Short quoted names and titles («Нафтогаз»,
"Шлях до миру") are not quotes: a quote has at least three words, and one of
fewer than six words needs an attribution.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from newsgraph.events.lexicon import Markers, markers
from newsgraph.events.roles import RoleFact, resolve_role, role_reference
from newsgraph.events.text import Doc, MentionRef
from newsgraph.model import Quote
from newsgraph.morph import WORD

MIN_WORDS = 3
MIN_WORDS_UNATTRIBUTED = 6
_DASHES = frozenset(",-–—:")


@dataclass
class FoundQuote:
    open: int  # the opening mark
    close: int  # the closing mark
    start: int  # the quoted text, marks excluded
    end: int
    speaker: MentionRef | None = None  # a PER or ORG mention, or None
    speaker_entity: object = None
    how: str = ""


def top_level(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result: list[tuple[int, int]] = []
    for open_, close in sorted(spans):
        if result and open_ < result[-1][1]:
            continue  # nested in the previous quote
        result.append((open_, close))
    return result


def _first_mention(doc: Doc, a: int, b: int, types: tuple[str, ...], stops: str = ".!?") -> MentionRef | None:
    i = a
    while i < b:
        if doc.words[i] in stops:
            return None
        ref = doc.mention(i)
        if ref is not None and ref.type in types:
            return ref
        i += 1
    return None


def _statement(doc: Doc, verb: int, stop: int, mk: Markers, since: int | None = None) -> bool:
    """Whether the attribution is a statement: "йдеться в повідомленні",
    "говорится в заявлении", "the statement said" (`since`: where the words
    before the verb start)."""
    if doc.words[verb].lower() in mk.statement_verbs:
        return True
    for k in range(verb + 1, min(stop, verb + 4)):
        if doc.mention(k) is not None and doc.mention(k).type == "PER":
            return False
        if doc.lemmas[k] in mk.statement_nouns:
            return True
    return since is not None and any(doc.lemmas[k] in mk.statement_nouns for k in range(since, verb))


class Attributor:
    def __init__(self, doc: Doc, facts: list[RoleFact], counts: Counter, source: MentionRef | None):
        self.doc = doc
        self.mk = markers(doc.lang)
        self.facts = facts
        self.counts = counts
        self.source = source
        self.previous: MentionRef | None = None

    def speaker_from(self, verb: int, stop: int, before_quote: int | None = None, since: int | None = None) -> tuple[MentionRef | None, object, str]:
        """The speaker of the speech verb at token `verb`, looking at the words
        after it up to token `stop`."""
        doc, mk = self.doc, self.mk
        window = min(stop, verb + 8)
        if _statement(doc, verb, window, mk, since):
            org = _first_mention(doc, verb + 1, window, ("ORG",))
            return (org, org.entity, "statement") if org else (self.source, self.source.entity if self.source else None, "statement")
        ref = _first_mention(doc, verb + 1, window, ("PER", "ORG"), stops=".!?,;:")
        nearest_word = next((k for k in range(verb + 1, window) if doc.is_word(k)), None)
        if nearest_word is not None and (doc.lemmas[nearest_word] in mk.pronouns or doc.words[nearest_word].lower() in mk.pronouns):
            return self._pronoun(before_quote)
        # A role word first ("зазначив глава Міноборони"): the organisation
        # after it names the role, the speaker is the person who holds it.
        if nearest_word is not None and (ref is None or ref.w0 > nearest_word):
            resolved = self._role(nearest_word, window)
            if resolved:
                return resolved
        if ref is not None and (ref.w0 - verb) <= 6:
            return ref, ref.entity, "named"
        return None, None, ""

    def _pronoun(self, before: int | None) -> tuple[MentionRef | None, object, str]:
        if self.previous is not None:
            return self.previous, self.previous.entity, "pronoun"
        if before is not None:
            people = [m for m in self.doc.mentions if m.type == "PER" and m.w1 <= before]
            if people:
                return people[-1], people[-1].entity, "pronoun"
        return self._most_prominent("pronoun")

    def _most_prominent(self, how: str) -> tuple[MentionRef | None, object, str]:
        if not self.counts:
            return None, None, ""
        person = self.counts.most_common(1)[0][0]
        ref = next(m for m in self.doc.mentions if m.id == person)
        return ref, ref.entity, how

    def _role(self, a: int, b: int) -> tuple[MentionRef | None, object, str] | None:
        found = role_reference(self.doc, a, b)
        if found is None:
            return None
        head, canonical = found
        preferred = [self.previous.id] if self.previous is not None and self.previous.type == "PER" else []
        person = resolve_role(head, canonical, self.facts, preferred, self.counts)
        if person is None:
            if preferred:
                return self.previous, self.previous.entity, "role"
            return self._most_prominent("role")
        ref = next(m for m in self.doc.mentions if m.id == person)
        return ref, ref.entity, "role"

    def after(self, close: int) -> tuple[MentionRef | None, object, str]:
        """Attribution after the closing mark."""
        doc, mk = self.doc, self.mk
        i = doc.token_at(close + 1)
        n = len(doc.words)
        if i < n and "\n" in doc.text[close : doc.starts[i]]:
            return None, None, ""
        while i < n and doc.words[i] in _DASHES:
            i += 1
        sentence_end = doc.sentences[doc.sentence_of[i]][1] if i < n else n
        words_seen = 0
        k = i
        while k < sentence_end and words_seen < 4:
            if doc.words[k] in ".!?\"«»":
                break
            lem = doc.lemmas[k]
            if lem in mk.speech_verbs or doc.words[k].lower() in mk.statement_verbs:
                # "…", - Умєров написав: the speaker stands before the verb.
                before = _first_mention(doc, i, k, ("PER", "ORG"))
                if before is not None:
                    return before, before.entity, "named"
                return self.speaker_from(k, sentence_end, before_quote=i, since=i)
            if doc.is_word(k):
                words_seen += 1
            k += 1
        return None, None, ""

    def before(self, open_: int) -> tuple[MentionRef | None, object, str]:
        """Attribution before the opening mark, in its sentence (or in the
        previous sentence when that ends with a colon)."""
        doc, mk = self.doc, self.mk
        q = doc.token_at(open_)
        if q >= len(doc.words):
            return None, None, ""
        sentence = doc.sentence_of[q]
        a = doc.sentences[sentence][0]
        if a == q and sentence > 0:
            pa, pb = doc.sentences[sentence - 1]
            if doc.words[pb - 1] == ":":
                a, q = pa, pb - 1
        # "За словами Умєрова, …"
        for k in range(a, q):
            for phrase in mk.according_to:
                n = len(phrase)
                if tuple(doc.lemmas[k : k + n]) == phrase:
                    ref = _first_mention(doc, k + n, min(q, k + n + 6), ("PER", "ORG"))
                    if ref is not None:
                        return ref, ref.entity, "named"
                    resolved = self._role(k + n, q) if k + n < q else None
                    if resolved:
                        return resolved
        verbs = [k for k in range(a, q) if doc.lemmas[k] in mk.speech_verbs]
        if not verbs:
            return None, None, ""
        verb = verbs[-1]
        # "Лекорню зазначив, що ... "…"": the subject before the verb; "Як
        # повідомив Умєров: "…"": the name right after it.
        subject = [m for m in doc.mentions if m.type in ("PER", "ORG") and a <= m.w0 and m.w1 <= verb]
        if subject:
            return subject[-1], subject[-1].entity, "named"
        return self.speaker_from(verb, q, before_quote=q)


def find_source(doc: Doc) -> MentionRef | None:
    """The organisation the article cites ("повідомляє Міністерство оборони",
    "повідомляється в Телеграм-каналі Міноборони")."""
    mk = markers(doc.lang)
    for k, lem in enumerate(doc.lemmas):
        if lem in mk.source_verbs:
            end = doc.sentences[doc.sentence_of[k]][1]
            ref = _first_mention(doc, k + 1, min(end, k + 10), ("ORG",))
            if ref is not None:
                return ref
    return None


def extract_quotes(doc: Doc, facts: list[RoleFact], counts: Counter) -> list[FoundQuote]:
    attributor = Attributor(doc, facts, counts, find_source(doc))
    found: list[FoundQuote] = []
    for open_, close in top_level(doc.quotes):
        inner = doc.text[open_ + 1 : close]
        words = len(WORD.findall(inner))
        if words < MIN_WORDS:
            continue
        start = open_ + 1 + (len(inner) - len(inner.lstrip()))
        end = close - (len(inner) - len(inner.rstrip()))
        ref, entity, how = attributor.after(close)
        if ref is None and not how:
            ref, entity, how = attributor.before(open_)
        if entity is None and words < MIN_WORDS_UNATTRIBUTED:
            continue
        quote = FoundQuote(open_, close, start, end, ref, entity, how)
        found.append(quote)
        if ref is not None and ref.type == "PER":
            attributor.previous = ref
    return found


def as_quotes(found: list[FoundQuote], body: str) -> list[Quote]:
    result = []
    for q in found:
        speaker = {"id": q.speaker_entity.id, "name": q.speaker_entity.name} if q.speaker_entity is not None else None
        result.append(Quote(text=body[q.start : q.end], start=q.start, end=q.end, speaker=speaker))
    return result
