"""Nominative lemmas of entity mentions: "Дональда Трампа" -> "Дональд Трамп",
"Верховної Ради" -> "Верховна Рада", "Міністерства оборони України" ->
"Міністерство оборони України".

Ukrainian and Russian words are analysed with pymorphy3. A mention is a noun
phrase: for names of people every part is inflected (they agree in case and
gender: "Каєю Каллас" is a woman, so "Каллас" does not decline); for other
types only the head noun and the adjectives before it are inflected, the
genitive dependents after the head stay ("оборони України").

Words the dictionary does not know (foreign names) keep their surface form
unless they end in one of a few regular paradigms listed in
data/entities/lemma.yaml: pymorphy's guesses for them ("Лекорню" ->
"Лекорень", "Рютте" -> "Рютта") are nonsense more often than not.
English and Latin-script mentions stay as they are (minus a possessive 's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

from newsgraph.morph import parse as parse_word

DATA = Path(__file__).resolve().parents[1] / "data" / "entities" / "lemma.yaml"
SLAVIC = ("uk", "ru")

# Words with apostrophes ("здоров'я", "О'Лірі") and hyphens ("Нью-Йорка") are one token.
_TOKEN = re.compile(r"\w+(?:['’ʼ`\-‐‑]\w+)*")
_CYRILLIC = re.compile(r"[а-яёіїєґА-ЯЁІЇЄҐ]")
_HYPHEN = re.compile(r"([\-‐‑])")
_POSSESSIVE = re.compile(r"['’]s$")
# Soft hyphens, zero-width and direction marks pasted from web pages, and
# runs of spaces, are no part of a name.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
_SPACES = re.compile(r"\s+")
CASE_ALIASES = {"gen1": "gent", "gen2": "gent", "acc2": "accs", "loc1": "loct", "loc2": "loct"}
NAME_TAGS = ("Name", "Surn", "Patr")
CASES = frozenset({"nomn", "gent", "datv", "accs", "ablt", "loct", "voct", "gen1", "gen2", "acc2", "loc1", "loc2"})
GENDERS = frozenset({"masc", "femn", "neut"})
ADJECTIVES = ("ADJF", "PRTF")
GENDER_CHOICES = ("masc", "femn")


@cache
def _rules() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def _analyzer(language: str):
    # The project's one analyser per language: a second copy costs load time and memory.
    from newsgraph.morph import analyzer

    return analyzer(language)


@dataclass(frozen=True)
class Reading:
    """One grammatical reading of a word: enough to choose a reading that
    agrees with its neighbours and to produce its nominative."""

    pos: str
    case: str
    number: str
    gender: str | None
    tags: frozenset[str]
    score: float
    parse: object = None  # pymorphy Parse; None for a guessed reading
    guess: str = ""  # the nominative of a guessed reading

    @property
    def fixed(self) -> bool:
        return "Fixd" in self.tags

    @property
    def is_name(self) -> bool:
        return any(tag in self.tags for tag in NAME_TAGS)


def _from_parse(parse) -> Reading:
    tag = parse.tag
    case = tag.case or "nomn"
    return Reading(
        pos=tag.POS or "",
        case=CASE_ALIASES.get(case, case),
        number="plur" if "plur" in tag else "sing",
        gender=str(tag.gender) if tag.gender else None,
        tags=frozenset(tag.grammemes),
        score=parse.score,
        parse=parse,
    )


def _dictionary_key(word: str, language: str) -> str:
    # The Ukrainian dictionary spells the apostrophe as ASCII "'".
    word = word.lower()
    if language == "uk":
        word = re.sub("[’ʼ`]", "'", word)
    return word


@lru_cache(maxsize=100_000)
def readings(word: str, language: str, kind: str = "PER") -> tuple[Reading, ...]:
    """Dictionary readings of `word`, or guessed ones from regular paradigms;
    empty when the word is unknown and irregular (it then stays as it is)."""
    return _known(word, language) or _guessed(word, language, kind)


@lru_cache(maxsize=20_000)
def is_first_name(word: str) -> bool:
    """Whether a Cyrillic word is a first name and no surname in the uk and
    ru dictionaries ("Кирилл", "Борис"; not "Мартин", which uk reads as a
    surname, nor "Джонсон")."""
    if not _CYRILLIC.search(word):
        return False
    found = [r for language in SLAVIC for r in _known(word, language)]
    return any("Name" in r.tags for r in found) and not any("Surn" in r.tags for r in found)


@lru_cache(maxsize=20_000)
def is_common_noun(word: str) -> bool:
    """Whether a Cyrillic word is a common noun in the uk or ru dictionary
    and never a name there ("Патриарх", "Папа", "король")."""
    found = [r for language in SLAVIC for r in _known(word, language)] if _CYRILLIC.search(word) else []
    proper = ("Name", "Surn", "Patr", "Geox", "Orgn", "Abbr")
    return any(r.pos == "NOUN" for r in found) and not any(tag in r.tags for r in found for tag in proper)


def _known(word: str, language: str) -> tuple[Reading, ...]:
    key = _dictionary_key(word, language)
    morph = _analyzer(language)
    if not morph.word_is_known(key):
        return ()
    parses = [p for p in parse_word(key, language) if p.methods_stack[0][0].__class__.__name__ == "DictionaryAnalyzer"]
    return tuple(_from_parse(p) for p in parses)


def _guessed(word: str, language: str, kind: str) -> tuple[Reading, ...]:
    key = _dictionary_key(word, language)
    if kind == "PER":
        # "Ивановой" is a surname, not an adjective "ивановый".
        found = _guess(key, language, kind) or _predicted_adjective(key, language)
    else:
        # A full adjective ending beats a noun rule: "Майнцькому" is
        # майнцький, not a noun "майнцьком" in the dative.
        found = _predicted_adjective(key, language) or _guess(key, language, kind)
    if not found and kind == "PER":
        found = _prefixed_name(key, language)
    return found


def _prefixed_name(word: str, language: str) -> tuple[Reading, ...]:
    """Name readings pymorphy finds by taking one or two unknown letters off
    the front of a known name ("К|аей" -> Кая). Only names: the same trick
    for common nouns gives "Ле|корню" -> "лекорень"."""
    parses = [
        p
        for p in _analyzer(language).parse(word)
        if len(p.methods_stack) == 2
        and p.methods_stack[1][0].__class__.__name__ == "UnknownPrefixAnalyzer"
        and len(p.methods_stack[1][1]) <= 2
        and any(tag in p.tag for tag in NAME_TAGS)
    ]
    return tuple(_from_parse(p) for p in parses)


def _predicted_adjective(word: str, language: str) -> tuple[Reading, ...]:
    """pymorphy's guesses for an unknown word with a plain adjective ending
    ("коронавирусной", "Зеленского"): adjective paradigms are regular enough
    to trust, unlike its guesses for nouns."""
    if not word.endswith(tuple(_rules()["adjective_endings"][language])):
        return ()
    parses = [p for p in _analyzer(language).parse(word) if p.tag.POS == "ADJF"]
    return tuple(_from_parse(p) for p in parses)


def _guess(word: str, language: str, kind: str) -> tuple[Reading, ...]:
    """Readings from the regular paradigms of the rule file (see there)."""
    for group in _rules()["guess"]:
        if language not in group["languages"] or kind not in group["types"]:
            continue
        found = []
        for ending, nominative, gender, case in group["rules"]:
            stem = word[: len(word) - len(ending)]
            if not word.endswith(ending) or len(stem) < 2:
                continue
            if group["stem"] == "consonant" and not _ends_in_consonant(stem):
                continue
            if group["stem"] == "sibilant" and stem[-1] not in "жшчщц":
                continue
            if group["stem"] == "hard" and (not _ends_in_consonant(stem) or stem[-1] in "гкхжшчщц"):
                continue
            tags = frozenset({"NOUN", "Surn" if kind == "PER" else "Guess", gender, case, "sing"})
            found.append(Reading("NOUN", case, "sing", gender, tags, 0.5, None, stem + nominative))
        if found:
            return tuple(found)
    return ()


def _ends_in_consonant(stem: str) -> bool:
    return stem[-1] in "бвгґджзйклмнпрстфхцчшщ" and stem[-1] != "й"


def _nominative(reading: Reading, word: str, number: str | None = None, gender: str | None = None) -> str:
    """The nominative of `word` under `reading`, in the reading's own number
    and gender unless `number`/`gender` ask for agreement with a head noun."""
    if reading.parse is None:
        return reading.guess or word
    number = number or reading.number
    gender = gender if number == "sing" else None
    if reading.fixed or (reading.case == "nomn" and number == reading.number and gender in (None, reading.gender)):
        return word
    form = _inflect(reading.parse, number, gender)
    return form or word


@lru_cache(maxsize=100_000)
def _inflect(parse, number: str, gender: str | None) -> str | None:
    """The nominative form of `parse`'s lexeme in `number` (and `gender`).
    pymorphy's own `inflect` may jump to the plural ("арбітражу" ->
    "арбітражі"), and Ukrainian normal forms carry no case tag at all.
    Works on grammeme sets: pymorphy's tag attributes are slow."""
    own = parse.tag.grammemes
    pos = parse.tag.POS
    best, best_shared = None, -1
    for form in parse.lexeme:
        grammemes = form.tag.grammemes
        if pos not in grammemes or ("nomn" not in grammemes and grammemes & CASES):
            continue
        if ("plur" in grammemes) != (number == "plur"):
            continue
        if gender and grammemes & GENDERS and gender not in grammemes:
            continue
        shared = len(grammemes & own)
        if shared > best_shared:
            best, best_shared = form.word, shared
    return best


