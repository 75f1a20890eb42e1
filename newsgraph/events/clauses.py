"""Reading a clause around a trigger word: where the clause starts and
ends, whether the event is negated, planned or reported as done, and what
role each person mention plays in it (subject, companion after з/с/with,
object, or the dependent of another word), using case from pymorphy3.

Shared by the meeting stage; rule words come from markers.yaml.
"""

from __future__ import annotations

from newsgraph.events.lexicon import Markers, Trigger, markers, triggers
from newsgraph.events.roles import find_role, has_case, is_preposition, walk_back
from newsgraph.events.text import Doc, MentionRef
from newsgraph.morph import cases, is_known, parses

MODALITY_WINDOW = 4


# ----------------------------------------------------------------- clauses


def clause(doc: Doc, i: int, mk: Markers) -> tuple[int, int]:
    """Tokens [c0, c1) of the clause holding token i: the sentence cut at
    ";", ":" and at a comma that opens a subordinate clause (", що",
    ", на якій", ", під час якої", ", where")."""
    a, b = doc.sentences[doc.sentence_of[i]]
    c0 = a
    for k in range(i - 1, a - 1, -1):
        if _boundary(doc, k, mk):
            c0 = k + 1
            break
    c1 = b
    for k in range(i + 1, b):
        if _boundary(doc, k, mk):
            c1 = k
            break
    return c0, c1


def _boundary(doc: Doc, k: int, mk: Markers) -> bool:
    word = doc.words[k]
    if word in (";", ":"):
        return True
    if word != ",":
        return False
    if k + 1 < len(doc.words) and doc.lemmas[k + 1] in mk.gap_conjunctions and not phrase_at(doc, k + 1, mk.coordinator_phrases):
        return True  # ", а потім Лавров провів переговори": a new clause ("а також" is no break)
    for j in range(k + 1, min(k + 4, len(doc.words))):
        if doc.lemmas[j] in mk.clause_openers or doc.words[j].lower() in mk.clause_openers:
            return True
        if not is_preposition(doc, j, mk) and doc.lemmas[j] not in mk.clause_bridges:
            return False
    return False


# ----------------------------------------------------------------- modality


def verb_tense(doc: Doc, i: int) -> str:
    """past | futr | pres | infn | "" for a verb token."""
    readings = parses(doc.words[i], doc.lang)
    if not readings:
        return ""
    first = readings[0][1]
    if "INFN" in first:
        return "infn"
    for tense in ("past", "futr", "pres"):
        if tense in first:
            return tense
    return ""


def is_verb_token(doc: Doc, i: int) -> bool:
    readings = parses(doc.words[i], doc.lang)
    return bool(readings) and bool(readings[0][1] & {"VERB", "INFN"})


def phrase_at(doc: Doc, k: int, phrases) -> bool:
    return any(tuple(doc.lemmas[k : k + len(p)]) == p for p in phrases)


def _marker(doc: Doc, k: int, i: int, mk: Markers) -> bool:
    """A future or hypothetical marker at token k for the trigger at i:
    before it ("планують зустріч", "домовилися про зустріч") or right after
    it ("зустріч запланована"), but not a past verb after it ("в ході
    візиту домовився": the visit is the setting, not the thing agreed)."""
    if k == i:
        return False
    lem, word = doc.lemmas[k], doc.words[k].lower()
    if not (lem in mk.future or lem in mk.hypothetical or word in mk.hypothetical or phrase_at(doc, k, mk.future_phrases)):
        return False
    return k < i or verb_tense(doc, k) != "past"


def _past_governor(doc: Doc, k: int, c0: int, mk: Markers) -> bool:
    """An infinitive under a past verb that is no plan ("должен был
    подниматься во время встречи", "вдалося зустрітися"), not "планував
    зустрітися"."""
    for j in range(k - 1, max(c0, k - 3) - 1, -1):
        if is_verb_token(doc, j):
            return verb_tense(doc, j) == "past" and not _marker(doc, j, k, mk)
    return False


def _setting_between(doc: Doc, k: int, i: int, mk: Markers) -> bool:
    """A preposition between a negated verb at k and a meeting noun at i
    ("не вдалося ... на переговорах"): the noun is a setting, not what is negated."""
    return k < i and any(doc.lemmas[j] in mk.setting_prepositions or any("PREP" in g for _, g in parses(doc.words[j], doc.lang)) for j in range(k + 1, i))


