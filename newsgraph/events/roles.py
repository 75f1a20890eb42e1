"""Titles attached to people: "міністр оборони Франції Себастьян Лекорню",
"глава МИД Литвы Линас Линкявичюс", "Rustem Umerov, Ukraine's defence
minister". Each becomes a role fact with the organisation or country it
names and the article date; the meeting stage puts them on participants and
the quote stage uses them to resolve "зазначив глава Міноборони".
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from newsgraph.events.dates import publication_date
from newsgraph.events.lexicon import Markers, adjective_country, kb_country, load, markers, name_country
from newsgraph.events.text import Doc, MentionRef
from newsgraph.morph import parses, to_nominative

MAX_ROLE_TOKENS = 12
_CASES = ("nomn", "ablt", "gent", "datv", "accs", "loct", "voct")


@dataclass
class RoleFact:
    person: MentionRef
    role: str
    head: str  # the lemma of the head word ("міністр")
    canonical: str | None
    org: dict | None
    country: str | None
    span: tuple[int, int]  # characters of the role phrase
    tokens: tuple[int, int] = field(default=(0, 0))

    def to_dict(self, article_date: str | None) -> dict:
        return {
            "person": {"id": self.person.id, "name": self.person.entity.name},
            "role": self.role,
            "canonical": self.canonical,
            "org": self.org,
            "country": self.country,
            "date": article_date,
            "evidence": list(self.span),
        }


@cache
def _en_modifiers() -> frozenset[str]:
    return frozenset(str(w).lower() for w in load("roles").get("en_modifiers", []))


def _readings(doc: Doc, i: int):
    return parses(doc.words[i], doc.lang)


def is_verb(doc: Doc, i: int) -> bool:
    """A verb, and not also a noun or adjective ("справ" is "справа", not "справити")."""
    readings = _readings(doc, i)
    if not readings or not readings[0][1] & {"VERB", "INFN", "GRND"}:
        return False
    return not any(g & {"NOUN", "ADJF"} for _, g in readings)


def is_pronoun(doc: Doc, i: int) -> bool:
    return any("NPRO" in g for _, g in _readings(doc, i))


def is_preposition(doc: Doc, i: int, mk: Markers) -> bool:
    if doc.lang == "en":
        return doc.lemmas[i] in mk.role_prepositions or doc.lemmas[i] in mk.counterpart_prepositions or doc.lemmas[i] in (
            mk.place_prepositions | mk.direction_prepositions | mk.between_prepositions
        )
    readings = _readings(doc, i)
    return bool(readings) and "PREP" in readings[0][1]


def _allowed_en(doc: Doc, i: int, mk: Markers) -> bool:
    word = doc.words[i]
    low = doc.lemmas[i]
    return word[0].isupper() or low in mk.role_heads or low in _en_modifiers() or low in mk.role_prepositions


def has_case(doc: Doc, i: int, case: str) -> bool:
    return any(case in g for _, g in _readings(doc, i))


def inner_preposition(doc: Doc, i: int, mk: Markers) -> bool:
    """A preposition inside a role phrase: "представниця ЄС із зовнішніх
    справ", "заступник міністра з питань євроінтеграції" (a lower-case
    dependent not in the instrumental, which would make it a companion)."""
    if doc.lemmas[i] not in mk.role_prepositions or i + 1 >= len(doc.words):
        return False
    following = doc.words[i + 1]
    if doc.lang == "en":
        # "Secretary of State", "Minister for Foreign Affairs"
        nxt = doc.mention(i + 1)
        return doc.is_word(i + 1) and (nxt is None or nxt.type != "PER")
    if not following[:1].islower() or doc.mention(i + 1) is not None:
        return False
    # After з/с the instrumental makes a companion ("з міністром"), not a role part.
    return doc.lemmas[i] not in mk.counterpart_prepositions or not has_case(doc, i + 1, "ablt")


def role_tokens(doc: Doc, i: int, mk: Markers) -> bool:
    """Whether token i may stand inside a role phrase."""
    if not doc.is_word(i):
        return False
    if doc.lang == "en":
        return _allowed_en(doc, i, mk)
    if is_verb(doc, i) or is_pronoun(doc, i):
        return False
    if is_preposition(doc, i, mk):
        return inner_preposition(doc, i, mk)
    return True


def _walk_back(doc: Doc, ref: MentionRef, mk: Markers) -> int:
    """The first token of the stretch of role-phrase tokens before a mention
    ("заступник начальника Генштабу ЗСУ генерал-майор | Володимир Горбатюк")."""
    sentence = doc.sentence_of[ref.w0]
    a = ref.w0
    i = ref.w0 - 1
    while i >= 0 and ref.w0 - i <= MAX_ROLE_TOKENS and doc.sentence_of[i] == sentence:
        other = doc.mention(i)
        if other is not None:
            if other.type == "PER":
                break
            a, i = other.w0, other.w0 - 1
            continue
        if doc.lemmas[i] in mk.coordinators:
            # "і" between two people ends the role; inside it ("оборони України та Франції") it does not.
            before = doc.mention(i - 1) if i > 0 else None
            if i == 0 or (before is not None and before.type == "PER") or not doc.is_word(i - 1):
                break
        elif is_preposition(doc, i, mk) and doc.is_word(i):
            # A preposition right before a place or organisation we have just
            # passed governs that name, not the person ("посол Італії в Грузії
            # Віторіо Сандалі", "У Брюсселі Умєров ..."): walk on.
            following = doc.mention(i + 1)
            if not ((following is not None and following.type in ("LOC", "ORG") and i + 1 >= a) or inner_preposition(doc, i, mk)):
                break
        elif not role_tokens(doc, i, mk):
            break
        a, i = i, i - 1
    return a


def walk_back(doc: Doc, ref: MentionRef) -> int:
    return _walk_back(doc, ref, markers(doc.lang))


def _head_at(doc: Doc, k: int, b: int, mk: Markers) -> int:
    """Length of a role head starting at token k (0 when none)."""
    for phrase in mk.role_head_phrases:
        n = len(phrase)
        if k + n <= b and tuple(doc.lemmas[k : k + n]) == phrase:
            return n
    if doc.mention(k) is None and (doc.lemmas[k] in mk.role_heads or doc.words[k].lower() in mk.role_heads):
        return 1
    return 0


def find_role(doc: Doc, a: int, b: int, mk: Markers) -> tuple[int, int, int] | None:
    """(start, head start, head end) of the leftmost role head in tokens [a, b)."""
    for k in range(a, b):
        n = _head_at(doc, k, b, mk)
        if n:
            start = k
            if doc.lang == "en":
                start = a
            else:
                while start - 1 >= a and _readings(doc, start - 1) and "ADJF" in _readings(doc, start - 1)[0][1]:
                    start -= 1
            return start, k, k + n
    return None


def _head_case(doc: Doc, k: int) -> str | None:
    for _, grammemes in _readings(doc, k):
        for case in _CASES:
            if case in grammemes:
                return case
    return None


def role_text(doc: Doc, start: int, head_start: int, head_end: int, end: int) -> str:
    """The role phrase with its head (and the adjectives before it) in the
    nominative: "з міністром оборони Франції" -> "міністр оборони Франції"."""
    if doc.lang not in ("uk", "ru"):
        return doc.text[doc.starts[start] : doc.ends[end - 1]]
    case = _head_case(doc, head_end - 1)
    parts = []
    for k in range(start, end):
        word = doc.words[k]
        if k < head_end and case and case != "nomn" and doc.mention(k) is None:
            word = to_nominative(word, doc.lang, case)
        if k > start and doc.starts[k] > doc.ends[k - 1]:
            parts.append(" ")
        parts.append(word)
    text = "".join(parts)
    if _sentence_start(doc, start) and doc.words[start][1:2].islower():
        text = text[:1].lower() + text[1:]  # capitalised only because the sentence starts there
    return text


def _sentence_start(doc: Doc, k: int) -> bool:
    return doc.sentences[doc.sentence_of[k]][0] == k


def canonical_role(lemmas: tuple[str, ...], mk: Markers, head: int = 0) -> str | None:
    """The canonical role a phrase names, read from its start up to its head
    ("заступник міністра оборони" is not a defence minister)."""
    for phrase, role_id in mk.canonical_roles:
        n = len(phrase)
        for k in range(0, min(head, len(lemmas) - n) + 1):
            if lemmas[k : k + n] == phrase:
                return role_id
    return None


def country_of_entity(entity) -> str | None:
    """The country of a place or organisation: the knowledge base's when the
    entity is linked to it, else the one its name has there."""
    code = kb_country(entity.id)
    if code:
        return code
    for name in dict.fromkeys([entity.lemma, entity.name, *(m.lemma for m in entity.mentions[:3])]):
        code = name_country(str(name)) if name else None
        if code:
            return code
    return None


def _org_and_country(doc: Doc, a: int, head_end: int, b: int) -> tuple[dict | None, str | None]:
    """The first place or organisation the role names, and its country; a
    country adjective counts before the head only ("французький колега", not
    "заступник з питань європейської інтеграції")."""
    org = None
    country = None
    for k in range(a, b):
        ref = doc.mention(k)
        if ref is not None and ref.type in ("LOC", "ORG"):
            if org is None:
                org = {"id": ref.id, "name": ref.entity.name}
            country = country or country_of_entity(ref.entity)
        elif country is None and k < head_end and _adjective(doc, k):
            country = adjective_country(doc.lemmas[k])
    return org, country


def _adjective(doc: Doc, k: int) -> bool:
    if not doc.words[k][:1].isalpha():
        return False
    if doc.lang == "en":
        return True  # the English table holds adjectives only
    readings = _readings(doc, k)
    return bool(readings) and "ADJF" in readings[0][1]


def _fact(doc: Doc, ref: MentionRef, found: tuple[int, int, int], end: int, mk: Markers) -> RoleFact:
    start, h0, h1 = found
    org, country = _org_and_country(doc, start, h1, end)
    return RoleFact(
        person=ref,
        role=role_text(doc, start, h0, h1, end),
        head=" ".join(doc.lemmas[h0:h1]),
        canonical=canonical_role(tuple(doc.lemmas[start:end]), mk, h0 - start),
        org=org,
        country=country,
        span=doc.span(start, end),
        tokens=(start, end),
    )


def _role_after(doc: Doc, ref: MentionRef, mk: Markers) -> RoleFact | None:
    """Apposition: "Рустем Умєров, міністр оборони України, заявив"."""
    i = ref.w1
    if i >= len(doc.words) or doc.words[i] != "," or doc.sentence_of[i] != doc.sentence_of[ref.w0]:
        return None
    a = i + 1
    b = a
    while b < len(doc.words) and b - a < MAX_ROLE_TOKENS and doc.sentence_of[b] == doc.sentence_of[a]:
        other = doc.mention(b)
        if other is not None:
            if other.type == "PER":
                return None
            b = other.w1
            continue
        if not role_tokens(doc, b, mk):
            break
        b += 1
    if b == a:
        return None
    found = find_role(doc, a, b, mk)
    if found is None or (doc.lang != "en" and found[0] != a):
        return None
    return _fact(doc, ref, (a, found[1], found[2]), b, mk)


def extract_roles(doc: Doc) -> list[RoleFact]:
    """Role facts for every person mention of the document that has one."""
    mk = markers(doc.lang)
    facts: list[RoleFact] = []
    seen: set[tuple[str, str]] = set()
    for ref in doc.mentions:
        if ref.type != "PER":
            continue
        fact = None
        a = _walk_back(doc, ref, mk)
        if a < ref.w0:
            found = find_role(doc, a, ref.w0, mk)
            if found is not None:
                fact = _fact(doc, ref, found, ref.w0, mk)
        if fact is None:
            fact = _role_after(doc, ref, mk)
        if fact is not None:
            key = (ref.id, fact.role.lower())
            if key not in seen:
                seen.add(key)
                facts.append(fact)
    return facts


def prominence(doc: Doc) -> Counter:
    """Person id -> number of mentions: who the article is about."""
    return Counter(ref.id for ref in doc.mentions if ref.type == "PER")


def role_reference(doc: Doc, a: int, b: int) -> tuple[str, str | None] | None:
    """(head lemma, canonical id) when tokens [a, b) open with a role phrase
    that names no person ("глава Міноборони", "министр", "the minister")."""
    mk = markers(doc.lang)
    end = a
    while end < b and end - a < MAX_ROLE_TOKENS:
        ref = doc.mention(end)
        if ref is not None:
            if ref.type == "PER":
                return None
            end = ref.w1
            continue
        if not role_tokens(doc, end, mk):
            break
        end += 1
    found = find_role(doc, a, end, mk)
    if found is None:
        return None
    start, h0, h1 = found
    if start > a + 1:
        return None  # the role must open the phrase ("глава Міноборони", "the minister")
    return " ".join(doc.lemmas[h0:h1]), canonical_role(tuple(doc.lemmas[a:end]), mk, h0 - a)


def resolve_role(head: str, canonical: str | None, facts: list[RoleFact], preferred: list[str], counts: Counter, exclude: frozenset[str] = frozenset()) -> str | None:
    """The person id a role reference points to: among people whose role
    facts share the canonical role (or else the head word), the preferred one
    (e.g. the previous quote's speaker), else the most mentioned; never one
    of `exclude` (the people already named beside it)."""
    facts = [f for f in facts if f.person.id not in exclude]
    candidates = [f.person.id for f in facts if canonical and f.canonical == canonical]
    if not candidates:
        candidates = [f.person.id for f in facts if f.head == head or f.head.split()[-1] == head.split()[-1]]
    if not candidates:
        return None
    for person in preferred:
        if person in candidates:
            return person
    return max(candidates, key=lambda p: (counts.get(p, 0), -candidates.index(p)))


def participant_role(facts: list[RoleFact], person_id: str, near: int | None = None) -> str | None:
    """The role of a person, the fact nearest to character `near` first."""
    mine = [f for f in facts if f.person.id == person_id]
    if not mine:
        return None
    if near is not None:
        mine.sort(key=lambda f: abs(f.span[0] - near))
    return mine[0].role


def roles_as_dicts(facts: list[RoleFact], published: str | None) -> list[dict]:
    day = publication_date(published)
    return [f.to_dict(day.isoformat() if day else None) for f in facts]


def roles(article) -> list[dict]:
    """Role facts of the people an article names, for the store:
    {"person": {"id", "name"}, "role", "canonical", "org", "country", "date",
    "evidence": [start, end]}, dated with the article's publication date."""
    from newsgraph.events.text import build_doc

    body = build_doc(article.body or "", article.language, article.entities)
    return roles_as_dicts(extract_roles(body), article.published)