def match_case(surface: str, lemma: str) -> str:
    """Give `lemma` the letter case of `surface`, part by part for hyphenated
    words ("Франкфурте-на-Майне" -> "Франкфурт-на-Майне")."""
    surface_parts, lemma_parts = _HYPHEN.split(surface), _HYPHEN.split(lemma)
    if len(surface_parts) > 1 and len(surface_parts) == len(lemma_parts):
        return "".join(_match_case(a, b) for a, b in zip(surface_parts, lemma_parts, strict=True))
    return _match_case(surface, lemma)


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def _match_case(surface: str, lemma: str) -> str:
    """Give `lemma` the letter case of `surface`: the shared prefix is copied
    from the surface ("МИДа" -> "МИД", "МакКейна" -> "МакКейн")."""
    if surface.lower() == lemma:
        return surface
    a, b = _fold(surface), _fold(lemma)
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    rest = lemma[k:]
    if "ё" not in surface.lower():
        rest = rest.replace("ё", "е")
    if surface.isupper() and len(surface) > 1:
        rest = rest.upper()
    if k == 0 and surface[:1].isupper():
        rest = rest[:1].upper() + rest[1:]
    return surface[:k] + rest


@dataclass
class Token:
    text: str
    start: int
    end: int

    @property
    def slavic(self) -> bool:
        return bool(_CYRILLIC.search(self.text))