def modality(doc: Doc, i: int, trigger: Trigger, c0: int, c1: int, mk: Markers) -> str:
    """happened | planned | negated | cancelled for the trigger at token i."""
    lo, hi = max(c0, i - MODALITY_WINDOW), min(c1, i + MODALITY_WINDOW + 1)
    # Negation reaches further back over an infinitive or a noun ("не мали
    # можливості поговорити", "не провели зустрічі").
    reach = 5 if trigger.cls == "noun" or verb_tense(doc, i) == "infn" else 3
    for k in range(max(c0, i - reach), min(c1, i + 3 if trigger.cls == "noun" else i)):
        if k != i and doc.lemmas[k] in mk.negation and not (k + 1 < c1 and doc.lemmas[k + 1] in mk.negation_exceptions):
            if trigger.cls == "noun" and _setting_between(doc, k, i, mk):
                continue  # "не вдалося досягти прориву на переговорах": the talks are the setting
            return "negated"
    # "Зустріч Путіна і Байдена була скасована": the predicate of a meeting
    # noun may stand after its owners.
    for k in range(lo, min(c1, i + 2 * MODALITY_WINDOW + 1) if trigger.cls == "noun" else hi):
        if doc.lemmas[k] in mk.cancelled or doc.words[k].lower() in mk.cancelled:
            return "cancelled"
    markers_found = any(_marker(doc, k, i, mk) for k in range(lo, min(hi, i + 3)))
    if doc.lang == "en":
        if i > c0 and doc.lemmas[i - 1] in mk.infinitive:
            return "planned"
        return "planned" if markers_found else "happened"
    if trigger.cls != "noun":
        tense = verb_tense(doc, i)
        if tense == "infn" and _past_governor(doc, i, c0, mk):
            return "happened"
        if tense == "past":
            return "happened"
        if tense in ("futr", "infn"):
            return "planned"
        return "planned" if markers_found else "happened"
    # A meeting noun takes its tense from the nearest verb of its clause
    # ("зустріч ... не планується").
    verbs = sorted((k for k in range(c0, c1) if k != i and is_verb_token(doc, k)), key=lambda k: abs(k - i))
    if verbs:
        nearest = verbs[0]
        if nearest > c0 and doc.lemmas[nearest - 1] in mk.negation and not _setting_between(doc, nearest, i, mk):
            return "negated"
        tense = verb_tense(doc, nearest)
        # A marker between the verb and the noun: "висловив надію на переговори".
        is_marker = _marker(doc, nearest, i, mk) or any(_marker(doc, k, i, mk) for k in range(nearest + 1, i))
        if (tense == "past" or (tense == "infn" and _past_governor(doc, nearest, c0, mk))) and not is_marker:
            return "happened"
        if tense in ("futr", "infn") or is_marker:
            return "planned"
    return "planned" if markers_found else "happened"


# ----------------------------------------------------------------- people


def maybe_case(doc: Doc, ref: MentionRef, case: str) -> bool:
    """Whether a person mention can be in `case` (uk/ru): by the dictionary
    words of the name ("Себастьяном" is not nominative); for a surname the
    dictionary does not know, by its lemma ("Фокса" is not "Фокс") or else
    by a role word right before it ("помощника Л.Фокса"); true when nothing
    tells (foreign names like "Лекорню")."""
    if doc.lang not in ("uk", "ru"):
        return True
    by_lemma = None
    if case == "nomn":
        following = doc.mention(ref.w1)
        if following is not None and following.type == "PER":
            return False  # "Помічник Сибіги Олег Ніколенко": a dependent of the next name's role
        by_lemma = _nominative_by_lemma(doc, ref)
        if by_lemma is False:
            return False
    # A person's accusative is the genitive form ("зустрів Мааса" though
    # the dictionary only knows the river Маас).
    cases = (case, "gent") if case == "accs" else (case,)
    known = [k for k in range(ref.w0, ref.w1) if inflected(doc, k)]
    if known:
        # "план Терезы Мэй": the known first name tells the case (a person is
        # one: "Терезы" is also a nominative plural).
        if case == "nomn" and ref.type == "PER":
            return any(_name_nominative(doc, k) for k in known)
        return any(has_case(doc, k, c) for k in known for c in cases)
    if by_lemma:
        return True
    head = _adjacent_head(doc, ref)
    if head is not None and inflected(doc, head):
        return any(has_case(doc, head, c) for c in cases)
    return True


def _name_nominative(doc: Doc, k: int) -> bool:
    """A nominative reading of a known word of a name; of a first name or
    surname only in the singular ("Терезы" is no nominative, "Ливни" is)."""
    names = [g for _, g in parses(doc.words[k], doc.lang) if g & {"Name", "Surn", "Patr"}]
    if names:
        return any("nomn" in g and "plur" not in g for g in names)
    return has_case(doc, k, "nomn")


def _adjacent_head(doc: Doc, ref: MentionRef) -> int | None:
    """A role word right before a name, places and organisations aside."""
    mk = markers(doc.lang)
    k = ref.w0 - 1
    while k >= 0:
        other = doc.mention(k)
        if other is None:
            break
        if other.type == "PER":
            return None
        k = other.w0 - 1
    return k if k >= 0 and doc.lemmas[k] in mk.role_heads else None


def _nominative_by_lemma(doc: Doc, ref: MentionRef) -> bool | None:
    """For a surname the dictionary does not know: nominative when it is the
    last word of its lemma ("Лекорню" / "Себастьян Лекорню"), not when it
    differs ("Фокса" / "Фокс"). None without a lemma or for known words."""
    lemma_text = ref.lemma or ref.entity.lemma
    last = doc.words[ref.w1 - 1]
    if not lemma_text or is_known(last, doc.lang):
        return None
    words = lemma_text.split()
    return bool(words) and words[-1].lower().replace("ё", "е") == last.lower().replace("ё", "е")


