"""Linking: one article's mentions become entities with stable,
language-independent ids.

Within an article, mentions of one thing are grouped: the same nominative
lemma ("Трампа", "Трамп" -> Трамп), and a surname alone joins the full name
that ends in it ("Умєров" -> "Рустем Умєров"). Each entity then gets its id:

* a knowledge-base entity (newsgraph.kb) keeps the KB id and Wikidata id;
  names are looked up by lemma and by surface form in any language, and a
  surname alone by the surnames of the KB's people;
* anything else gets "<type>:<key>", where the key is the transliteration
  key of newsgraph.entities.translit, the same for the Ukrainian, Russian
  and Latin spelling of a name: "per:umerov" for Умєров, Умеров and Umerov.
  People are keyed by surname alone, so "Трамп" in one article and "Дональд
  Трамп" in another get one id.

`lemma` is the fullest nominative name in the article's language; `name` is
the English KB name, else a Latin transliteration of the lemma.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

import yaml

from newsgraph.entities.lemma import is_common_noun, is_first_name, lemmatize_article
from newsgraph.entities.translit import key as translit_key
from newsgraph.entities.translit import latin
from newsgraph.model import Entity, Mention, content_id

# Types that may name the same thing: a country is a place (LOC) and a
# government (ORG); a news outlet is an organisation or a product (PRO).
COMPATIBLE = {
    "PER": ("PER",),
    "LOC": ("LOC", "ORG"),
    "ORG": ("ORG", "LOC", "PRO"),
    "EVT": ("EVT",),
    "PRO": ("PRO", "ORG"),
}
ID_PREFIX = {"PER": "per", "LOC": "loc", "ORG": "org", "EVT": "evt", "PRO": "pro"}
MAX_SLUG = 48
MAX_ENDING = 3  # letters a case ending may add to a KB name (as a key: "ами" -> "ami")
STEM = 7  # letters kept of each word of a non-person key (tuned on the SlavicNER train split)
PLACE_KINDS = ("country", "city", "continent", "region")
DEMONYMS = Path(__file__).resolve().parents[1] / "data" / "entities" / "demonyms.yaml"
_WORD = re.compile(r"\w+(?:['’ʼ`\-‐‑]\w+)*")


@dataclass
class _Group:
    """The mentions of one entity in one article."""

    type: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def lemmas(self) -> Counter:
        return Counter(m.lemma for m in self.mentions)


def link(mentions: list[Mention], language: str, kb=None) -> list[Entity]:
    """Group one article's mentions into entities and give each its id.
    Mentions without a lemma get one from `lemmatize_article`. `kb` is a
    newsgraph.kb.KB; by default the bundled KB plus the NEWSGRAPH_KB files."""
    if kb is None:
        kb = _default_kb()
    # Lemmatised together: a name's gender can show in another mention of it.
    lemmas = iter(lemmatize_article([(m.text, m.type) for m in mentions if not m.lemma], language))
    mentions = [m if m.lemma else replace(m, lemma=next(lemmas)) for m in mentions]
    # A lower-case PER mention names a group ("россияне", "демократы"), not
    # a person: it is keyed like any other name, not by surname.
    people = [m for m in mentions if m.type == "PER" and not m.lemma[:1].islower()]
    groups = _group_people(people)
    groups += _group_others([m for m in mentions if m.type != "PER" or m.lemma[:1].islower()])
    by_id: dict[str, list[Entity]] = defaultdict(list)
    for group in groups:
        entity = _entity(group, language, kb)
        by_id[entity.id].append(entity)
    _join_shortened(by_id)
    entities = [_merge(parts) for parts in by_id.values()]
    return sorted(entities, key=lambda e: e.mentions[0].start)


def _join_shortened(by_id: dict[str, list[Entity]]) -> None:
    """A shortened name the KB does not know joins the one KB entity that
    all the article's longer names starting with it got ("МИД" ->
    "МИД Великобритании", "МИД Британии"); grouping joined it only to a
    single longer name."""
    names = {
        i: {tuple(entity_key("", m.lemma).split()) for part in parts for m in part.mentions}
        for i, parts in by_id.items()
        if parts[0].type != "PER"
    }
    for short in [i for i in names if ":" in i and len(names[i]) == 1]:
        words = next(iter(names[short]))
        n = len(words)
        longer = {
            i
            for i, found in names.items()
            if i != short and any(len(w) > n and w[:n] == words and not w[n][:1].isdigit() for w in found)
        }
        if len(longer) == 1 and ":" not in next(iter(longer)):
            by_id[next(iter(longer))].extend(by_id.pop(short))
            del names[short]


def _merge(parts: list[Entity]) -> Entity:
    """One entity from groups that got one id (two spellings of a KB entity,
    "США" and "Сполучені Штати"; a country and its adjective "російський"):
    the capitalised, most mentioned part names it."""
    main = max(parts, key=lambda e: (e.lemma[:1].isupper(), len(e.mentions)))
    main.mentions = sorted((m for part in parts for m in part.mentions), key=lambda m: m.start)
    return main


@cache
def _default_kb():
    try:
        from newsgraph.kb import load_kb
    except ImportError:  # the KB module is optional: link with keys alone
        return None
    return load_kb()


# ---------------------------------------------------------------- grouping


@lru_cache(maxsize=100_000)
def name_words(lemma: str) -> tuple[str, ...]:
    """The words of a personal name that identify it: no particles ("фон",
    "дер"), no initials ("А.", "В")."""
    particles = _particles()
    return tuple(w for w in _WORD.findall(lemma) if len(w) > 1 and w.lower() not in particles)


@cache
def _particles() -> frozenset[str]:
    from newsgraph.entities.lemma import _rules

    return frozenset(_rules()["name_particles"])


@lru_cache(maxsize=100_000)
def surname_key(lemma: str) -> str:
    """The key people are linked by: the last name word, of a hyphenated one
    its last part ("Дональд Трамп" -> "tramp", "Саиф уль-Малук" -> "maluk")."""
    words = name_words(lemma)
    word = re.split(r"[\-‐‑]", words[-1])[-1] if words else lemma
    return translit_key(word)


def _group_people(mentions: list[Mention]) -> list[_Group]:
    """Full names group by surname and first initial; a surname (or a first
    name) alone joins the one full name that has it."""
    full: dict[tuple[str, str], _Group] = {}
    single: list[Mention] = []
    for mention in mentions:
        words = name_words(mention.lemma)
        if len(words) < 2:
            single.append(mention)
            continue
        slot = (surname_key(mention.lemma), translit_key(words[0])[:1])
        full.setdefault(slot, _Group("PER")).mentions.append(mention)
    _merge_stray_prefixes(full)
    by_surname: dict[str, list[_Group]] = defaultdict(list)
    by_first: dict[str, list[_Group]] = defaultdict(list)
    for (surname, _), group in full.items():
        by_surname[surname].append(group)
        first = name_words(group.mentions[0].lemma)[0]
        by_first[translit_key(first)].append(group)
    alone: dict[str, _Group] = {}
    for mention in single:
        k = surname_key(mention.lemma)
        candidates = by_surname.get(k) or by_first.get(k) or []
        if candidates:
            # Two full names with one surname ("Дональд Трамп", "Іванка
            # Трамп"): the surname alone is the one named most often.
            max(candidates, key=lambda g: len(g.mentions)).mentions.append(mention)
        else:
            alone.setdefault(k, _Group("PER")).mentions.append(mention)
    return [*full.values(), *alone.values()]


def _merge_stray_prefixes(full: dict[tuple[str, str], _Group]) -> None:
    """A longer name whose last two words are another full name of the
    article is that person: NER sometimes glues a preceding word to the
    name ("Україна-НАТО Рустем Умєров" beside "Рустем Умєров")."""
    for slot, group in list(full.items()):
        words = name_words(group.mentions[0].lemma)
        if len(words) < 3:
            continue
        inner = (slot[0], translit_key(words[-2])[:1])
        if inner != slot and inner in full:
            full[inner].mentions.extend(group.mentions)
            del full[slot]


def _group_others(mentions: list[Mention]) -> list[_Group]:
    """Mentions group by key, within one type or COMPATIBLE types: the stem
    "koronav" of "CoronaVac" (PRO) and "коронавирус" (EVT) is no one thing."""
    by_key: dict[str, list[_Group]] = {}
    for mention in mentions:
        k = entity_key(mention.type, mention.lemma) or mention.lemma.casefold()
        groups = by_key.setdefault(k, [])
        group = next((g for g in groups if mention.type in COMPATIBLE.get(g.type, (g.type,))), None)
        if group is None:
            group = _Group(mention.type)
            groups.append(group)
        group.mentions.append(mention)
    # Shortened names join within the main group of each key.
    groups = {k: found[0] for k, found in by_key.items()}
    _merge_shortened(groups)
    found = [*groups.values(), *(g for found in by_key.values() for g in found[1:])]
    for group in found:
        group.type = Counter(m.type for m in group.mentions).most_common(1)[0][0]
    return found


def _merge_shortened(groups: dict[str, _Group]) -> None:
    """A shortened name joins the one longer name of the article it starts
    ("Сенат" -> "Сенат США", "Палата" -> "Палата представителей"), but not
    across a number ("Северный поток" is not "Северный поток-2")."""
    words = {k: k.split() for k in groups}
    for short in sorted(groups, key=len):
        n = len(words[short])
        longer = [
            k for k in groups if len(words[k]) > n and words[k][:n] == words[short] and not words[k][n][:1].isdigit()
        ]
        if len(longer) == 1:
            groups[longer[0]].mentions.extend(groups.pop(short).mentions)


# ---------------------------------------------------------------- ids


def _entity(group: _Group, language: str, kb) -> Entity:
    lemma = _display_lemma(group)
    known = _kb_entity(group, language, kb) if kb is not None else None
    if known is not None:
        return Entity(
            id=known.id,
            type=group.type,
            lemma=lemma,
            name=known.name("en"),
            wikidata=known.wikidata,
            mentions=list(group.mentions),
        )
    return Entity(
        id=unknown_id(group.type, lemma),
        type=group.type,
        lemma=lemma,
        name=latin(lemma, language),
        mentions=list(group.mentions),
    )


def _display_lemma(group: _Group) -> str:
    """The fullest name for people ("Дональд Трамп" over "Трамп"), else the
    commonest lemma (ties: the longer)."""
    counts = group.lemmas
    if group.type == "PER":
        return max(counts, key=lambda lemma: (len(name_words(lemma)), counts[lemma], len(lemma)))
    return max(counts, key=lambda lemma: (counts[lemma], len(lemma)))


def unknown_id(type: str, lemma: str) -> str:
    """The id of an entity the KB does not know: "per:umerov", "org:verhovn-rada"."""
    slug = surname_key(lemma) if type == "PER" else entity_key(type, lemma)
    slug = slug.replace(" ", "-")
    if not slug:  # a script without a key (Greek, CJK): a hash of the lemma
        slug = content_id(lemma.casefold())
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rstrip("-") + "-" + content_id(slug)[:6]
    return f"{ID_PREFIX.get(type) or type.lower() or 'ent'}:{slug}"


@lru_cache(maxsize=100_000)
def entity_key(type: str, lemma: str) -> str:
    """The key of a name other than a person's: the translit key with every
    word cut to its first STEM letters, so that the Ukrainian and Russian
    forms of one name meet ("Демократична партія", "Демократическая партия"
    -> "demokra partia"; "Палата представників", "Палата представителей" ->
    "palata predsta") and so do case endings a lemma kept ("Неваде")."""
    return " ".join(word[:STEM] for word in translit_key(lemma).split())


def _kb_entity(group: _Group, language: str, kb):
    """The KB entity named by the group's lemmas or surface forms, of a
    compatible type; people also by surname when the first initial agrees."""
    allowed = COMPATIBLE.get(group.type, (group.type,))
    names = [lemma for lemma, _ in group.lemmas.most_common()]
    names += [m.text for m in group.mentions if m.text not in names]
    for name in names:
        found = _lookup(kb, name, language, allowed)
        if found is not None:
            return found
    if group.type == "PER":
        found = _kb_person_by_surname(kb, _display_lemma(group))
        if found is not None:
            return found
    else:
        for name in names:
            found = _kb_by_stem(kb, name, allowed)
            if found is not None:
                return found
    for name in names:
        # An adjective or inhabitants' name ("російський", "британцы"); a
        # capitalised PER word is rather a surname ("Зеленский").
        if (name[:1].islower() or group.type != "PER") and " " not in name.strip():
            found = demonym_place(kb, name)
            if found is not None:
                return found
    return None


@lru_cache(maxsize=100_000)
def _lookup(kb, name: str, language: str, allowed: tuple[str, ...]):
    candidates = kb.lookup(name, language)
    for wanted in allowed:  # the mention's own type first
        for candidate in candidates:
            if candidate.type == wanted:
                return candidate
    return None


@lru_cache(maxsize=100_000)
def _kb_by_stem(kb, name: str, allowed: tuple[str, ...]):
    """The one KB entity of an allowed type with a name that `name` is an
    inflected form of: a form the lemmatiser left as it was ("Роснефти",
    "Чекерсе", "Грайфсвальдом") still finds its entity. Names meet by stem
    key, then every word must keep all of the KB word but its last letter
    and add at most a case ending ("Єврокомісар" is no "Єврокомісія").
    None when no or several entities fit."""
    words = translit_key(name).split()
    if not words:
        return None
    found = {
        entity.id: entity
        for kb_words, entity in _kb_stems(kb).get(entity_key("", name), ())
        if entity.type in allowed and all(map(_inflects, kb_words, words))
    }
    return next(iter(found.values())) if len(found) == 1 else None


def _inflects(nominative: str, word: str) -> bool:
    """Whether key `word` may be an inflected form of key `nominative`."""
    shared = len(os.path.commonprefix((nominative, word)))
    return shared >= len(nominative) - 1 and len(word) - shared <= MAX_ENDING


@lru_cache(maxsize=4)
def _kb_stems(kb) -> dict[str, tuple]:
    """stem key (entity_key) -> ((words of the name's key, KB entity), ...)
    for the names of every KB entity but people."""
    found: dict[str, list] = defaultdict(list)
    for entity in kb.entities.values():
        if entity.type == "PER":
            continue
        for _, name, _ in entity.all_names():
            words = tuple(translit_key(name).split())
            if words:
                found[" ".join(word[:STEM] for word in words)].append((words, entity))
    return {key: tuple(names) for key, names in found.items()}


@lru_cache(maxsize=100_000)
def _kb_person_by_surname(kb, lemma: str):
    words = name_words(lemma)
    if not words:
        return None
    people = _kb_surnames(kb).get(surname_key(lemma), ())
    if len(people) != 1:
        return None
    person, initials = people[0]
    if len(words) > 1 and translit_key(words[0])[:1] not in initials:
        return None  # "Іванка Трамп" is not the KB's Donald Trump
    return person


@cache
def _demonyms() -> dict:
    return yaml.safe_load(DEMONYMS.read_text(encoding="utf-8"))


@lru_cache(maxsize=20_000)
def demonym_place(kb, word: str):
    """The KB country or city an adjective or inhabitants' name refers to:
    "российский" -> Russia, "британцы" -> the United Kingdom."""
    data = _demonyms()
    word = word.lower()
    for target, stems in data["irregular"].items():
        if word.startswith(tuple(stems)):
            return kb.country(target) if len(target) == 2 else kb.get(target)
    suffix = next((s for s in data["suffixes"] if word.endswith(s) and len(word) > len(s)), None)
    if suffix is None:
        return None
    stem = translit_key(word[: -len(suffix)])
    if len(stem) < data["min_stem"]:
        return None
    best, best_rank = None, None
    # Either key starts the other and both have min_stem letters: they share those.
    for name_key, entity in _kb_places(kb, data["min_stem"]).get(stem[: data["min_stem"]], ()):
        if name_key.startswith(stem) or stem.startswith(name_key):
            # The closest name first ("уханьский" is Wuhan, not Uganda),
            # then the kind (a country before a city).
            rank = (abs(len(name_key) - len(stem)), PLACE_KINDS.index(entity.kind))
            if best_rank is None or rank < best_rank:
                best, best_rank = entity, rank
    return best


@lru_cache(maxsize=4)
def _kb_places(kb, prefix: int) -> dict[str, list]:
    """The KB's countries and cities by the first `prefix` letters of the
    key of their one-word uk/ru names: {prefix: [(name key, entity)]}."""
    found: dict[str, list] = defaultdict(list)
    for entity in kb.entities.values():
        if entity.type != "LOC" or entity.kind not in PLACE_KINDS:
            continue
        for language, name, _ in entity.all_names():
            name_key = translit_key(name)
            if language in ("uk", "ru") and " " not in name_key and len(name_key) >= prefix:
                found[name_key[:prefix]].append((name_key, entity))
    return dict(found)


def _titled_first_name(name: str) -> bool:
    """Whether a KB name is a title and a first name ("Патриарх Кирилл"), not
    a first name and a surname ("Роберт Абела", "Шарль Мишель")."""
    words = name_words(name)
    return len(words) > 1 and is_first_name(words[-1]) and is_common_noun(words[0])


@lru_cache(maxsize=4)
def _kb_surnames(kb) -> dict[str, tuple]:
    """surname key -> ((KB person, first-name initials in any language), ...)."""
    found: dict[str, dict[str, tuple]] = defaultdict(dict)
    for entity in kb.entities.values():
        if entity.type != "PER":
            continue
        # A title and a first name ("Патриарх Кирилл", "Папа Франциск") is
        # no surname: a lone "Кирилл" is anybody of that name.
        first_names = {surname_key(n) for _, n, _ in entity.all_names() if _titled_first_name(n)}
        for _, name, _ in entity.all_names():
            words = name_words(name)
            if len(words) < 2:
                continue
            surname = surname_key(name)
            if surname in first_names:
                continue
            person, initials = found[surname].get(entity.id, (entity, frozenset()))
            found[surname][entity.id] = (person, initials | {translit_key(words[0])[:1]})
    return {surname: tuple(people.values()) for surname, people in found.items()}