def _tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _word_part(token: str) -> tuple[str, str, str]:
    """Split a hyphenated token into (prefix, inflected part, suffix): the
    last Cyrillic part declines ("Нью-Йорка", "потока-2")."""
    parts = _HYPHEN.split(token)
    words = [i for i in range(0, len(parts), 2) if _CYRILLIC.search(parts[i])]
    if len(parts) == 1 or not words:
        return "", token, ""
    i = words[-1]
    return "".join(parts[:i]), parts[i], "".join(parts[i + 1 :])


@lru_cache(maxsize=100_000)
def _token_readings(token: str, language: str, kind: str) -> tuple[tuple[str, str, str], tuple[Reading, ...]]:
    """Readings of a token and the (prefix, part, suffix) they apply to: a
    hyphenated token the dictionary does not know as a whole is read by its
    last Cyrillic part ("РБК-Украина", "потока-2")."""
    whole = ("", token, "")
    if not _HYPHEN.search(token):
        return whole, readings(token, language, kind)
    found = _known(token, language)
    if found:
        return whole, found
    split = _word_part(token)
    return split, _known(split[1], language) or _guessed(split[1], language, kind)


def _abbreviation(token: str) -> str | None:
    """An abbreviation stays as written; one with a case ending loses it
    ("МИДа" -> "МИД"). None when `token` is no abbreviation."""
    upper = sum(ch.isupper() for ch in token)
    if upper < 2 or upper * 2 < len(token):
        return None
    found = _ABBREVIATION_ENDING.match(token)
    return found.group(1) if found else token


