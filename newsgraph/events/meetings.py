"""Meetings an article reports: who met whom, where, when, in what form.

For every sentence holding a trigger word (triggers.yaml) the clause around
the trigger is read:

* its modality: future tense, infinitives ("планує зустрітися"), future and
  hypothetical markers make it `planned`; negated and cancelled meetings are
  kept as `planned` with that status ("не зустрічався з", "скасували");
* its participants: people named as subjects (nominative, not governed by a
  preposition), companions after з/с/with (the instrumental case marks the
  counterpart), people after між/между/between, the genitive owners of a
  meeting noun ("зустріч Зеленського і Дуди"), the object of a transitive
  trigger ("met Rubio", "прийняв ... прем'єра"); a pronoun subject ("вони з
  Умєровим провели") takes the subject of the clause that reports it
  ("Лекорню зазначив, що ..."), a first-person one inside a quote its
  speaker; a subject like "сторони"/"міністри" refers back to the last
  meeting and adds its sentence as evidence; a counterpart or owner named
  only by role ("з прем'єр-міністром Туреччини") is the article's one holder
  of that role;
* its place: a location after у/в/in/at (or до/to after a visit verb);
* its kind: meeting, talks, phone_call or visit, upgraded by nearby words
  ("телефонна розмова", "з візитом").

Drafts with the same participants are merged; "X met A and B" is split into
X–A and X–B when the article also reports one of them alone. Meetings named
in the title are merged with the body's or, when the body does not report
them with a trigger, given the body sentence that names the most of their
participants as evidence. Dates come from the evidence sentence or
paragraph (newsgraph.events.dates), else the publication date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from newsgraph.events.clauses import (
    Governors,
    clause,
    has_case,
    is_verb_token,
    maybe_case,
    maybe_case_word,
    modality,
    nominative_singular,
    participle,
    people_in,
    phrase_at,
    phrase_start,
    unique,
    verb_tense,
)
from newsgraph.events.dates import publication_date
from newsgraph.events.lexicon import Markers, Trigger, adjective_country, cameo_codes, load, markers, modifiers, triggers, word_set
from newsgraph.events.roles import MAX_ROLE_TOKENS, RoleFact, country_of_entity, find_role, is_preposition, participant_role, resolve_role, role_reference, role_tokens, walk_back
from newsgraph.events.text import Doc, MentionRef
from newsgraph.model import Meeting, Participant
from newsgraph.morph import lemma, parses

KIND_PRIORITY = {"phone_call": 3, "talks": 2, "visit": 1, "meeting": 0}
OWNER_GAP = 2
DASHES = frozenset("—–-")


@dataclass
class Draft:
    participants: list  # entities, subject side first
    subjects: int
    kind: str
    cls: str
    planned: bool
    evidence: list[int]  # sentence indices into the body
    place: object = None  # an Entity
    splittable: bool = False
    anaphoric: bool = False
    from_title: bool = False
    trigger_char: int = -1
    context: list[tuple[int, int]] = field(default_factory=list)
    status: str = "happened"  # happened | planned | negated | cancelled (the last three are `planned`)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(e.id for e in self.participants)


def _kind(doc: Doc, i: int, trigger: Trigger, c0: int, c1: int) -> str:
    kind = trigger.kind
    table = modifiers(doc.lang)
    for k in range(max(c0, i - 3), min(c1, i + 4)):
        upgrade = table.get(doc.lemmas[k])
        if upgrade and KIND_PRIORITY[upgrade] > KIND_PRIORITY[kind]:
            kind = upgrade
    return kind


def _attaches_to_clause(doc: Doc, k: int, i: int) -> bool:
    """Whether a place phrase after token k belongs to the clause (the
    meeting) rather than to a noun ("ситуацію в Лівії", "безпеку в Європі"):
    it follows the trigger, a name, a verb, an adverb, punctuation or a date;
    a closing quote mark counts as the word it closes ("«агресії» в Чорному морі")."""
    while k > 0 and k != i and doc.words[k] in "»\"“" and doc.mention(k) is None:
        k -= 1
    if k < 0 or k == i or not doc.is_word(k) or doc.mention(k) is not None:
        return True
    if doc.words[k][0].isdigit() or doc.lemmas[k] in triggers(doc.lang) or doc.lemmas[k] in _date_words(doc.lang):
        return True
    readings = parses(doc.words[k], doc.lang)
    if not readings:
        return doc.lang == "en" and doc.words[k][0].islower() is False
    return not readings[0][1] & {"NOUN", "ADJF", "NPRO"}


@cache
def _date_words(lang: str) -> frozenset[str]:
    """Weekday and month names, and the time nouns a place may follow
    ("у середу в Парижі", "у 2024 році в Києві")."""
    data = load("dates")
    words = set(markers(lang).time_nouns)
    for table in ("months", "weekdays"):
        for forms in (data.get(table) or {}).get(lang, []):
            words.update(lemma(str(f), lang) for f in forms)
    return frozenset(words)


def _place(doc: Doc, i: int, trigger: Trigger, c0: int, c1: int, mk: Markers) -> MentionRef | None:
    """The location the clause puts the meeting in, nearest the trigger."""
    best = None
    for ref in doc.mentions:
        if ref.type != "LOC" or not (c0 <= ref.w0 and ref.w1 <= c1):
            continue
        g = ref.w0 - 1
        if g < c0:
            continue
        lem = doc.lemmas[g]
        visit = trigger.cls == "visit" or trigger.kind == "visit"
        ok = lem in mk.place_prepositions or doc.words[g].lower() in mk.place_prepositions
        if doc.lang in ("uk", "ru") and ok and not (maybe_case(doc, ref, "loct") or visit):
            ok = False
        if visit and (lem in mk.direction_prepositions or g == i or (g == i + 1 and doc.lang == "en")):
            ok = True  # "прибув до Києва", "відвідав Київ", "візит до Вашингтона"
        if not ok or (g != i and not _attaches_to_clause(doc, g - 1, i)):
            continue
        # "посол Італії в Грузії Віторіо Сандалі": a place inside a role phrase.
        following = ref.w1
        while following < c1 and doc.is_word(following) and doc.mention(following) is None and doc.words[following][0].islower() and following - ref.w1 < 4:
            following += 1
        nxt = doc.mention(following) if following < c1 else None
        if nxt is not None and nxt.type == "PER" and following == ref.w1:
            continue
        if best is None or abs(ref.w0 - i) < abs(best.w0 - i):
            best = ref
    return best


# ----------------------------------------------------------------- drafts


class Reader:
    """Reads the meetings of one analysed text, trigger by trigger."""

    def __init__(self, doc: Doc, facts: list[RoleFact], counts: Counter, quote_speaker):
        self.doc = doc
        self.mk = markers(doc.lang)
        self.governors = Governors(doc, self.mk)
        self.facts = facts
        self.counts = counts
        self.quote_speaker = quote_speaker
        # Token spans of the role phrases of this text's people: an
        # organisation inside one ("глава ОАО «Газпром» Алексей Миллер") is
        # that person's employer, not a side of the meeting.
        self.role_spans = [f.tokens for f in facts if 0 <= f.person.w0 < len(doc.words) and doc.mention(f.person.w0) is f.person]
        self._gapped: list[Draft] = []  # second meetings of a sentence with a left-out verb

    def drafts(self) -> list[Draft]:
        table = triggers(self.doc.lang)
        found = []
        for i, lem in enumerate(self.doc.lemmas):
            trigger = table.get(lem)
            if trigger is None or self._in_title(i):
                continue
            if participle(self.doc, i) or _passive(self.doc, i):
                draft = self.passive_host(i, trigger) if trigger.cls == "host" else None
            else:
                draft = self.analyse(i, trigger)
            if draft is not None:
                found.append(draft)
                found += self._gapped
            self._gapped = []
        return found

    def _body_agent(self, i: int, c0: int) -> bool:
        """An infinitive trigger after a noun and its genitive place or
        organisation ("отказ Киева принять", "рішення уряду зустрітися"):
        that body is the one who meets."""
        doc = self.doc
        agent = doc.mention(i - 1) if i > c0 else None
        own = parses(doc.words[i], doc.lang)
        # pymorphy3 tags the infinitive "INFN" in ru and "infn" in uk
        if agent is None or agent.type not in ("LOC", "ORG") or agent.w0 <= c0 or not (own and own[0][1] & {"INFN", "infn"}):
            return False
        readings = parses(doc.words[agent.w0 - 1], doc.lang)
        return bool(readings) and "NOUN" in readings[0][1] and maybe_case(doc, agent, "gent")

    def _session(self, i: int, c1: int) -> bool:
        """A meeting noun owned by a body ("нарада уряду", "совещание
        Совета безопасности"): a session of that body."""
        doc = self.doc
        for k in range(i + 1, min(c1, i + 3)):
            if doc.lemmas[k] in self.mk.body_nouns:
                return maybe_case_word(doc, k, "gent")
            readings = parses(doc.words[k], doc.lang)
            if not readings or "ADJF" not in readings[0][1]:
                return False
        return False

    def _in_title(self, i: int) -> bool:
        """A trigger inside a quoted title after a word like "фільм"/"книга"
        ("фільм «Коли Гаррі зустрів Саллі»"): a name, not a meeting."""
        doc = self.doc
        quoted = doc.quote_around(doc.starts[i])
        if quoted is None:
            return False
        opening = doc.token_at(quoted[0])
        a = doc.sentences[doc.sentence_of[i]][0]
        return any(doc.lemmas[k] in self.mk.title_nouns for k in range(max(a, opening - 2), opening))

    def _gap(self, i: int, c1: int) -> tuple[int, list[MentionRef], list[MentionRef]] | None:
        """"Лавров встретился с Ван И, а Шойгу — с Дун Цзюнем": after ", а" a
        second pair of sides whose verb a dash stands for (c1: the end of the
        sentence). (The comma, the new subjects, their counterparts) or None."""
        doc, mk = self.doc, self.mk
        for j in range(i + 1, c1 - 3):
            if doc.words[j] != "," or doc.lemmas[j + 1] not in mk.gap_conjunctions:
                continue
            dash = next((k for k in range(j + 2, min(c1, j + 12)) if doc.words[k] in DASHES), None)
            if dash is None:
                return None
            subjects = [r for r in people_in(doc, j + 2, dash) if maybe_case(doc, r, "nomn")]
            others = [r for r in people_in(doc, dash + 1, c1) if self.governors.of(r)[0] == "with"]
            return (j, subjects, others) if subjects and others else None
        return None

    def passive_host(self, i: int, trigger: Trigger) -> Draft | None:
        """"Лавров був прийнятий Путіним", "Лавров был принят Путиным": the
        guest is the subject, the host the agent in the instrumental."""
        doc, mk = self.doc, self.mk
        readings = parses(doc.words[i], doc.lang)
        if doc.lang not in ("uk", "ru") or not readings or "pssv" not in readings[0][1]:
            return None
        # The predicate, not an attribute ("стратегії, прийнятої Мей"): a short
        # form or a copula before it.
        if "PRTS" not in readings[0][1] and not any(doc.lemmas[k] in mk.copula for k in range(max(0, i - 2), i)):
            return None
        c0, c1 = clause(doc, i, mk)
        if any(doc.lemmas[k] in mk.negation for k in range(max(c0, i - 3), i)):
            return None
        free = [r for r in people_in(doc, c0, c1) if self.governors.of(r)[0] == "free"]
        guests = [r for r in free if r.w1 <= i and maybe_case(doc, r, "nomn")]
        hosts = [r for r in free if r.w0 > i and maybe_case(doc, r, "ablt")][:1]
        if not guests or not hosts:
            return None
        # "буде прийнятий", "будет принят": still to come.
        planned = any(doc.lemmas[k] in mk.future or verb_tense(doc, k) == "futr" for k in range(max(c0, i - 3), i) if is_verb_token(doc, k) or doc.lemmas[k] in mk.future)
        place = _place(doc, i, trigger, c0, c1, mk)
        entities = unique([r.entity for r in hosts] + [r.entity for r in guests])
        status = "planned" if planned else "happened"
        return Draft(entities, 1, "visit", "host", planned, [doc.sentence_of[i]], place.entity if place else None, trigger_char=doc.starts[i], status=status)

    def analyse(self, i: int, trigger: Trigger) -> Draft | None:
        """The meeting draft stated around trigger token i, or None."""
        doc, mk = self.doc, self.mk
        c0, c1 = clause(doc, i, mk)
        gap = self._gap(i, doc.sentences[doc.sentence_of[i]][1]) if doc.lang in ("uk", "ru") else None
        if gap is not None:
            c1 = gap[0]
        self._trigger = i
        # Negated and cancelled meetings are kept, marked planned with their
        # status: "X refused to meet Y" is news too, and FactRuEval annotates them.
        mode = modality(doc, i, trigger, c0, c1, mk)
        subjects, others, after, companions = [], [], [], []
        # Organisations take part only in a meeting the clause reports as an
        # event, not in a process named in passing ("позиція на переговорах з
        # ЄС", "план щодо переговорів з ЄС").
        event = self._event = trigger.cls != "noun" or self._event_noun(i, c0)
        with_orgs = []
        for ref in self._actors(c0, c1):
            how, g = self._how(ref)
            if ref.type == "ORG":
                if not event or (how in ("with", "between") and not self._attached(g, i)):
                    continue  # "обговорили співпрацю з ЄС": the body goes with another noun
                if how == "with":
                    with_orgs.append(ref)
            if how in ("with", "between"):
                others.append(ref)
            elif how == "companion":
                companions.append(ref)
            elif how == "free":
                if ref.w1 <= i:
                    if self._nominative(ref) and (ref.type == "PER" or self._near_verb(ref, i)):
                        subjects.append(ref)
                elif ref.type == "PER" or trigger.cls == "noun":
                    after.append(ref)  # an organisation only as the owner of a meeting noun
        if trigger.cls != "noun" and self._body_agent(i, c0):
            return None  # "осудил отказ Киева принять X": Kyiv, not the subject, was to receive X
        if trigger.cls == "noun" and not others and self._session(i, c1):
            return None  # "нарада уряду", "на совещании правительства X поручил Y": a session, not X meeting Y
        subjects = self._nearest_subjects(subjects, i)
        if trigger.cls == "noun" and self._foreign_possessor(i, c0):
            # "вимагали розслідувати його розмову з ...": the meeting is someone else's.
            subjects = []
        objects = self._objects(i, trigger, after)
        if trigger.cls == "noun" and i + 2 < c1 and doc.lemmas[i + 1] in mk.possessive_prepositions:
            # "аудієнція у королеви": the one who receives is the other side.
            host = doc.mention(i + 2)
            if host is not None and host.type == "PER" and maybe_case(doc, host, "gent") and host not in others:
                others.append(host)
        owners = self._owners(i, trigger, after) if trigger.cls == "noun" else []
        if trigger.cls == "noun" and not owners and i + 1 < c1 and doc.mention(i + 1) is None and maybe_case_word(doc, i + 1, "gent"):
            # "зустріч прем'єр-міністра Польщі з Зеленським": an owner named by role.
            owners = self._role_holders(i + 1, c1, frozenset(r.id for r in people_in(doc, c0, c1)))[0]
        if owners:
            # "Пєсков розповів про зустріч Путіна з ...": the teller is no participant.
            subjects = owners
        elif not subjects and (trigger.cls in ("verb", "discuss", "visit") or (trigger.cls == "noun" and self._setting(i, c0))):
            # Verb or meeting noun first: "Зустрілися Умєров і Лекорню",
            # "Під час зустрічі з Хлопоніним Пшихачев розповідав".
            subjects = self._inverted_subjects(i, c1, after, objects)
        subjects = subjects + companions
        if trigger.cls == "noun" and not others and not objects and self._setting(i, c0):
            # "Путін у телефонній розмові привітав Діас-Канеля", "Мааса
            # заверил Лавров во время визита": the meeting is the setting,
            # the person greeted or told is the counterpart.
            free = [r for r in people_in(doc, c0, c1) if r not in subjects and self.governors.of(r)[0] == "free" and self._addressed(r)]
            objects = [r for r in free if not maybe_case(doc, r, "nomn") and (maybe_case(doc, r, "accs") or maybe_case(doc, r, "datv"))][:1]
        if not objects:
            named = frozenset(r.id for r in people_in(doc, c0, c1))
            others += [r for r in self._role_counterparts(i, c0, c1, named) if r not in others]
        if not others and not objects and self._group_counterpart(c0, c1):
            # "X і Y зустрілися з журналістами", "переговори з ЄС": a group or
            # a body is the other side, not a person.
            return None
        guest = self._pronoun_guest(i, c0) if trigger.cls == "host" and not subjects else None
        if guest is not None:
            # "Його прийняв президент X": the guest is whom the sentence
            # before is about, the name after the verb the host.
            hosts = [r for r in after if maybe_case(doc, r, "nomn")][:1]
            if hosts and guest.id != hosts[0].id:
                subjects, objects = hosts, [guest]
        elif trigger.cls == "host" and not objects:
            # "Туска прийняв Зеленський": the name before the verb is the
            # guest when case tells the two apart (it cannot be the subject,
            # or the one after the verb cannot be the object).
            hosts = [r for r in after if maybe_case(doc, r, "nomn")][:1]
            guest = self._fronted_object(i, c0) if hosts else None
            if guest is not None and guest.id != hosts[0].id and not (maybe_case(doc, guest, "nomn") and maybe_case(doc, hosts[0], "accs")):
                subjects, objects = hosts, [guest]
        if trigger.cls == "host" and not objects:
            return None
        anaphoric = False
        if not subjects and len(unique([r.entity for r in others + objects])) < 2:
            subjects, anaphoric = self._implicit_subjects(i, c0, c1)
        elif not subjects and others and not owners and c0 > doc.sentences[doc.sentence_of[i]][0] and self._subjectless(i, c0, c1):
            # "Меркель і Олланд прилетіли до Мінська, де провели переговори з
            # Путіним і Лукашенком": the subject of the main clause.
            subjects = self._implicit_subjects(i, c0, c1)[0]
        if not subjects and with_orgs:
            # "веде переговори з Pfizer і Moderna": two bodies on one side, not a meeting of the two.
            others = [r for r in others if r not in with_orgs]
        entities = unique([r.entity for r in subjects] + [r.entity for r in others] + [r.entity for r in objects])
        n_subjects = len(unique([r.entity for r in subjects]))
        place = _place(doc, i, trigger, c0, c1, mk)
        draft = Draft(
            participants=entities,
            subjects=n_subjects,
            kind=_kind(doc, i, trigger, c0, c1),
            cls=trigger.cls,
            planned=mode != "happened",
            evidence=[doc.sentence_of[i]],
            place=place.entity if place else None,
            splittable=n_subjects == 1 and len(entities) - 1 >= 2,
            anaphoric=anaphoric,
            trigger_char=doc.starts[i],
            status=mode,
        )
        if trigger.kind == "visit" and trigger.cls in ("visit", "transitive") and not others and not objects:
            # Travellers with no named host: one traveller is a lone visit
            # (merged into the meetings of the article, or kept with its
            # place); several are companions, not a meeting.
            draft.participants = entities[:1] if len(entities) == 1 and place is not None else []
            draft.splittable = False
            return draft if draft.participants else None
        if gap is not None and (len(entities) >= 2 or anaphoric):
            sides = unique([r.entity for r in gap[1]] + [r.entity for r in gap[2]])
            self._gapped.append(Draft(sides, len(unique([r.entity for r in gap[1]])), draft.kind, draft.cls, draft.planned, list(draft.evidence), trigger_char=draft.trigger_char, status=mode))
        if len(entities) >= 2 or anaphoric:
            return draft
        return None

    def _noun_subject(self, i: int, c0: int, c1: int) -> bool:
        """A common noun for people in the nominative in the clause, which can
        be its subject ("лидеры фракции встречались")."""
        doc = self.doc
        table = triggers(doc.lang)
        for j in range(c0, c1):
            if j == i or doc.mention(j) is not None or not doc.words[j][:1].isalpha() or doc.lemmas[j] in table:
                continue
            readings = parses(doc.words[j], doc.lang)
            tags = readings[0][1] if readings else frozenset()
            if {"NOUN", "nomn", "anim"} <= tags and "Abbr" not in tags and not (doc.lemmas[j] in self.mk.role_heads and "sing" in tags):
                return True  # a role word in the singular is read as a reference to a person
        return False

    def _org_subject(self, i: int, c0: int) -> bool:
        """An organisation in the nominative before the trigger, with no
        preposition before it: the subject of its clause."""
        doc = self.doc
        for m in doc.mentions:
            if m.type == "ORG" and c0 <= m.w0 and m.w1 <= i and self.governors.of(m)[0] == "free" and self._nominative(m):
                return True
        return False

    def _nearest_subjects(self, subjects: list[MentionRef], i: int) -> list[MentionRef]:
        """Of the subjects before the trigger, those of its own verb: a person
        with a verb between them and a nearer subject is the subject of that
        verb ("чи зможе Клінтон перемогти, журналіст X поговорив з Y")."""
        doc = self.doc
        kept: list[MentionRef] = []
        for ref in reversed(subjects):
            end = kept[0].w0 if kept else i
            if kept and any(is_verb_token(doc, k) for k in range(ref.w1, end)):
                break
            kept.insert(0, ref)
        return kept

    def _foreign_possessor(self, i: int, c0: int) -> bool:
        """A third-person possessive right before a meeting noun ("його
        зустрічі", "их переговоры"), over adjectives: not the subject's own."""
        doc = self.doc
        k = i - 1
        while k >= c0 and k >= i - 4:
            if doc.words[k].lower() in self.mk.foreign_possessives:
                return True
            readings = parses(doc.words[k], doc.lang)
            if not readings or not readings[0][1] & {"ADJF", "ADVB", "PRTF"}:
                return False
            k -= 1
        return False

    def _fronted_object(self, i: int, c0: int) -> MentionRef | None:
        """A person who can be in the accusative right before the verb, when
        the caller knows the subject follows it: "Медведева принимал Обама"."""
        doc = self.doc
        before = [r for r in people_in(doc, c0, i) if self.governors.of(r)[0] == "free"]
        # Right before the verb: "Дэвиса, отставку которого приняла Мэй" is no guest.
        if before and before[-1].w1 == i and maybe_case(doc, before[-1], "accs"):
            return before[-1]
        return None

    def _pronoun_guest(self, i: int, c0: int) -> MentionRef | None:
        """The person an object pronoun right before a host verb stands for
        ("Його прийняв", "Его принял"): the last subject before the sentence."""
        doc, mk = self.doc, self.mk
        for k in range(max(c0, i - 2), i):
            word = doc.words[k].lower()
            if word not in mk.pronouns and any(n in mk.pronouns and {"NPRO", "accs"} <= g for n, g in parses(word, doc.lang)):
                return self._previous_subject(doc.sentences[doc.sentence_of[i]][0], fallback=False, reach=1)
        return None

    def _role_counterparts(self, i: int, c0: int, c1: int, named: frozenset[str]) -> list[MentionRef]:
        """"зустрівся з прем'єр-міністром Туреччини", "с главой МИД Китая", "с
        президентами России и США": a counterpart named only by role is the
        person of the article who holds that role (a role fact with the same
        canonical role or head word and, when the phrase names one, the same
        country or organisation); nobody when the article names no such person
        or several. Coordinated roles ("з президентом Польщі та прем'єром
        Чехії") are read one by one."""
        doc, mk = self.doc, self.mk
        found = []
        for k in range(c0, c1 - 1):
            if doc.lemmas[k] not in mk.counterpart_prepositions or doc.mention(k + 1) is not None:
                continue
            if (doc.lang in ("uk", "ru") and not maybe_case_word(doc, k + 1, "ablt")) or not self._attached(k, i):
                continue
            start = k + 1
            while start < c1:
                holders, end = self._role_holders(start, c1, named)
                found += holders
                if not holders or end >= c1 or not (doc.lemmas[end] in mk.coordinators or doc.words[end] == ","):
                    break
                start = end + 1
                if start < c1 and doc.lemmas[start] in mk.counterpart_prepositions:
                    start += 1  # "з X і з Y"
        return found

    def _named_after(self, k: int, c1: int) -> bool:
        """A person's name at token k, or after a place phrase there ("в Лондоні")."""
        doc = self.doc
        while k < c1:
            found = doc.mention(k)
            if found is not None and found.type == "PER":
                return True
            if found is not None and found.type == "LOC":
                k = found.w1
            elif found is None and doc.lemmas[k] in self.mk.place_prepositions:
                k += 1
            else:
                return False
        return False

    def _role_holders(self, a: int, c1: int, named: frozenset[str]) -> tuple[list[MentionRef], int]:
        """The people of the article (not in `named`) who hold the role that
        the phrase at token a names: one, or one per country of a plural role
        ("президентами России и США"); and the token after the phrase."""
        reference = role_reference(self.doc, a, c1)
        if reference is None:
            return [], a
        places, countries, end = self._role_scope(a, c1)
        if self._named_after(end, c1):
            return [], end  # "з послом Росії в Києві Олегом X": the role is the named person's
        head, canonical = reference
        if len(countries) > 1 and any("plur" in g for _, g in parses(self.doc.words[a], self.doc.lang)[:1]):
            holders = [self._holder(head, canonical, set(), {country}, named) for country in sorted(countries)]
            return [h for h in holders if h is not None], end
        holder = self._holder(head, canonical, places, countries, named)
        return ([holder] if holder is not None else []), end

    def _holder(self, head: str, canonical: str | None, places: set[str], countries: set[str], named: frozenset[str]) -> MentionRef | None:
        generic, leaders = _leaders(self.doc.lang)
        # "з лідером Куби": a country's leader is its president or prime minister.
        leader = canonical is None and head in generic and bool(countries)
        people = {
            f.person.id: f.person
            for f in self.facts
            if f.person.id not in named
            and ((canonical and f.canonical == canonical) or f.head == head or (leader and (f.canonical in leaders or f.head in generic)))
            and (not places and not countries or (f.org and f.org["id"] in places) or f.country in countries)
        }
        return next(iter(people.values())) if len(people) == 1 else None

    def _role_scope(self, a: int, c1: int) -> tuple[set[str], set[str], int]:
        """Ids of the places and organisations a role phrase starting at token
        a names, their countries ("главой МИД Китая", "турецьким прем'єром"),
        and the token after the phrase; a coordinator before another role
        word ends it ("президентом Польщі та | прем'єром Чехії")."""
        doc, mk = self.doc, self.mk
        places: set[str] = set()
        countries: set[str] = set()
        k = a
        while k < c1 and k - a < MAX_ROLE_TOKENS:
            ref = doc.mention(k)
            if ref is not None:
                if ref.type not in ("LOC", "ORG"):
                    break
                places.add(ref.id)
                countries.add(country_of_entity(ref.entity))
                k = ref.w1
                continue
            if k > a and doc.lemmas[k] in mk.coordinators and k + 1 < c1 and doc.mention(k + 1) is None:
                break
            if not role_tokens(doc, k, mk):
                break
            countries.add(adjective_country(doc.lemmas[k]))
            k += 1
        countries.discard(None)
        return places, countries, k

    def _actors(self, c0: int, c1: int) -> list[MentionRef]:
        """The people of a clause and the organisations that can be a side of
        a meeting ("Газпром і Нафтогаз провели переговори", "зустрівся з
        представниками НАТО"); not an organisation in a person's role
        phrase, nor one cited as the source ("повідомляє МЗС")."""
        doc = self.doc
        found = [m for m in doc.mentions if c0 <= m.w0 and m.w1 <= c1 and (m.type == "PER" or (m.type == "ORG" and self._org_actor(m)))]
        return [m for m in found if not self._reporter(m, self._trigger) and not self._negated_conjunct(m)]

    def _reporter(self, ref: MentionRef, i: int) -> bool:
        """The speaker of a reporting verb right before the name, set off from
        the trigger by a comma ("как сообщил X, Y встретился с Z", "Y
        встретился с Z, повідомив X"): the source, not a side."""
        doc, mk = self.doc, self.mk
        verbs = [k for k in {ref.w0 - 1, phrase_start(doc, ref, mk) - 1} if k >= 0 and doc.lemmas[k] in mk.report_verbs]
        if not verbs:
            return False
        k = min(verbs)
        between = range(ref.w1, i) if ref.w1 <= i else range(i + 1, k)
        return any(doc.words[j] == "," for j in between)

    def _negated_conjunct(self, ref: MentionRef) -> bool:
        """"X, але не Y, зустрівся з Z", "X, а не Y": Y is left out."""
        doc, mk = self.doc, self.mk
        # The role phrase may be read back over "но не" itself.
        starts = {ref.w0, phrase_start(doc, ref, mk)}
        return any(k >= 2 and doc.lemmas[k - 1] in mk.negation and doc.lemmas[k - 2] in mk.contrast_conjunctions for k in starts)

    def _org_actor(self, ref: MentionRef) -> bool:
        doc, mk = self.doc, self.mk
        if not any(doc.words[k][:1].isupper() for k in range(ref.w0, ref.w1)):
            return False  # a common noun ("уряд", "поліція"): which body is meant is unclear
        if any(a <= ref.w0 and ref.w1 <= b for a, b in self.role_spans):
            return False
        how, g, _ = self._org_governor(ref)
        if how == "noun":
            return False
        for k in (g, ref.w1, ref.w1 + 1):
            if 0 <= k < len(doc.words) and (doc.lemmas[k] in mk.source_verbs or doc.lemmas[k] in mk.speech_verbs):
                return False
        # A person's name phrase right after it: part of that phrase, or a
        # dateline ("REGNUM Президент України Петро Порошенко зустрівся").
        person = next((m for m in doc.mentions if m.w0 >= ref.w1 and m.type == "PER"), None)
        return person is None or doc.sentence_of[person.w0] != doc.sentence_of[ref.w0] or walk_back(doc, person) > ref.w1 + 2 or any(
            doc.words[k] in ",;:" or doc.lemmas[k] in mk.coordinators for k in range(ref.w1, person.w0)
        )

    def _org_governor(self, ref: MentionRef) -> tuple[str, int, int]:
        """(how, governor token, phrase start) of an organisation mention,
        as Governors gives them for people: the phrase reaches back over
        adjectives, quote marks, coordinated names and a group word
        ("з представниками Газпрому і Нафтогазу"); "noun" when another noun
        governs it ("штаб-квартира НАТО")."""
        doc, mk = self.doc, self.mk
        sentence = doc.sentence_of[ref.w0]
        start, k = ref.w0, ref.w0 - 1
        while k >= 0 and doc.sentence_of[k] == sentence:
            other = doc.mention(k)
            if other is not None:
                if other.type == "ORG":
                    start, k = other.w0, other.w0 - 1
                    continue
                break
            word = doc.words[k]
            if not doc.is_word(k) and word in "«»\"„“":
                k -= 1
            elif doc.lemmas[k] in mk.coordinators or word == ",":
                previous = doc.mention(k - 1) if k > 0 else None
                if previous is None or previous.type not in ("ORG", "PER"):
                    break
                if previous.type == "PER":
                    how, g = self.governors.of(previous)
                    return how, g, start
                k -= 1
            elif doc.lemmas[k] in mk.group_heads or (_modifier(doc, k) and not is_preposition(doc, k, mk)):
                start, k = k, k - 1
            elif start == ref.w0 and k + 1 < ref.w0 and doc.words[k + 1] in "«\"„“" and _noun(doc, k):
                # A quoted name is in apposition to the noun before it
                # ("з компанією «Нафтогаз»"): that noun heads the phrase.
                start, k = k, k - 1
            else:
                break
        if k < 0 or doc.sentence_of[k] != sentence or doc.mention(k) is not None or not doc.is_word(k):
            return "free", k, start
        lem = doc.lemmas[k]
        if lem in mk.counterpart_prepositions or doc.words[k].lower() in mk.counterpart_prepositions:
            if doc.lang in ("uk", "ru") and not maybe_case_word(doc, start, "ablt") and not (start == ref.w0 and maybe_case(doc, ref, "ablt")):
                return "other", k, start
            return "with", k, start
        if lem in mk.between_prepositions:
            return "between", k, start
        if is_preposition(doc, k, mk):
            return "other", k, start
        readings = parses(doc.words[k], doc.lang)
        if readings and "NOUN" in readings[0][1] and lem not in _date_words(doc.lang) and lem not in triggers(doc.lang):
            return "noun", k, start  # not the owner of a meeting noun ("зустріч Газпрому з ...")
        return "free", k, start

    def _event_noun(self, i: int, c0: int) -> bool:
        """A meeting noun that the clause reports as an event: the object of a
        verb ("провели переговори", "веде з Ryanair переговори") or the
        subject at the head of its clause ("зустріч Болтона з ... тривала"),
        not the dependent of a preposition or another noun."""
        doc = self.doc
        k = i - 1
        while k >= c0:
            ref = doc.mention(k)
            if ref is not None:
                k = ref.w0 - 1
                continue
            if not doc.is_word(k):
                if doc.words[k] in "«»\"„“":
                    k -= 1
                    continue
                return True
            readings = parses(doc.words[k], doc.lang)
            tags = readings[0][1] if readings else set()
            if tags & {"ADJF", "PRTF", "NUMR"} or doc.lemmas[k] in _date_words(doc.lang):
                k -= 1
            elif is_preposition(doc, k, self.mk) and k + 1 < i and (doc.mention(k + 1) is not None or doc.lemmas[k + 1] in _date_words(doc.lang)):
                k -= 1  # a place, a time or a side between the verb and the noun
            elif tags & {"ADVB", "PRCL"} and not tags & {"NOUN"}:
                k -= 1
            else:
                return bool(tags & {"VERB", "CONJ"}) and not is_preposition(doc, k, self.mk)
        return True

    def _near_verb(self, ref: MentionRef, i: int) -> bool:
        """An organisation is the subject of the trigger's own verb: no other
        verb between them ("парламент схвалить закон ... обговорив")."""
        doc = self.doc
        verbs = [k for k in range(ref.w1, i) if is_verb_token(doc, k)]
        return not verbs or (len(verbs) == 1 and not is_verb_token(doc, i))

    def _how(self, ref: MentionRef) -> tuple[str, int]:
        if ref.type == "ORG":
            how, g, _ = self._org_governor(ref)
            return how, g
        return self.governors.of(ref)

    def _nominative(self, ref: MentionRef) -> bool:
        """Whether a mention can be the subject: by its own case, or for an
        organisation after a group word by that word's ("представники НАТО")."""
        if ref.type == "ORG":
            start = self._org_governor(ref)[2]
            if start < ref.w0:
                return maybe_case_word(self.doc, start, "nomn")
        return maybe_case(self.doc, ref, "nomn")

    def _attached(self, g: int, i: int) -> bool:
        """Whether a з/с/with phrase at token g belongs to the trigger at i:
        only names, prepositions, adverbs and time words between them
        ("провели переговори з ЄС", "зустрівся в середу в Брюсселі з ...")."""
        doc = self.doc
        lo, hi = (i + 1, g) if g > i else (g + 1, i)
        if g < i:
            # "З представниками ЄС Умєров зустрівся": the phrase itself first.
            ref = next((m for m in doc.mentions if m.w0 > g), None)
            lo = ref.w1 if ref is not None else lo
        for k in range(lo, hi):
            if doc.mention(k) is not None or not doc.is_word(k) or doc.lemmas[k] in _date_words(doc.lang):
                continue
            readings = parses(doc.words[k], doc.lang)
            tags = readings[0][1] if readings else set()
            if doc.lang == "en":
                if doc.lemmas[k] in self.mk.place_prepositions or doc.words[k].lower() in ("on", "by", "phone", "telephone"):
                    continue
                return False
            if not tags & {"PREP", "ADVB", "NUMR", "CONJ", "PRCL"} and not (g < i and tags & {"VERB", "INFN"}):
                return False
        return True

    def _setting(self, i: int, c0: int) -> bool:
        """A meeting noun as the setting of the clause: "під час зустрічі",
        "во встрече", "после встречи", "in talks"."""
        doc = self.doc
        for k in range(i - 1, max(c0, i - 4) - 1, -1):
            if doc.lemmas[k] in self.mk.setting_prepositions or doc.lemmas[k] in self.mk.place_prepositions:
                return True
            readings = parses(doc.words[k], doc.lang)
            if not readings or not readings[0][1] & {"ADJF", "NOUN"}:
                return False  # only "час", "ходе", adjectives between
        return False

    def _addressed(self, ref: MentionRef) -> bool:
        """A person right after or before a verb of addressing ("привітав
        Діас-Канеля", "Мааса заверил"), not one named in passing."""
        doc, mk = self.doc, self.mk
        start = phrase_start(doc, ref, mk)
        for k in (start - 1, ref.w1):
            if 0 <= k < len(doc.words) and doc.lemmas[k] in mk.address_verbs:
                return True
        return False

    def _group_counterpart(self, c0: int, c1: int) -> bool:
        """A з/с/with phrase in the clause that names no person ("з
        журналістами", "з ЄС")."""
        doc, mk = self.doc, self.mk
        for k in range(c0, c1 - 1):
            if doc.lemmas[k] not in mk.counterpart_prepositions:
                continue
            body = doc.mention(k + 1)
            if body is not None and body.type == "ORG" and self._event and self._org_actor(body) and self._attached(k, self._trigger):
                continue  # a side of the meeting: "провів переговори з Нафтогазом"
            if body is not None and body.type in ("ORG", "LOC") and doc.mention(body.w1) is None:
                nxt = next((m for m in doc.mentions if m.w0 > k and m.w0 < c1 and m.type == "PER"), None)
                if nxt is None or self.governors.of(nxt)[1] != k:
                    return True
            if doc.lemmas[k + 1] in triggers(doc.lang) or doc.lemmas[k + 1] in modifiers(doc.lang):
                continue  # "прибув з візитом": the meeting itself, not a side
            if doc.mention(k + 1) is None and doc.words[k + 1][:1].islower():
                # People ("з журналістами"), not things ("привітав з обранням").
                if doc.lang == "en" or (has_case(doc, k + 1, "ablt") and any("anim" in g for _, g in parses(doc.words[k + 1], doc.lang))):
                    if not (readings := parses(doc.words[k + 1], doc.lang)) or "NPRO" not in readings[0][1]:
                        nxt = next((m for m in doc.mentions if m.w0 > k and m.w0 < c1), None)
                        if nxt is None or nxt.type != "PER" or self.governors.of(nxt)[1] != k:
                            return True
        return False

    def _objects(self, i: int, trigger: Trigger, after: list[MentionRef]) -> list[MentionRef]:
        """The person a transitive trigger takes ("met Rubio", "прийняв
        прем'єра Польщі Туска", "подзвонив Зикіній")."""
        doc = self.doc
        if trigger.cls not in ("transitive", "host"):
            return []
        for ref in after:
            if _object_of(doc, i, ref, self.mk):
                if doc.lang == "en" or maybe_case(doc, ref, "accs") or (trigger.kind == "phone_call" and maybe_case(doc, ref, "datv")):
                    return [ref]
                return []
        return []

    def _owners(self, i: int, trigger: Trigger, after: list[MentionRef]) -> list[MentionRef]:
        """The people a meeting noun belongs to: "зустріч Зеленського і Дуди",
        "итоги встречи А.Вебера и канцлера ФРГ А.Меркель"."""
        doc = self.doc
        if not after or after[0].w0 - i > OWNER_GAP + 1 or not maybe_case(doc, after[0], "gent"):
            return []
        owners = [after[0]]
        for ref in after[1:]:
            start = walk_back(doc, ref)
            g = start - 1
            chained = g > 0 and (doc.lemmas[g] in self.mk.coordinators or doc.words[g] == ",") and doc.mention(g - 1) is owners[-1]
            if not chained:
                break
            owners.append(ref)
        return owners

    def _inverted_subjects(self, i: int, c1: int, after: list[MentionRef], objects: list[MentionRef]) -> list[MentionRef]:
        """Nominative people after the trigger, with at most one verb between."""
        doc = self.doc
        if doc.lang not in ("uk", "ru"):
            return []
        found = []
        for ref in after:
            if ref in objects or not maybe_case(doc, ref, "nomn"):
                continue
            verbs = sum(1 for k in range(i + 1, ref.w0) if is_verb_token(doc, k))
            if verbs > 1 or ref.w0 - i > 14:
                break
            found.append(ref)
        return found

    def _implicit_subjects(self, i: int, c0: int, c1: int) -> tuple[list, bool]:
        """Subjects the clause does not name: the speaker of a first-person
        quote, the antecedent of "які", the reporter of a "що"-clause, the
        person a pronoun or a role word stands for; else an anaphoric
        reference to the last meeting ("сторони", "міністри", "вони")."""
        doc, mk = self.doc, self.mk
        a = doc.sentences[doc.sentence_of[i]][0]
        words = range(c0, i)
        pronoun = any(doc.lemmas[k] in mk.anaphora or doc.words[k].lower() in mk.anaphora for k in words)
        first_person = any(doc.words[k].lower() in mk.first_person for k in words)
        speaker = self.quote_speaker(doc.starts[i])
        # "що лідери фракції зустрічалися з X", "что Белый дом начал разговор
        # с X": the clause has its own subject, nobody is carried over.
        own = self._noun_subject(i, c0, c1) or self._org_subject(i, c0)
        if speaker is not None and (first_person or (not pronoun and self._finite(i, c0, c1))):
            # "Провів продуктивну зустріч із ...", written by the speaker.
            return [speaker], False
        if c0 > a:
            antecedent = _antecedent(doc, c0, mk, self.governors)
            if antecedent is not None:
                # "батька, який приїхав": the subject is whoever "який" stands for.
                return antecedent, False
            # "Лекорню зазначив, що вони з Умєровим провели зустріч"
            matrix = [r for r in people_in(doc, a, c0) if self.governors.of(r)[0] == "free" and maybe_case(doc, r, "nomn")]
            # Only with a pronoun subject or none: "зазначив, що вони з Умєровим
            # провели", not "сообщил, что лидеры фракции встречались с X".
            pronoun_subject = any(doc.words[k].lower() in mk.pronouns or doc.lemmas[k] in mk.pronouns or doc.words[k].lower() in mk.first_person for k in words)
            if matrix and (pronoun_subject or not own):
                # "Меркель і Олланд прилетіли до Мінська, де провели переговори":
                # a plural verb takes every subject of the main clause.
                return (matrix if self._verb_number(i, c0, c1) == "plur" else matrix[-1:]), False
        # "він"/"он" (any form: "у нього відбулася зустріч") in this clause or
        # the reporting one: the person last named as a subject.
        singular = [k for k in range(a, i) if self._pronoun_subject(k)]
        if singular and not own:
            person = self._previous_subject(a)
            if person is not None:
                return [person], False
        # "новий глава відомства зустрівся з ...": a role word as the subject.
        for k in words:
            if doc.mention(k) is None and doc.lemmas[k] in mk.role_heads and nominative_singular(doc, k):
                found = role_reference(doc, k, i)
                if found is not None:
                    named_here = frozenset(r.id for r in people_in(doc, c0, c1))
                    places, countries, _ = self._role_scope(k, i)
                    if places or countries:
                        # "президент Росії провів переговори": that country's one holder of the role, or nobody.
                        holders = self._role_holders(k, i, named_here)[0]
                        if holders:
                            return holders[:1], False
                        continue
                    person = resolve_role(found[0], found[1], self.facts, [], self.counts, named_here)
                    if person is None:
                        # The title of the person the article is about.
                        person = next((p for p, _ in self.counts.most_common() if p not in named_here), None)
                    ref = self._ref(person) if person else None
                    if ref is not None:
                        return [ref], False
        if c0 == a and self._subjectless(i, c0, c1, number="sing"):
            # "Путін прилетів до Пекіна. Увечері зустрівся з Сі": the subject
            # of the sentence before goes on.
            person = self._previous_subject(a, fallback=False)
            if person is not None:
                return [person], False
        named, possessor = self._possessor(c0, c1)
        if named:
            # "у Путіна відбулася зустріч з ...": the one who met; a role there
            # ("в прем'єрки") names someone too, so nobody is carried over.
            return ([possessor], False) if possessor is not None else ([], True)
        if c0 == a and self._occurs(i, c0, c1):
            # "Лавров прибув до Женеви. Там відбулася зустріч з Керрі": the
            # meeting of the one the sentence before is about.
            person = self._previous_subject(a, fallback=False, reach=1)
            if person is not None:
                return [person], False
        return [], True

    def _possessor(self, c0: int, c1: int) -> tuple[bool, MentionRef | None]:
        """Whether the clause names whom the meeting was with by у/в of
        possession ("у Путіна відбулася зустріч"), and the person when it is
        a name rather than a role word ("в прем'єрки")."""
        doc, mk = self.doc, self.mk
        for k in range(c0, c1 - 1):
            if doc.lemmas[k] not in mk.possessive_prepositions:
                continue
            ref = doc.mention(k + 1)
            if ref is not None and ref.type == "PER" and maybe_case(doc, ref, "gent"):
                return True, ref
            if ref is None and doc.lemmas[k + 1] in mk.role_heads and maybe_case_word(doc, k + 1, "gent"):
                return True, None
        return False, None

    def _occurs(self, i: int, c0: int, c1: int) -> bool:
        """A meeting noun as the subject of a verb of taking place
        ("відбулася зустріч", "переговоры прошли")."""
        doc = self.doc
        if is_verb_token(doc, i):
            return False
        k = self._clause_verb(i, c0, c1)
        return k is not None and doc.lemmas[k] in self.mk.occur_verbs and verb_tense(doc, k) in ("past", "pres") and maybe_case_word(doc, i, "nomn")

    def _pronoun_subject(self, k: int) -> bool:
        """"він"/"он", or its other forms after a preposition of possession
        ("у нього відбулася зустріч"), not "її"/"ее" ("по ее словам")."""
        doc, mk = self.doc, self.mk
        word = doc.words[k].lower()
        if word in mk.anaphora:
            return False
        if word in mk.pronouns:
            return True
        return doc.lemmas[k] in mk.pronouns and doc.lemmas[k] not in mk.anaphora and k > 0 and doc.lemmas[k - 1] in mk.possessive_prepositions

    def _clause_verb(self, i: int, c0: int, c1: int) -> int | None:
        """The trigger if it is a verb, else the verb of its clause nearest to it."""
        doc = self.doc
        if is_verb_token(doc, i):
            return i
        verbs = sorted((j for j in range(c0, c1) if is_verb_token(doc, j)), key=lambda j: abs(j - i))
        return verbs[0] if verbs else None

    def _verb_number(self, i: int, c0: int, c1: int) -> str:
        """sing | plur | "" for the verb of the trigger's clause (uk/ru)."""
        k = self._clause_verb(i, c0, c1)
        if k is None or self.doc.lang not in ("uk", "ru"):
            return ""
        tags = parses(self.doc.words[k], self.doc.lang)[0][1]
        return "plur" if "plur" in tags else "sing" if "sing" in tags else ""

    def _subjectless(self, i: int, c0: int, c1: int, number: str | None = None) -> bool:
        """A finite verb in the third person (of `number` if given) with no
        word in its clause that could be its subject: uk/ru leave out a
        subject carried over from the sentence or clause before. A meeting
        noun counts as a possible subject only in a clause of its own
        sentence ("де провели переговори" has one; "відбулася зустріч" is one)."""
        doc = self.doc
        k = self._clause_verb(i, c0, c1)
        if k is None or doc.lang not in ("uk", "ru"):
            return False
        tags = parses(doc.words[k], doc.lang)[0][1]
        if "VERB" not in tags or not ("past" in tags or "3per" in tags) or tags & {"impr", "1per", "2per", "neut"}:
            return False
        plural = "plur" in tags
        if number is not None and ("plur" if plural else "sing") != number:
            return False
        first = doc.sentences[doc.sentence_of[i]][0]
        for j in range(c0, c1):
            if j == k or (j == i and c0 > first) or not doc.is_word(j) or doc.mention(j) is not None or not doc.words[j][0].isalpha():
                continue
            readings = parses(doc.words[j], doc.lang)
            if readings and readings[0][1] & {"PREP", "CONJ", "PRCL"}:
                continue  # "с", "и" are also read as abbreviations
            for _, g in readings:
                if g & {"NOUN", "NPRO"} and "nomn" in g and "Abbr" not in g and ("plur" in g) == plural:
                    return False
        return True

    def _finite(self, i: int, c0: int, c1: int) -> bool:
        """Whether the trigger (or, for a noun, its nearest verb) is a finite
        verb: an infinitive ("дозволить українцям приїхати") has its own subject."""
        doc = self.doc
        k = i
        if not is_verb_token(doc, i):
            verbs = sorted((j for j in range(c0, c1) if j != i and is_verb_token(doc, j)), key=lambda j: abs(j - i))
            if not verbs:
                return False
            k = verbs[0]
        return verb_tense(doc, k) in ("past", "pres", "futr")

    def _previous_subject(self, before: int, fallback: bool = True, reach: int = 3) -> MentionRef | None:
        """The last person named as a subject in the `reach` sentences before
        token `before` (same paragraph for one), else (with `fallback`) the
        most mentioned person."""
        doc = self.doc
        s = doc.sentence_of[before] if before < len(doc.words) else len(doc.sentences)
        for k in range(s - 1, max(-1, s - 1 - reach), -1):
            if reach == 1 and s < len(doc.sentences) and doc.paragraph_of_sentence[k] != doc.paragraph_of_sentence[s]:
                break
            a, b = doc.sentences[k]
            people = [r for r in people_in(doc, a, b) if self.governors.of(r)[0] == "free" and maybe_case(doc, r, "nomn")]
            if people:
                return people[0]
        if self.counts and fallback:
            return self._ref(self.counts.most_common(1)[0][0])
        return None

    def _ref(self, person: str) -> MentionRef | None:
        return next((m for m in self.doc.mentions if m.id == person), None)


@cache
def _leaders(lang: str) -> tuple[frozenset[str], frozenset[str]]:
    """Generic role heads ("глава", "лідер") and the canonical roles a
    country's leader holds (roles.yaml)."""
    data = load("roles")
    return word_set((data.get("generic_heads") or {}).get(lang), lang), frozenset(data.get("leader_roles") or ())


def _noun(doc: Doc, k: int) -> bool:
    """A common noun (capitalised only at the start of its sentence)."""
    readings = parses(doc.words[k], doc.lang) if doc.is_word(k) else ()
    first = doc.sentences[doc.sentence_of[k]][0] == k
    return bool(readings) and "NOUN" in readings[0][1] and (first or not doc.words[k][:1].isupper())


def _passive(doc: Doc, k: int) -> bool:
    """A passive participle the dictionary keeps as an adjective (uk "прийнятий")."""
    readings = parses(doc.words[k], doc.lang)
    return bool(readings) and "pssv" in readings[0][1]


def _modifier(doc: Doc, k: int) -> bool:
    """An adjective or a quote mark, which may stand inside a name phrase."""
    if not doc.words[k][0].isalnum():
        return True
    readings = parses(doc.words[k], doc.lang)
    return bool(readings) and bool(readings[0][1] & {"ADJF"})


def _object_of(doc: Doc, i: int, ref: MentionRef, mk: Markers) -> bool:
    """Whether a person is the direct object of the verb at i: right after it,
    or after a role phrase ("прийняв прем'єр-міністра Польщі Дональда Туска"),
    not after some other noun ("принял отставку Маккаррика")."""
    if ref.w0 == i + 1:
        return True
    # "прийняв у Києві генсека НАТО": a place phrase may come first.
    j = i + 1
    if j < ref.w0 and doc.lemmas[j] in mk.place_prepositions:
        place = doc.mention(j + 1)
        if place is not None and place.type == "LOC":
            j = place.w1
    if j == ref.w0:
        return True
    found = find_role(doc, j, ref.w0, mk)
    return found is not None and found[0] == j and walk_back(doc, ref) <= j


def _antecedent(doc: Doc, c0: int, mk: Markers, governors: Governors) -> list[MentionRef] | None:
    """The people a relative pronoun subject stands for: "Міллер і Озерець,
    які сьогодні зустрічаються" -> Міллер, Озерець; [] when it stands for
    something else ("батька, який приїхав"); None when the clause does not
    open with a relative subject."""
    k = c0
    while k < len(doc.words) and not doc.is_word(k):
        k += 1
    if k >= len(doc.words) or k > c0 + 1 or doc.lemmas[k] not in mk.relative_pronouns:
        return None
    if doc.lang in ("uk", "ru") and not has_case(doc, k, "nomn"):
        return None
    comma = c0 - 1
    last = doc.mention(comma - 1) if comma > 0 else None
    if last is None or last.type != "PER":
        return []
    chain = [last]
    while True:
        start = walk_back(doc, chain[0])
        g = start - 1
        if g <= 0 or not (doc.lemmas[g] in mk.coordinators or doc.words[g] == ","):
            break
        previous = doc.mention(g - 1)
        if previous is None or previous.type != "PER":
            break
        chain.insert(0, previous)
    return chain


# ----------------------------------------------------------------- merging


def _absorb(into: Draft, other: Draft) -> None:
    into.evidence = sorted(set(into.evidence) | set(other.evidence))
    into.place = into.place or other.place
    if KIND_PRIORITY[other.kind] > KIND_PRIORITY[into.kind]:
        into.kind = other.kind
        into.cls = other.cls
    into.planned = into.planned and other.planned
    into.from_title = into.from_title or other.from_title


def _lone_visit(draft: Draft) -> bool:
    """One traveller and a place: "Макрон прибув до Києва"."""
    return draft.kind == "visit" and len(draft.participants) == 1 and draft.place is not None


def resolve_anaphora(drafts: list[Draft]) -> list[Draft]:
    """Attach drafts whose subject points back ("сторони обговорили") to the
    last meeting that includes the people they do name."""
    records: list[Draft] = []
    for draft in drafts:
        if not draft.anaphoric:
            if len(draft.participants) >= 2 or _lone_visit(draft):
                records.append(draft)
            continue
        named = draft.ids
        previous = next((r for r in reversed(records) if named <= r.ids and r.status == draft.status), None)
        if previous is None:
            continue
        if draft.kind == "phone_call" and previous.kind != "phone_call":
            # "Вчора президенти провели телефонну розмову": another event of the same people.
            records.append(Draft(list(previous.participants), previous.subjects, draft.kind, draft.cls, draft.planned, list(draft.evidence), draft.place, trigger_char=draft.trigger_char, status=draft.status))
            continue
        subject = previous.participants[: previous.subjects]
        extra = [e for e in draft.participants if e.id not in {s.id for s in subject}]
        if named and previous.splittable and named != previous.ids and extra:
            records.append(Draft(subject + extra, len(subject), draft.kind, draft.cls, draft.planned, list(draft.evidence), draft.place, trigger_char=draft.trigger_char, status=draft.status))
        else:
            _absorb(previous, draft)
    return records


def split_lists(records: list[Draft]) -> list[Draft]:
    """"X met A and B" becomes X–A and X–B when the article also reports a
    meeting of X with one of them alone."""
    result = []
    for record in records:
        if record.splittable and any(2 <= len(o.ids) and o.ids < record.ids for o in records if o is not record):
            subject = record.participants[: record.subjects]
            for other in record.participants[record.subjects :]:
                piece = Draft(subject + [other], len(subject), record.kind, record.cls, record.planned, list(record.evidence), record.place, from_title=record.from_title, trigger_char=record.trigger_char, status=record.status)
                result.append(piece)
        else:
            result.append(record)
    return result


def _compatible(a: Draft, b: Draft) -> bool:
    if a.status != b.status:
        return False
    if (a.kind == "phone_call") != (b.kind == "phone_call") and not set(a.evidence) & set(b.evidence):
        return False  # a call and an in-person meeting of the same people are two events
    return a.place is None or b.place is None or a.place.id == b.place.id


def merge(records: list[Draft]) -> list[Draft]:
    """Drafts of one meeting become one record: the same people (or one set
    inside the other, or a lone traveller inside a meeting), compatible places."""
    merged: list[Draft] = []
    for record in sorted(records, key=lambda r: -len(r.ids)):
        target = None
        for kept in merged:
            if not _compatible(kept, record):
                continue
            if record.ids == kept.ids or (record.ids <= kept.ids and (len(record.ids) >= 2 or _lone_visit(record)) and not kept.splittable):
                target = kept
                break
        if target is None:
            merged.append(record)
        else:
            _absorb(target, record)
    merged.sort(key=lambda r: (min(r.evidence) if r.evidence else 1 << 30, r.trigger_char))
    return merged


def merge_title(records: list[Draft], title_drafts: list[Draft]) -> list[Draft]:
    """A title meeting adds its place and kind to the body's record of the
    same people; one the body has no record of is kept (evidence found later)."""
    for title in title_drafts:
        title.from_title = True
        title.evidence = []
        related = [r for r in records if r.status == title.status and (r.ids <= title.ids or title.ids <= r.ids) and len(r.ids & title.ids) >= 2]
        if related:
            for record in related:
                if record.place is None or (title.place is not None and record.place.id == title.place.id):
                    record.place = record.place or title.place
                record.from_title = True
        else:
            records.append(title)
    return records


# ----------------------------------------------------------------- output


def _best_sentence(doc: Doc, ids: frozenset[str]) -> int | None:
    """The body sentence naming the most of these people (a trigger word breaks ties)."""
    table = triggers(doc.lang)
    best, best_score = None, 0
    for s, (a, b) in enumerate(doc.sentences):
        named = {m.id for m in doc.mentions if a <= m.w0 < b and m.id in ids}
        if not named:
            continue
        score = 2 * len(named) + any(doc.lemmas[k] in table for k in range(a, b))
        if score > best_score:
            best, best_score = s, score
    return best


def _date(doc: Doc, record: Draft, published: str | None) -> tuple[str | None, str | None]:
    sentences = sorted(record.evidence)
    paragraphs = []
    for s in sentences:
        p = doc.paragraph_of_sentence[s]
        if p not in paragraphs:
            paragraphs.append(p)
    spans = [doc.sentence_span(s) for s in sentences]
    every = []
    for p in paragraphs:
        a, b = doc.paragraphs[p]
        start, end = doc.span(a, b)
        spans.append((start, end))
        every += doc.paragraph_dates(p, future=record.planned)
    for start, end in spans:
        found = [d for d in every if start <= d.start and d.end <= end]
        if found:
            first = found[0]
            return first.date, first.basis if (first.date or first.basis == "relative") else None
    day = publication_date(published)
    if day is not None and not record.planned:
        return day.isoformat(), "publication"
    return None, None


def _cameo(record: Draft, homes: dict[str, str]) -> str:
    codes = cameo_codes()
    if record.kind == "phone_call":
        return codes["phone_call"]
    if record.kind == "talks":
        return codes["talks"]
    place_country = country_of_entity(record.place) if record.place is not None else None
    first = record.participants[0].id if record.participants else None
    others = [homes.get(e.id) for e in record.participants[1:]]
    if record.cls == "host":
        return codes["host"]
    if place_country is not None:
        if homes.get(first) == place_country:
            return codes["host"]
        if place_country in others:
            return codes["visit"]
        known = [homes.get(e.id) for e in record.participants]
        if all(known) and place_country not in known:
            return codes["third_place"]
    if record.kind == "visit":
        return codes["visit"]
    return codes["meeting"]


def contexts(doc: Doc, records: list[Draft]) -> None:
    """The paragraphs that describe each meeting: those of its evidence and the
    ones after them, up to a paragraph that states a different meeting."""
    owner: dict[int, set[int]] = {}
    for k, record in enumerate(records):
        for s in record.evidence:
            owner.setdefault(doc.paragraph_of_sentence[s], set()).add(k)
    for k, record in enumerate(records):
        paragraphs: list[int] = []
        for s in record.evidence:
            p = doc.paragraph_of_sentence[s]
            while p < len(doc.paragraphs) and p not in paragraphs:
                if paragraphs and p in owner and k not in owner[p]:
                    break
                paragraphs.append(p)
                p += 1
                if p in owner and k not in owner[p]:
                    break
        record.context = [doc.paragraphs[p] for p in sorted(paragraphs)]


def delegation_sentences(doc: Doc, mk: Markers) -> set[int]:
    """Sentences that name a delegation ("у складі делегації", "в сопровождении")."""
    firsts = {p[0] for p in mk.delegation_phrases}
    found = set()
    for k, lem in enumerate(doc.lemmas):
        if lem in mk.delegation or (lem in firsts and phrase_at(doc, k, mk.delegation_phrases)):
            found.add(doc.sentence_of[k])
    return found


def _delegation(doc: Doc, record: Draft, flagged: set[int]) -> list:
    members = []
    ids = record.ids
    for a, b in record.context:
        for s in range(doc.sentence_of[a], doc.sentence_of[b - 1] + 1):
            if s not in flagged:
                continue
            sa, sb = doc.sentences[s]
            members += [m.entity for m in doc.mentions if m.type == "PER" and sa <= m.w0 < sb and m.id not in ids]
    return unique(members)


def extract_meetings(doc: Doc, title: Doc | None, facts: list[RoleFact], published: str | None, quote_speaker, topic_scorer=None) -> list[Meeting]:
    """Meetings of an analysed body (and title)."""
    counts = Counter(m.id for m in doc.mentions if m.type == "PER")
    records = resolve_anaphora(Reader(doc, facts, counts, quote_speaker).drafts())
    if title is not None and title.mentions:
        title_drafts = [d for d in resolve_anaphora(Reader(title, facts, counts, lambda _: None).drafts()) if len(d.ids) >= 2]
        records = merge_title(records, title_drafts)
    records = merge(split_lists(records))
    for record in records:
        if not record.evidence:
            best = _best_sentence(doc, record.ids)
            record.evidence = [best] if best is not None else []
    records = merge([r for r in records if r.evidence])
    if not records:
        return []
    contexts(doc, records)
    flagged = delegation_sentences(doc, markers(doc.lang))
    homes: dict[str, str] = {}
    for fact in facts:
        if fact.country and fact.person.id not in homes:
            homes[fact.person.id] = fact.country
    meetings = []
    for record in records:
        evidence = [doc.sentence_span(s) for s in sorted(record.evidence)]
        near = evidence[0][0]
        date, basis = _date(doc, record, published)
        meetings.append(
            Meeting(
                participants=[Participant(e.id, e.name, participant_role(facts, e.id, near)) for e in record.participants],
                kind=record.kind,
                cameo=_cameo(record, homes),
                evidence=evidence,
                delegation=[Participant(e.id, e.name, participant_role(facts, e.id, near)) for e in _delegation(doc, record, flagged)],
                place={"id": record.place.id, "name": record.place.name} if record.place is not None else None,
                date=date,
                date_basis=basis,
                topics=topic_scorer(record) if topic_scorer else [],
                planned=record.planned,
                status=record.status,
            )
        )
    return meetings