class Governors:
    """What governs each person mention: free (a subject or object), with
    (a companion after з/с/with), between, or other (any other preposition)."""

    def __init__(self, doc: Doc, mk: Markers):
        self.doc, self.mk = doc, mk
        self.memo: dict[int, tuple[str, int]] = {}

    def of(self, ref: MentionRef) -> tuple[str, int]:
        key = ref.w0
        if key not in self.memo:
            self.memo[key] = ("free", -1)  # guards against loops
            self.memo[key] = self._compute(ref)
        return self.memo[key]

    def _compute(self, ref: MentionRef) -> tuple[str, int]:
        doc, mk = self.doc, self.mk
        a = phrase_start(doc, ref, mk)
        g = a - 1
        if g < 0 or doc.sentence_of[g] != doc.sentence_of[ref.w0]:
            return "free", -1
        lem = doc.lemmas[g]
        if lem in mk.counterpart_prepositions or doc.words[g].lower() in mk.counterpart_prepositions:
            # The instrumental marks a companion: "з міністром", not "з Києва".
            if doc.lang in ("uk", "ru") and g + 1 < len(doc.words) and doc.mention(g + 1) is None:
                if inflected(doc, g + 1) and not has_case(doc, g + 1, "ablt"):
                    return "other", g
            if g > 0 and doc.lemmas[g - 1] in mk.companion:
                return "companion", g  # "разом з", "вместе с", "together with"
            if g > 1 and doc.lemmas[g - 1] in mk.coordinators:
                # "вместе с X и с Y": Y is what X is.
                previous = doc.mention(g - 2)
                if previous is not None and previous.type == "PER" and self.of(previous)[0] == "companion":
                    return "companion", g
            if g + 1 < ref.w0 and ref.type == "PER" and not maybe_case(doc, ref, "ablt"):
                # "после консультаций с союзниками Джонсон решил": a nominative
                # name after the phrase starts a new one.
                return "free", -1
            return "with", g
        if lem in mk.between_prepositions:
            return "between", g
        if lem in mk.coordinators or doc.words[g] == ",":
            previous = doc.mention(g - 1) if g > 0 else None
            if previous is not None and previous.type == "PER":
                return self.of(previous)
            return "free", g
        if is_preposition(doc, g, mk):
            return "other", g
        return "free", g


def phrase_start(doc: Doc, ref: MentionRef, mk: Markers) -> int:
    """Where the noun phrase of a person mention starts: its role phrase
    ("з французьким колегою | Себастьяном Лекорню") when it has one, else the
    stretch of name-like words before it; never before a meeting word
    ("зустріч | Зеленського і Дуди")."""
    a = walk_back(doc, ref)
    table = triggers(doc.lang)
    for k in range(ref.w0 - 1, a - 1, -1):
        # "... з Туском, а потім | Сибіга": a new clause starts there too.
        if doc.lemmas[k] in table or (doc.lemmas[k] in mk.gap_conjunctions and not phrase_at(doc, k, mk.coordinator_phrases)):
            a = k + 1
            break
    found = find_role(doc, a, ref.w0, mk)
    if found is not None:
        return found[0]
    # With no role, a place or organisation right before the name ends its
    # phrase ("на полях саміту G7 | Зеленський зустрівся").
    for k in range(ref.w0 - 1, a - 1, -1):
        other = doc.mention(k)
        if other is not None and other.type in ("LOC", "ORG"):
            return other.w1
    return a


def people_in(doc: Doc, c0: int, c1: int) -> list[MentionRef]:
    return [m for m in doc.mentions if m.type == "PER" and c0 <= m.w0 and m.w1 <= c1]


def unique(entities: list) -> list:
    seen: set[str] = set()
    result = []
    for entity in entities:
        if entity.id not in seen:
            seen.add(entity.id)
            result.append(entity)
    return result


def maybe_case_word(doc: Doc, k: int, case: str) -> bool:
    return doc.lang not in ("uk", "ru") or not inflected(doc, k) or has_case(doc, k, case)


def inflected(doc: Doc, k: int) -> bool:
    """A dictionary word whose readings carry a case (some uk entries, like
    "Глава", come without one)."""
    word = doc.words[k]
    if not word[0].isalpha() or word.endswith(".") or not is_known(word, doc.lang):
        return False
    return bool(cases(word, doc.lang))


def nominative_singular(doc: Doc, k: int) -> bool:
    """A word that can be a singular subject ("Глава держави", not "главы")."""
    if doc.lang not in ("uk", "ru") or not inflected(doc, k):
        return True
    return any("nomn" in g and "plur" not in g for _, g in parses(doc.words[k], doc.lang))


def participle(doc: Doc, i: int) -> bool:
    """"приехавшие", "запланированная": describe people or things, state no meeting."""
    readings = parses(doc.words[i], doc.lang)
    return bool(readings) and bool(readings[0][1] & {"PRTF", "PRTS"})