def _shouted(text: str, language: str) -> list[Token]:
    """Words written in capitals that are no abbreviations ("КИЇВ", "Алексей
    БУЛАТОВ"; not "НАТО", "ЮНЕСКО"): they are lemmatised as capitalised words."""
    found = []
    for token in _tokens(text):
        word = token.text
        if len(word) >= 4 and word.isupper() and _CYRILLIC.search(word):
            known = _known(word, language)
            if known and not any("Abbr" in r.tags for r in known):
                found.append(token)
    return found


_ABBREVIATION_ENDING = re.compile(r"^(\w*[^\W\d_a-zа-яёіїєґ])(?:а|у|ом|е|ы|и|ів|ов|ам|ом|ами|ах|і|ові)$")


@lru_cache(maxsize=200_000)
def lemmatize(text: str, type: str, language: str, gender: str | None = None) -> str:
    """The nominative lemma of one mention, in its own language; `gender`
    ("masc" or "femn") settles a personal name that could be either.
    Cached: the same mentions recur across articles."""
    text = _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()
    if language not in SLAVIC or not _CYRILLIC.search(text):
        return _POSSESSIVE.sub("", text)
    shouted = _shouted(text, language)
    for token in shouted:
        text = text[: token.start] + token.text.title() + text[token.end :]
    tokens = _tokens(text)
    if not tokens:
        return text
    if type == "PER" and _names_someone(tokens):
        lemmas = _person(tokens, language, gender)
    else:
        lemmas = _phrase(tokens, type, language)
    # The corpus cites Ukrainian capitals in title case ("КИЇВ" -> "Київ")
    # and keeps them in Russian ("МОСКВА"); see data/entities/lemma.yaml.
    if shouted and _rules()["capitals"].get(language) == "keep":
        starts = {t.start for t in shouted}
        lemmas = [lemma.upper() if t.start in starts else lemma for t, lemma in zip(tokens, lemmas, strict=True)]
    out, last = [], 0
    for token, lemma in zip(tokens, lemmas, strict=True):
        out.append(text[last : token.start])
        out.append(lemma)
        last = token.end
    out.append(text[last:])
    return "".join(out)


def _names_someone(tokens: list[Token]) -> bool:
    """A capitalised name, or one that starts with a particle ("фон
    Боленом"); lower-case PER mentions are groups ("россияне")."""
    first = tokens[0].text
    return first[:1].isupper() or (len(tokens) > 1 and first.lower() in _rules()["name_particles"])


def _inflected(token: Token, split: tuple[str, str, str], reading: Reading, number=None, gender=None) -> str:
    prefix, part, suffix = split
    nominative = _nominative(reading, part.lower(), number, gender)
    return match_case(token.text, prefix.lower() + nominative + suffix.lower())


# ---------------------------------------------------------------- people


