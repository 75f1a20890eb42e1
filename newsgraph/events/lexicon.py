"""The event layer's word lists (newsgraph/data/events/*.yaml), loaded once
per process and lemmatised with newsgraph.morph, so that a lexicon entry and
a word of the text are compared in the same form."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

from newsgraph.morph import WORD, lemma

DATA = Path(__file__).resolve().parents[1] / "data" / "events"
LANGS = ("uk", "ru", "en")


@cache
def load(name: str) -> dict:
    return yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8")) or {}


def phrase_key(phrase: str, lang: str) -> tuple[str, ...]:
    """A phrase as the tuple of its word lemmas ("у складі" -> ("у", "склад"))."""
    return tuple(lemma(word, lang) for word in WORD.findall(str(phrase)))


def word_set(entries, lang: str) -> frozenset[str]:
    """Single-word entries as a set of lemmas (surface forms are kept too, so
    that a form pymorphy3 lemmatises differently in context still matches)."""
    result: set[str] = set()
    for entry in entries or ():
        key = phrase_key(entry, lang)
        if len(key) == 1:
            result.add(key[0])
            result.add(str(entry).lower())
    return frozenset(result)


def phrase_set(entries, lang: str) -> frozenset[tuple[str, ...]]:
    """Entries of two or more words as lemma tuples."""
    return frozenset(k for k in (phrase_key(e, lang) for e in entries or ()) if len(k) > 1)


@dataclass(frozen=True)
class Markers:
    """The per-language marker sets of markers.yaml, speech.yaml and roles.yaml."""

    lang: str
    negation: frozenset[str]
    negation_exceptions: frozenset[str]
    cancelled: frozenset[str]
    future: frozenset[str]
    future_phrases: frozenset[tuple[str, ...]]
    infinitive: frozenset[str]
    hypothetical: frozenset[str]
    anaphora: frozenset[str]
    first_person: frozenset[str]
    clause_openers: frozenset[str]
    counterpart_prepositions: frozenset[str]
    relative_pronouns: frozenset[str]
    between_prepositions: frozenset[str]
    place_prepositions: frozenset[str]
    direction_prepositions: frozenset[str]
    role_prepositions: frozenset[str]
    coordinators: frozenset[str]
    companion: frozenset[str]
    coordinator_phrases: frozenset[tuple[str, ...]]
    delegation: frozenset[str]
    clause_bridges: frozenset[str]
    setting_prepositions: frozenset[str]
    time_nouns: frozenset[str]
    address_verbs: frozenset[str]
    delegation_phrases: frozenset[tuple[str, ...]]
    speech_verbs: frozenset[str]
    according_to: frozenset[tuple[str, ...]]
    statement_verbs: frozenset[str]
    statement_nouns: frozenset[str]
    source_verbs: frozenset[str]
    pronouns: frozenset[str]
    role_heads: frozenset[str]
    role_head_phrases: frozenset[tuple[str, ...]]
    canonical_roles: tuple[tuple[tuple[str, ...], str], ...] = field(default=())
    group_heads: frozenset[str] = frozenset()
    possessive_prepositions: frozenset[str] = frozenset()
    copula: frozenset[str] = frozenset()
    occur_verbs: frozenset[str] = frozenset()
    gap_conjunctions: frozenset[str] = frozenset()
    foreign_possessives: frozenset[str] = frozenset()
    report_verbs: frozenset[str] = frozenset()
    contrast_conjunctions: frozenset[str] = frozenset()
    title_nouns: frozenset[str] = frozenset()
    body_nouns: frozenset[str] = frozenset()


@cache
def markers(lang: str) -> Markers:
    lang = lang if lang in LANGS else "en"
    m = load("markers").get(lang, {})
    s = load("speech").get(lang, {})
    r = load("roles")
    heads = r.get("heads", {}).get(lang, [])
    canonical = []
    for role_id, per_lang in (r.get("canonical") or {}).items():
        for phrase in per_lang.get(lang, []):
            canonical.append((phrase_key(phrase, lang), role_id))
    canonical.sort(key=lambda item: -len(item[0]))  # longest phrase first
    according = [phrase_key(p, lang) for p in s.get("according_to", [])]
    return Markers(
        lang=lang,
        negation=word_set(m.get("negation"), lang) | frozenset(m.get("negation") or ()),
        negation_exceptions=word_set(m.get("negation_exceptions"), lang),
        cancelled=word_set(m.get("cancelled"), lang),
        future=word_set(m.get("future"), lang),
        future_phrases=phrase_set(m.get("future"), lang),
        infinitive=word_set(m.get("infinitive"), lang),
        hypothetical=word_set(m.get("hypothetical"), lang),
        anaphora=word_set(m.get("anaphora"), lang),
        first_person=word_set(m.get("first_person"), lang),
        clause_openers=word_set(m.get("clause_openers"), lang),
        counterpart_prepositions=word_set(m.get("counterpart_prepositions"), lang),
        relative_pronouns=word_set(m.get("relative_pronouns"), lang),
        between_prepositions=word_set(m.get("between_prepositions"), lang),
        place_prepositions=word_set(m.get("place_prepositions"), lang),
        direction_prepositions=word_set(m.get("direction_prepositions"), lang),
        role_prepositions=word_set(m.get("role_prepositions"), lang),
        coordinators=word_set(m.get("coordinators"), lang),
        companion=word_set(m.get("companion"), lang),
        coordinator_phrases=phrase_set(m.get("coordinators"), lang),
        delegation=word_set(m.get("delegation"), lang),
        clause_bridges=word_set(m.get("clause_bridges"), lang),
        setting_prepositions=word_set(m.get("setting_prepositions"), lang),
        time_nouns=word_set(m.get("time_nouns"), lang),
        address_verbs=word_set(m.get("address_verbs"), lang),
        delegation_phrases=phrase_set(m.get("delegation"), lang),
        speech_verbs=word_set(s.get("verbs"), lang),
        according_to=frozenset(k for k in according if k),
        statement_verbs=frozenset(str(w).lower() for w in s.get("statement_verbs") or ()),
        statement_nouns=word_set(s.get("statement_nouns"), lang),
        source_verbs=word_set(s.get("source_verbs"), lang),
        pronouns=word_set(s.get("pronouns"), lang),
        role_heads=word_set(heads, lang),
        role_head_phrases=phrase_set(heads, lang),
        canonical_roles=tuple(canonical),
        group_heads=word_set(m.get("group_heads"), lang),
        possessive_prepositions=word_set(m.get("possessive_prepositions"), lang),
        copula=word_set(m.get("copula"), lang),
        occur_verbs=word_set(m.get("occur_verbs"), lang),
        gap_conjunctions=word_set(m.get("gap_conjunctions"), lang),
        foreign_possessives=frozenset(str(w).lower() for w in m.get("foreign_possessives") or ()),
        report_verbs=word_set(s.get("verbs"), lang) | word_set(m.get("report_verbs"), lang),
        contrast_conjunctions=word_set(m.get("contrast_conjunctions"), lang),
        title_nouns=word_set(m.get("title_nouns"), lang),
        body_nouns=word_set(m.get("body_nouns"), lang),
    )


@dataclass(frozen=True)
class Trigger:
    kind: str  # meeting | talks | phone_call | visit
    cls: str  # verb | discuss | noun | visit | host | transitive


@cache
def triggers(lang: str) -> dict[str, Trigger]:
    """lemma -> Trigger for one language. A word listed under several kinds
    keeps the first (the YAML lists the general kinds first)."""
    lang = lang if lang in LANGS else "en"
    table: dict[str, Trigger] = {}
    for kind, classes in (load("triggers").get(lang) or {}).items():
        if kind == "modifiers":
            continue
        for cls, words in classes.items():
            for word in words:
                key = phrase_key(word, lang)
                if len(key) == 1:
                    table.setdefault(key[0], Trigger(kind, cls))
    return table


@cache
def modifiers(lang: str) -> dict[str, str]:
    """lemma -> the kind it upgrades a nearby trigger to."""
    lang = lang if lang in LANGS else "en"
    table: dict[str, str] = {}
    for kind, words in ((load("triggers").get(lang) or {}).get("modifiers") or {}).items():
        for word in words:
            for key in phrase_key(word, lang):
                table.setdefault(key, kind)
    return table


@cache
def cameo_codes() -> dict[str, str]:
    return {k: str(v) for k, v in (load("triggers").get("cameo") or {}).items()}


@cache
def _kb():
    from newsgraph.kb import load_kb

    return load_kb()


def kb_country(entity_id: str) -> str | None:
    """The country of a linked entity, as the knowledge base records it."""
    found = _kb().get(entity_id)
    return found.country if found is not None else None


@lru_cache(maxsize=20_000)
def name_country(name: str) -> str | None:
    """The country of the knowledge base's place or organisation of this name
    (nominative, or inflected: its word lemmas are tried too), else None."""
    kb = _kb()
    tries = [name] + [" ".join(phrase_key(name, lang)) for lang in ("uk", "ru")]
    for key in dict.fromkeys(tries):
        for entity in kb.lookup(key):
            if entity.type in ("LOC", "ORG") and entity.country:
                return entity.country
    return None


@cache
def _english_adjectives() -> dict[str, str]:
    from newsgraph.entities.link import DEMONYMS

    data = yaml.safe_load(DEMONYMS.read_text(encoding="utf-8")) or {}
    return {str(word).lower(): str(code) for code, words in (data.get("english") or {}).items() for word in words}


def adjective_country(word: str) -> str | None:
    """The country a place adjective names ("французький" -> FR, "French" ->
    FR): the demonyms of newsgraph/data/entities/demonyms.yaml, through the
    entity stage's rules over the knowledge base."""
    from newsgraph.entities.link import demonym_place

    word = word.lower()
    if word.isascii():
        return _english_adjectives().get(word)
    place = demonym_place(_kb(), word)
    return place.country if place is not None else None
