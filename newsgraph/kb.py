"""The knowledge base (KB): known people, places, organisations, events and
media outlets, with their names in English, Ukrainian and Russian.

The data lives in `newsgraph/data/kb/*.yaml`: each file is a YAML list of
entries with `id` (ascii slug, unique across files), `type` (PER, LOC, ORG,
EVT, PRO), `names` (language -> nominative names, the first canonical),
and optionally `aliases`, `wikidata`, `country` (ISO alpha-2), `gender`
(m/f), `roles` ({role, of, from, to}), `part_of`, `kind` and `media`.
Users add their own files through the env var NEWSGRAPH_KB (os.pathsep-
separated) or `load_kb(extra_paths=...)`; a user file uses the same format,
its ids must not clash with the bundled ones, and a malformed one raises a
KBError naming the file and the entry.

    kb = load_kb()
    kb.lookup("Рустем Умєров")          # -> [KBEntity(id="umerov-rustem", ...)]
    kb.lookup("Люксембург")             # -> [country, city]: the caller decides
    kb.by_wikidata("Q212")              # -> the Ukraine entity

`kind` says what a LOC is (country, city, region, continent, sea, base,
facility); `media: true` marks a news outlet (type PRO). Role names use one
English vocabulary across countries ("minister of defence" also for the US
Secretary of Defense) so that a linker can map a title in the text onto a
role; `of` and `part_of` are an ISO country code or a KB id.

Lookup keys are normalised (see `normalize_key`), so inflection-free variants
of case, apostrophes, dashes, quotes, dots in abbreviations and Latin
diacritics meet; inflected forms ("Умєрова") are the linker's business.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

KB_DIR = Path(__file__).resolve().parent / "data" / "kb"
ENV_VAR = "NEWSGRAPH_KB"

TYPES = frozenset({"PER", "LOC", "ORG", "EVT", "PRO"})
ENTRY_KEYS = frozenset(
    {"id", "type", "wikidata", "country", "gender", "names", "aliases", "roles", "part_of", "kind", "media"}
)
ROLE_KEYS = frozenset({"role", "of", "from", "to"})

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q[1-9]\d*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
DATE_RE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?$")


class KBError(ValueError):
    """A KB file that cannot be used; the message names the file and entry."""


@dataclass(frozen=True)
class KBRole:
    """A position held: `from_`/`to` are YYYY, YYYY-MM or YYYY-MM-DD strings
    (`to` None: current or unknown). `of` is a country code or a KB id."""

    role: str
    of: str | None = None
    from_: str | None = None
    to: str | None = None

    def active_on(self, date: str) -> bool:
        """Whether the role was held on `date` (any precision). Unknown
        bounds are open, and a bound is compared at its own precision, so a
        role `to: 2025-07` is still active on 2025-07-20."""
        if self.from_ and date[: len(self.from_)] < self.from_[: len(date)]:
            return False
        if self.to and date[: len(self.to)] > self.to[: len(date)]:
            return False
        return True


@dataclass(frozen=True, eq=False)
class KBEntity:
    """One KB entry. `names[lang][0]` is the canonical (nominative) name.
    Equality and hashing go by id; treat the dicts as read-only."""

    id: str
    type: str
    names: dict[str, tuple[str, ...]]
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    wikidata: str | None = None
    country: str | None = None
    gender: str | None = None
    roles: tuple[KBRole, ...] = ()
    part_of: str | None = None
    kind: str | None = None
    media: bool = False
    source: str = ""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KBEntity) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def name(self, language: str = "en") -> str:
        """The canonical (nominative) name in `language`, else in English,
        else in whatever language the entry has."""
        for lang in (language, "en", *self.names):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.id

    def all_names(self) -> Iterator[tuple[str, str, bool]]:
        """(language, name, is_alias) for every name and alias."""
        for lang, names in self.names.items():
            for name in names:
                yield lang, name, False
        for lang, names in self.aliases.items():
            for name in names:
                yield lang, name, True

    def roles_on(self, date: str) -> list[KBRole]:
        return [role for role in self.roles if role.active_on(date)]


# -- key normalisation -------------------------------------------------------

_APOSTROPHES = str.maketrans({c: "'" for c in "ʼ’‘`´′ʹ‛"})
# The dashes alone: the spaces around them are collapsed with the others below.
# "\s*[-…]+\s*" rescanned a long run of spaces from each of its spaces (quadratic).
_DASHES = re.compile(r"[-‐‑‒–—―−]+")
_QUOTES = re.compile(r"[«»\"“”„‟‹›]")
_SPACES = re.compile(r"\s+")
# Latin letters that do not decompose under NFD.
_LATIN_EXTRA = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
# Latin look-alikes typed inside Cyrillic words ("Джoнсон" with a Latin o),
# after casefolding.
_HOMOGLYPHS = str.maketrans("aceopxykmthbi", "асеорхукмтнві")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")


def _strip_latin_marks(text: str) -> str:
    # Only marks on Latin letters go: й, ї, ё decompose too, and must stay
    # (ё is folded to е separately).
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch) and out and out[-1] < "\u0250":
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _fold_homoglyphs(text: str) -> str:
    words = text.split(" ")
    for i, word in enumerate(words):
        if _LATIN.search(word) and _CYRILLIC.search(word):
            words[i] = word.translate(_HOMOGLYPHS)
    return " ".join(words)


def _join_initials(text: str) -> str:
    # "j d vance" -> "jd vance", "u s" -> "us": a run of two or more
    # one-letter words is an abbreviation once its dots are gone.
    words = text.split(" ")
    out: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha():
            run.append(word)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if word:
            out.append(word)
    return " ".join(out)


@lru_cache(maxsize=1 << 16)
def normalize_key(text: str) -> str:
    """The lookup key of a name: casefolded, ё→е, ґ→г, apostrophes unified,
    quotes and dots dropped, dashes and spaces unified to one space, Latin
    diacritics removed, Latin look-alikes inside Cyrillic words made
    Cyrillic. Cached: the same surface forms recur on every page."""
    key = unicodedata.normalize("NFKC", text).casefold()
    key = key.translate(_APOSTROPHES).translate(_LATIN_EXTRA)
    key = key.replace("ё", "е").replace("ґ", "г")
    key = _strip_latin_marks(key)
    key = _QUOTES.sub(" ", key).replace(".", " ")
    key = _DASHES.sub(" ", key)
    key = _SPACES.sub(" ", key).strip(" ,;:!?'")
    return _join_initials(_fold_homoglyphs(key))


# -- the KB ------------------------------------------------------------------


class KB:
    """All entities plus indexes built once: normalised name -> entities and
    Wikidata id -> entity."""

    def __init__(self, entities: Iterable[KBEntity]):
        self.entities: dict[str, KBEntity] = {}
        for entity in entities:
            self.entities[entity.id] = entity
        index: dict[str, list[tuple[str, str, bool]]] = {}
        by_qid: dict[str, KBEntity] = {}
        countries: dict[str, KBEntity] = {}
        for entity in self.entities.values():
            seen: set[tuple[str, str]] = set()
            for lang, name, is_alias in entity.all_names():
                key = normalize_key(name)
                if key and (key, lang) not in seen:
                    seen.add((key, lang))
                    index.setdefault(key, []).append((entity.id, lang, is_alias))
            if entity.wikidata:
                by_qid.setdefault(entity.wikidata, entity)
            if entity.kind == "country" and entity.country:
                countries.setdefault(entity.country, entity)
        self._index = {key: tuple(hits) for key, hits in index.items()}
        self._by_qid = by_qid
        self._countries = countries
        self._keys: Mapping[str, tuple[str, ...]] | None = None

    def __len__(self) -> int:
        return len(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.entities

    def get(self, entity_id: str) -> KBEntity | None:
        return self.entities.get(entity_id)

    def lookup(self, name: str, language: str | None = None) -> list[KBEntity]:
        """Every entity one of whose names or aliases (in any language) has
        the normalised key of `name`, each once. With `language`, entities
        named so in that language come first; then canonical names before
        aliases; ties keep KB order. Ambiguous names return several
        entities: the caller disambiguates."""
        hits = self._index.get(normalize_key(name), ())
        ranked = sorted(
            range(len(hits)),
            key=lambda i: (language is not None and hits[i][1] != language, hits[i][2], i),
        )
        out: list[KBEntity] = []
        seen: set[str] = set()
        for i in ranked:
            entity_id = hits[i][0]
            if entity_id not in seen:
                seen.add(entity_id)
                out.append(self.entities[entity_id])
        return out

    def by_wikidata(self, qid: str) -> KBEntity | None:
        return self._by_qid.get(qid)

    def country(self, code: str) -> KBEntity | None:
        """The country entity for an ISO 3166-1 alpha-2 code."""
        return self._countries.get(code.upper())

    def keys(self) -> Mapping[str, tuple[str, ...]]:
        """Normalised name -> entity ids, e.g. for building a gazetteer.
        Built on first use, then shared."""
        if self._keys is None:
            self._keys = MappingProxyType(
                {key: tuple(dict.fromkeys(hit[0] for hit in hits)) for key, hits in self._index.items()}
            )
        return self._keys


# -- loading -----------------------------------------------------------------


def bundled_paths() -> list[Path]:
    # Countries first: on an otherwise equal tie ("Люксембург") the country
    # is the likelier reading, and lookup keeps KB order among equals.
    return sorted(KB_DIR.glob("*.yaml"), key=lambda p: (p.name != "countries.yaml", p.name))


def user_paths() -> list[Path]:
    value = os.environ.get(ENV_VAR, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def load_kb(extra_paths: Iterable[str | os.PathLike[str]] = ()) -> KB:
    """The bundled KB plus the user files named in NEWSGRAPH_KB and
    `extra_paths`. Cached per distinct set of files, so every caller in a
    process shares one KB."""
    paths = [*bundled_paths(), *user_paths(), *(Path(p) for p in extra_paths)]
    unique = tuple(dict.fromkeys(str(p.resolve()) for p in paths))
    return _load(unique)


@cache
def _load(paths: tuple[str, ...]) -> KB:
    entities: list[KBEntity] = []
    origin: dict[str, str] = {}
    for path in paths:
        for entity in _read_unchanged(path):
            if entity.id in origin:
                raise KBError(f"{path}: entry {entity.id!r}: id already defined in {origin[entity.id]}")
            origin[entity.id] = path
            entities.append(entity)
    return KB(entities)


def _read_unchanged(path: str) -> tuple[KBEntity, ...]:
    # Parse each file once per process while it is unchanged, so that KBs
    # with different user files share the parsing of the bundled ones.
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise KBError(f"{path}: cannot read KB file: {exc}") from exc
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_cached(path: str, mtime_ns: int, size: int) -> tuple[KBEntity, ...]:
    return tuple(read_kb_file(path))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when built in


def read_kb_file(path: str | os.PathLike[str]) -> list[KBEntity]:
    """Parse and validate one KB file; a KBError names the file and entry."""
    path = str(path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_Loader)
    except OSError as exc:
        raise KBError(f"{path}: cannot read KB file: {exc}") from exc
    except yaml.YAMLError as exc:
        raise KBError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise KBError(f"{path}: a KB file must be a YAML list of entities, got {type(data).__name__}")
    entities = []
    for number, entry in enumerate(data, start=1):
        label = f"entry {number}"
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            label += f" (id {entry['id']!r})"
        try:
            entities.append(_entity(entry, path))
        except KBError as exc:
            raise KBError(f"{path}: {label}: {exc}") from None
    return entities


def _entity(entry: Any, source: str) -> KBEntity:
    if not isinstance(entry, dict):
        raise KBError(f"expected a mapping, got {type(entry).__name__}")
    unknown = set(entry) - ENTRY_KEYS
    if unknown:
        raise KBError(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(ENTRY_KEYS)}")
    entity_id = _text(entry.get("id"), "id")
    if not ID_RE.match(entity_id):
        raise KBError(f"id {entity_id!r} must be an ascii lower-case slug (a-z, 0-9, '-')")
    entity_type = _text(entry.get("type"), "type")
    if entity_type not in TYPES:
        raise KBError(f"type {entity_type!r} must be one of {sorted(TYPES)}")
    names = _names(entry.get("names"), "names")
    if not names:
        raise KBError("names must give at least one name")
    gender = _optional(entry, "gender")
    if gender is not None and (gender not in ("m", "f") or entity_type != "PER"):
        raise KBError(f"gender {gender!r}: only 'm' or 'f', and only on PER entities")
    roles = entry.get("roles") or []
    if not isinstance(roles, list):
        raise KBError("roles must be a list")
    media = entry.get("media", False)
    if not isinstance(media, bool):
        raise KBError("media must be true or false")
    return KBEntity(
        id=entity_id,
        type=entity_type,
        names=names,
        aliases=_names(entry.get("aliases"), "aliases"),
        wikidata=_checked(entry, "wikidata", QID_RE, "a Wikidata id like Q212"),
        country=_checked(entry, "country", COUNTRY_RE, "an ISO 3166-1 alpha-2 code like UA"),
        gender=gender,
        roles=tuple(_role(role) for role in roles),
        part_of=_optional(entry, "part_of"),
        kind=_optional(entry, "kind"),
        media=media,
        source=source,
    )


def _text(value: Any, what: str) -> str:
    if isinstance(value, bool):  # an unquoted NO (Norway), yes, on, off
        raise KBError(f"{what} must be a string, got {value!r}: quote it, YAML reads NO/yes/on/off as booleans")
    if not isinstance(value, str) or not value.strip():
        raise KBError(f"{what} must be a non-empty string, got {value!r}")
    return value.strip()


def _optional(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    return None if value is None else _text(value, key)


def _checked(entry: dict, key: str, pattern: re.Pattern, what: str) -> str | None:
    value = _optional(entry, key)
    if value is not None and not pattern.match(value):
        raise KBError(f"{key} {value!r} must be {what}")
    return value


def _names(value: Any, what: str) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise KBError(f"{what} must map a language code to a list of names")
    out = {}
    for lang, names in value.items():
        if not isinstance(lang, str) or not LANG_RE.match(lang):
            raise KBError(f"{what}: {lang!r} is not a language code like 'uk'")
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not names:
            raise KBError(f"{what}.{lang} must be a non-empty list of names")
        out[lang] = tuple(_text(name, f"{what}.{lang} entry") for name in names)
    return out


def _role(value: Any) -> KBRole:
    if not isinstance(value, dict):
        raise KBError(f"a role must be a mapping, got {value!r}")
    unknown = set(value) - ROLE_KEYS
    if unknown:
        raise KBError(f"role has unknown field(s) {sorted(unknown)}; allowed: {sorted(ROLE_KEYS)}")
    role = KBRole(
        role=_text(value.get("role"), "role"),
        of=None if value.get("of") is None else _text(value["of"], "role 'of'"),
        from_=_date(value.get("from"), "from"),
        to=_date(value.get("to"), "to"),
    )
    if role.from_ and role.to and role.from_[: len(role.to)] > role.to[: len(role.from_)]:
        raise KBError(f"role {role.role!r}: from {role.from_} is after to {role.to}")
    return role


def _date(value: Any, what: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):  # YAML reads an unquoted 2024-05-13 as a date
        return value.isoformat()[:10]
    text = str(value).strip()  # and an unquoted 2024 as an int
    if not DATE_RE.match(text):
        raise KBError(f"role {what} {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
    return text