def _person(tokens: list[Token], language: str, gender: str | None = None) -> list[str]:
    """Inflect every part of a personal name in one case and gender."""
    lemmas = [t.text for t in tokens]
    slots = _person_slots(tokens, language, lemmas)
    best = _choose_person([found for _, _, found in slots], (gender,) if gender else GENDER_CHOICES)
    if best is None:
        return lemmas
    case, gender = best
    for i, split, found in slots:
        reading = _pick(found, case, gender)
        if reading is not None:
            number = "sing" if reading.pos in ADJECTIVES else None
            lemmas[i] = _inflected(tokens[i], split, reading, number, gender)
    return lemmas


def _person_slots(tokens: list[Token], language: str, lemmas: list[str]) -> list[tuple[int, tuple[str, str, str], tuple[Reading, ...]]]:
    """(token index, split, readings) for the parts of a name that may
    decline; abbreviations get their lemma in `lemmas` right away."""
    particles = set(_rules()["name_particles"])
    slots = []
    for i, token in enumerate(tokens):
        if not token.slavic or token.text.lower() in particles or not token.text[:1].isupper() or len(token.text) == 1:
            continue  # particles and initials ("В. Путіним") do not decline
        abbreviation = _abbreviation(token.text)
        if abbreviation is not None:
            lemmas[i] = abbreviation
            continue
        split, found = _token_readings(token.text, language, "PER")
        slots.append((i, split, _name_readings(split[1], found)))
    return slots


@lru_cache(maxsize=100_000)
def person_genders(text: str, language: str) -> frozenset[str]:
    """The genders under which every declining part of a personal name has
    a reading in one case: {"masc"} for "Трампа", {"femn"} for
    "Голиковой", both for "Голикова" (Голиков's genitive, or Голикова)."""
    if language not in SLAVIC:
        return frozenset()
    tokens = _tokens(text.strip())
    known = [found for _, _, found in _person_slots(tokens, language, [t.text for t in tokens]) if found]
    if not known:
        return frozenset()
    order = _rules()["case_order"]
    return frozenset(
        gender
        for gender in GENDER_CHOICES
        if any(all(_pick(found, case, gender) is not None for found in known) for case in order)
    )


def lemmatize_article(mentions: list[tuple[str, str]], language: str) -> list[str]:
    """Lemmas of one article's (text, type) mentions. A personal name that
    could be a man's or a woman's ("Голикова": Голиков's genitive, or
    Голикова) takes the gender that the article's unambiguous mentions of
    the same surname show ("Татьяна Голикова", "Голиковой")."""
    lemmas = [lemmatize(text, type, language) for text, type in mentions]
    people = [i for i, (text, type) in enumerate(mentions) if type == "PER" and text.strip()[:1].isupper()]
    surnames: dict[str, set[str]] = {gender: set() for gender in GENDER_CHOICES}
    ambiguous = []
    for i in people:
        genders = person_genders(mentions[i][0], language)
        if len(genders) == 1:
            surnames[next(iter(genders))].add(_last_word(lemmas[i]))
        elif len(genders) > 1:
            ambiguous.append(i)
    for i in ambiguous:
        text = mentions[i][0]
        by_gender = {gender: lemmatize(text, "PER", language, gender) for gender in GENDER_CHOICES}
        shown = [gender for gender, lemma in by_gender.items() if _last_word(lemma) in surnames[gender]]
        if len(shown) == 1:
            lemmas[i] = by_gender[shown[0]]
    return lemmas


def _last_word(lemma: str) -> str:
    words = _TOKEN.findall(lemma)
    return _fold(words[-1]) if words else ""


def _name_readings(word: str, found: tuple[Reading, ...]) -> tuple[Reading, ...]:
    """Readings a part of a personal name can have: singular nouns (name
    readings win later), else adjectives (surnames in -ский). Plurals are no
    reading of a name ("Мясников" is not "мясники", "Енин" not "Енины").
    An unknown word in a consonant ("Браверман", "Бакес") is a man's name in
    the nominative or an indeclinable woman's name: it is no reading for
    a man's name in an oblique case."""
    nouns = [r for r in found if r.pos == "NOUN" and r.number == "sing"]
    if nouns:
        return tuple(nouns)
    adjectives = tuple(r for r in found if r.pos in ADJECTIVES and r.number == "sing")
    if adjectives or not _ends_in_consonant(word.lower()):
        return adjectives
    keep = word.lower()
    return (
        Reading("NOUN", "nomn", "sing", "masc", frozenset({"NOUN", "Guess"}), 0.5, None, keep),
        Reading("NOUN", "nomn", "sing", "femn", frozenset({"NOUN", "Guess", "Fixd"}), 0.5, None, keep),
    )


def _pick(found: tuple[Reading, ...], case: str, gender: str | None) -> Reading | None:
    fitting = [r for r in found if (r.case == case or r.fixed) and _gender_fits(r, gender)]
    if not fitting:
        return None
    return max(fitting, key=lambda r: (r.is_name, r.number == "sing", not r.fixed, r.score))


def _gender_fits(reading: Reading, gender: str | None) -> bool:
    return gender is None or reading.gender in (None, "ms-f", gender)


def _choose_person(slots: list[tuple[Reading, ...]], genders: tuple[str, ...] = ("masc", "femn")) -> tuple[str, str | None] | None:
    """The (case, gender) under which most name parts have a reading. Then:
    singular, name readings, the more frequent reading (pymorphy's score),
    masculine (the commoner gender in news), and the case order of the rule
    file, nominative first."""
    order = _rules()["case_order"]
    known = [found for found in slots if found]
    if not known:
        return None
    best, best_score = None, None
    for rank, case in enumerate(order):
        for gender in genders:
            picks = [_pick(found, case, gender) for found in known]
            if any(p is None for p in picks):
                continue
            score = (
                sum(p.number == "sing" for p in picks),
                sum(p.is_name for p in picks),
                round(sum(p.score for p in picks), 2),
                gender == "masc",
                -rank,
            )
            if best_score is None or score > best_score:
                best, best_score = (case, gender), score
    return best


# ---------------------------------------------------------------- other phrases

PROPER_BY_TYPE = {"LOC": ("Geox",), "ORG": ("Orgn", "Abbr"), "PER": NAME_TAGS, "EVT": (), "PRO": ()}


def _phrase(tokens: list[Token], type: str, language: str) -> list[str]:
    """Inflect the head noun and the adjectives before it; the rest stays."""
    lemmas = [t.text for t in tokens]
    analysed = []
    for i, token in enumerate(tokens):
        if not token.slavic:
            break
        abbreviation = _abbreviation(token.text)
        if abbreviation is not None:
            lemmas[i] = abbreviation
            break
        split, found = _token_readings(token.text, language, type)
        analysed.append((split, found))
        if not _modifies_next(found, tokens, i, language, type):
            break  # the head (or an unknown word) ends the inflected part
    if not analysed:
        return lemmas
    head_at = len(analysed) - 1
    head_split, head_found = analysed[-1]
    modifiers = analysed[:-1]
    capitalised = tokens[head_at].text[:1].isupper()
    head = _choose_head(head_found, [found for _, found in modifiers], head_split[1].lower(), type, capitalised)
    if head is None:
        return lemmas
    if head.pos in ADJECTIVES and not modifiers:
        # A lone adjective ("российской") is cited in the masculine singular.
        lemmas[head_at] = _inflected(tokens[head_at], head_split, head, "sing", "masc")
        return lemmas
    lemmas[head_at] = _inflected(tokens[head_at], head_split, head)
    for i, (split, found) in enumerate(modifiers):
        reading = _agreeing(found, head)
        if reading is not None:
            lemmas[i] = _inflected(tokens[i], split, reading, head.number, head.gender)
    return lemmas


def _modifies_next(found: tuple[Reading, ...], tokens: list[Token], i: int, language: str, kind: str) -> bool:
    """Whether token i is an adjective agreeing with the next word
    ("Стокгольмського арбітражу"), not a head followed by its genitive
    dependent ("Раду громадського контролю")."""
    adjectives = [r for r in found if r.pos in ADJECTIVES]
    if not adjectives or i + 1 >= len(tokens) or not tokens[i + 1].slavic:
        return False
    _, following = _token_readings(tokens[i + 1].text, language, kind)
    return any(_agree(a, r) for a in adjectives for r in following if r.pos in ("NOUN", *ADJECTIVES))


def _agree(adjective: Reading, word: Reading) -> bool:
    """Case and number agree, and gender in the singular."""
    if adjective.case != word.case or adjective.number != word.number:
        return False
    return word.number == "plur" or adjective.gender in (None, word.gender) or word.gender in (None, "ms-f")


def _agreeing(found: tuple[Reading, ...], head: Reading) -> Reading | None:
    """The adjective reading among `found` that agrees with `head`; of two
    equally likely lexemes the relational one, which names favour
    ("Окружного суда": окружной, not the qualitative окружный)."""
    fitting = [r for r in found if r.pos in ADJECTIVES and _agree(r, head)]
    return max(fitting, key=lambda r: (round(r.score, 3), "Qual" not in r.tags)) if fitting else None


def _choose_head(
    found: tuple[Reading, ...], modifiers: list[tuple[Reading, ...]], word: str, kind: str, capitalised: bool
) -> Reading | None:
    """The head noun's reading: the one its adjectives agree with; then a
    proper-name reading of the mention's type (a Geox reading for a place),
    singular (unless a known plural title: "Известия"), more frequent, the
    Ukrainian о/і alternation ("року" is "рік" before "рок", "Києві" "Київ"
    before "кий"), and by the case order (nominative first)."""
    order = _rules()["case_order"]
    if not found:
        return None
    proper = PROPER_BY_TYPE.get(kind, ()) if capitalised else ()
    plural_titles = set(_rules()["plural_titles"]) if capitalised else set()
    nouns = [r for r in found if r.pos == "NOUN"] or list(found)

    def score(r: Reading):
        return (
            sum(_agreeing(m, r) is not None for m in modifiers),
            any(tag in r.tags for tag in proper) or (bool(proper) and kind == "LOC" and _known_place(r)),
            # A place or an organisation is no person: "Києві" is not "Кий".
            not (r.is_name and "Name" not in proper),
            r.number == "sing" or ("Pltm" in r.tags and "Infr" not in r.tags) or _plural_title(r, plural_titles),
            round(r.score, 2),
            _alternates(word, r),
            -order.index(r.case) if r.case in order else -len(order),
        )

    return max(nouns, key=score)


def _known_place(reading: Reading) -> bool:
    """Whether the reading's lemma is a place of the NER gazetteer: the
    Ukrainian dictionary has no Geox tag, and "Францію" is Франція there,
    not "францій" (francium)."""
    from newsgraph.entities.features import places

    return reading.parse is not None and places().get(reading.parse.normal_form) == "full"


def _plural_title(reading: Reading, titles: set[str]) -> bool:
    if not titles or reading.parse is None or reading.number != "plur":
        return False
    return _inflect(reading.parse, "plur", None) in titles


def _alternates(word: str, reading: Reading) -> bool:
    """Whether the lemma shows the Ukrainian closed-syllable і where the
    inflected word has о/е/є: "року" -> "рік", "Києва" -> "Київ"."""
    if reading.parse is None:
        return False
    lemma = reading.parse.normal_form
    k = 0
    while k < min(len(word), len(lemma)) and word[k] == lemma[k]:
        k += 1
    return lemma[k : k + 1] in ("і", "ї") and word[k : k + 1] in ("о", "е", "є")
