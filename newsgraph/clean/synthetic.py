"""Synthetic text dumps for training and checking the line classifier.

A clean article (title, then text) is wrapped in the furniture of a news
site, drawn at random from the generic vocabulary in
newsgraph/data/clean/debris.yaml: metadata header lines, navigation, reading
time, photo captions and credits, "read also" links, ad markers, a list of
OTHER articles' headlines after a section marker, tag lines, share buttons,
copyright and aggregator footers. Every line carries its gold label ("title",
"keep" for the body, "noise" for the rest) and the dump records the fields
a cleaner should extract from it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from newsgraph.clean import header, resources

KYIV = ZoneInfo("Europe/Kyiv")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?…])[\"'»”]?\s+(?=[\"«“]?[A-ZА-ЯІЇЄҐЁ])")


@dataclass
class Source:
    """A clean article and the entity names it offers to other dumps."""

    language: str
    title: str
    paragraphs: list[str]
    persons: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)


@dataclass
class Dump:
    lines: list[str]
    labels: list[str]
    text: str
    title: str
    body: list[str]
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    aggregator: str | None = None
    language_hint: str | None = None


def split_article(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """Title and paragraphs of 1-4 sentences from a plain article."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    title, rest = lines[0], lines[1:]
    paragraphs: list[str] = []
    for line in rest:
        sentences = SENTENCE_SPLIT.split(line)
        while sentences:
            k = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
            paragraphs.append(" ".join(sentences[:k]))
            sentences = sentences[k:]
    return title, [p for p in paragraphs if len(p) > 1]


class Generator:
    """Wraps articles in random page furniture; deterministic for a seed."""

    def __init__(self, sources: list[Source], seed: int = 0):
        self.sources = sources
        self.rng = random.Random(seed)
        self.vocab = resources.debris()
        self.by_language: dict[str, list[Source]] = {}
        for s in sources:
            self.by_language.setdefault(s.language, []).append(s)

    # -- small helpers -------------------------------------------------
    def pick(self, items):
        return self.rng.choice(items)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def other(self, lang: str, exclude: Source) -> Source:
        pool = self.by_language.get(lang) or self.sources
        for _ in range(5):
            s = self.pick(pool)
            if s is not exclude:
                return s
        return s

    def fill(self, template: str, lang: str, src: Source) -> str:
        """Fill a vocabulary template's slots; names and titles come from
        other articles."""
        v = self.vocab
        values = {
            "n": lambda: str(self.rng.randint(1, 9)),
            "year": lambda: str(self.rng.randint(2015, 2025)),
            "agency": lambda: self.pick(v["agencies"]),
            "outlet": lambda: self.pick(v["outlets"]),
            "aggregator": lambda: self.pick(v["aggregators"]),
            "title": lambda: self.other(lang, src).title,
            "person": lambda: self.name(lang, src, "persons"),
            "place": lambda: self.name(lang, src, "places"),
            "org": lambda: self.name(lang, src, "orgs"),
        }
        for slot, value in values.items():
            while "{" + slot + "}" in template:
                template = template.replace("{" + slot + "}", value(), 1)
        return template

    def name(self, lang: str, src: Source, kind: str) -> str:
        names = getattr(self.other(lang, src), kind) or getattr(src, kind) or self.vocab["agencies"]
        return self.pick(names)

    def word(self, lang: str, key: str, src: Source) -> str:
        return self.fill(self.pick(self.vocab[lang][key]), lang, src)

    # -- dates and URLs ------------------------------------------------
    def moment(self) -> datetime:
        start = datetime(2015, 1, 1)
        return start + timedelta(minutes=self.rng.randint(0, 11 * 365 * 24 * 60))

    def date_line(self, lang: str, when: datetime, with_year: bool = True) -> tuple[str, str | None]:
        """A date line in one of the usual styles, and the ISO date-time it
        states (Kyiv time), worked out independently of the parser."""
        v = self.vocab[lang]
        hm = when.strftime("%H:%M")
        year = f" {when.year}{self.pick(v['year_word'])}" if with_year else ""
        month = v["months"][when.month - 1]
        style = self.rng.randint(0, 5)
        text, timed = {
            0: (f"{hm} {when:%d.%m.%Y}", True),
            1: (f"{when:%d.%m.%Y}{self.pick(v['time_word'])}{hm}", True),
            2: (f"{when.day} {month}{year}{self.pick(v['time_word'])}{hm}", True),
            3: (f"{when:%d.%m.%Y}", False),
            4: (f"{when.day} {month}{year}", False),
            5: (f"{when:%Y-%m-%d %H:%M}", True),
        }[style]
        if style in (0, 1, 2, 3, 4):
            text = self.pick(v["date_prefix"]) + text
        if style in (2, 4) and not with_year:
            return text, None
        if not timed:
            return text, when.date().isoformat()
        return text, when.replace(tzinfo=KYIV).isoformat()

    def url(self, lang: str) -> tuple[str, str]:
        v = self.vocab
        host = self.pick(v["hosts"])
        when = self.moment()
        slug = "-".join(self.rng.sample(v["slug_words"], self.rng.randint(2, 6)))
        path = self.pick(v["url_paths"]).format(
            year=when.year, m=f"{when.month:02d}", d=f"{when.day:02d}", n6=self.rng.randint(10**5, 10**6),
            n7=self.rng.randint(10**6, 10**7), n8=self.rng.randint(10**7, 10**8), slug=slug, lang=lang,
        )
        www = "www." if self.chance(0.5) else ""
        scheme = "https" if self.chance(0.6) else "http"
        return f"{scheme}://{www}{host}/{path}", host

    # -- blocks --------------------------------------------------------
    def header(self, lang: str, src: Source, dump: Dump, out: list) -> None:
        """Metadata and navigation lines before the title (all noise)."""
        style = self.rng.choices(
            ["none", "bsnlp", "outlet_date", "date", "nav", "nav_date"], weights=[25, 15, 15, 20, 10, 15]
        )[0]
        if style == "bsnlp":
            code = self.pick({"uk": ["uk", "ua"], "ru": ["ru"]}[lang])
            out.append((self.pick([f"{code}-{self.rng.randint(1, 20000)}", str(self.rng.randint(1, 999))]), "noise"))
            out.append((code, "noise"))
            dump.language_hint = "uk" if code == "ua" else code
            kind = self.rng.randint(0, 2)
            when = self.moment()
            if kind == 0:
                out.append((when.strftime("%Y-%m-%d"), "noise"))
                dump.published = when.strftime("%Y-%m-%d")
            elif kind == 1:
                out.append((when.strftime("%Y-%m-%dT%H:%M:%S+00:00"), "noise"))
                dump.published = when.strftime("%Y-%m-%dT%H:%M:%S+00:00")
            url, host = self.url(lang)
            out.append((url, "noise"))
            dump.url, dump.outlet = url, host
            return
        if style in ("nav", "nav_date"):
            for _ in range(self.rng.randint(1, 6)):
                out.append((self.word(lang, "nav", src), "noise"))
        if style == "outlet_date":
            outlet = self.pick(resources.header()["outlets"])
            out.append((outlet, "noise"))
            dump.outlet = outlet
        if style in ("outlet_date", "date", "nav_date"):
            self.dated(lang, dump, out)

    def dated(self, lang: str, dump: Dump, out: list) -> None:
        line, dump.published = self.date_line(lang, self.moment())
        out.append((line, "noise"))

    def title_block(self, lang: str, src: Source, dump: Dump, out: list, paragraphs: list[str]) -> None:
        out.append((src.title, "title"))
        for _ in range(self.rng.choice((0, 0, 0, 0, 0, 1, 2))):
            out.append((src.title, "noise"))
        if dump.published is None and self.chance(0.25):
            self.dated(lang, dump, out)
        if self.chance(0.3):
            out.append((self.word(lang, "reading_time", src), "noise"))
        if self.chance(0.12) and paragraphs:
            # A title glued to a photo credit and a teaser sentence from the body.
            teaser = self.pick(paragraphs[: max(1, len(paragraphs) // 2)])
            out.append((f"{src.title} {self.word(lang, 'photo_credit', src)} {teaser}", "noise"))

    def photo(self, lang: str, src: Source, out: list) -> None:
        if self.chance(0.6):
            out.append((self.word(lang, "caption", src), "noise"))
        out.append((self.word(lang, "photo_credit", src), "noise"))

    def image_file(self) -> str:
        when = self.moment()
        return self.pick(
            [
                f"photo-{when:%Y-%m-%d-%H-%M-%S}",
                f"IMG_{self.rng.randint(1000, 9999)}.jpg",
                f"photo_{self.rng.randint(1, 9999)}_{when:%Y-%m-%d_%H-%M-%S}",
                f"{self.rng.randint(10**5, 10**7)}.jpg",
                f"DSC{self.rng.randint(1000, 99999)}",
            ]
        )

    def body(self, lang: str, src: Source, paragraphs: list[str], out: list) -> None:
        # Many sites print a lead without a final full stop under the title.
        lead_bare = self.chance(0.3) and paragraphs and len(paragraphs[0]) < 400
        for i, para in enumerate(paragraphs):
            if i == 0 and lead_bare:
                para = para.rstrip(".")
            if i == len(paragraphs) - 1 and i > 0 and self.chance(0.08):
                para = self.pick(self.vocab[lang]["bullets"]) + para
            out.append((para, "keep"))
            if i == 0 and self.chance(0.08):
                out.append((self.pick(self.vocab[lang]["toc"]), "noise"))
            if i == len(paragraphs) - 1:
                break
            roll = self.rng.random()
            if roll < 0.08:
                out.append((self.word(lang, "read_also", src), "noise"))
            elif roll < 0.16:
                self.photo(lang, src, out)
            elif roll < 0.20:
                out.append((self.image_file(), "noise"))
            elif roll < 0.24:
                for _ in range(self.rng.randint(1, 2)):
                    out.append((self.word(lang, "ad", src), "noise"))

    def headline(self, lang: str, src: Source) -> str:
        title = self.other(lang, src).title
        if self.chance(0.3):
            title = f"{title.rstrip('.')} {self.pick(['-', '–', '—'])} {self.pick(self.vocab[lang]['list_tail'])}"
        return title

    def teaser(self, lang: str, src: Source) -> str:
        other = self.other(lang, src)
        text = (other.paragraphs or [other.title])[0]
        cut = text[: self.rng.randint(60, 140)].rsplit(" ", 1)[0]
        if self.chance(0.4):
            cut = f"{self.word(lang, 'photo_credit', src)} {cut}"
        if self.chance(0.2):
            cut = f"{self.fill('{person}', lang, src)}. {cut}"
        return cut + self.pick(["...", "....", "…"])

    def headline_list(self, lang: str, src: Source, out: list) -> None:
        out.append((self.word(lang, "section", src), "noise"))
        if self.chance(0.2):
            out.append((self.word(lang, "ad", src), "noise"))
            out.append((self.word(lang, "section", src), "noise"))
        style = self.rng.randint(0, 3)
        for _ in range(self.rng.randint(3, 12)):
            if style == 1:
                out.append((self.moment().strftime(self.pick(["%H:%M", "%d.%m.%Y %H:%M", "%H:%M %d.%m.%Y"])), "noise"))
            if style == 2 and self.chance(0.5):
                out.append((self.date_line(lang, self.moment(), with_year=self.chance(0.5))[0], "noise"))
            out.append((self.headline(lang, src), "noise"))
            if style == 3:
                out.append((self.teaser(lang, src), "noise"))

    def footer(self, lang: str, src: Source, dump: Dump, out: list) -> None:
        blocks = ["list", "list", "related", "ads", "tags", "source", "loader", "share", "copyright"]
        chosen = [b for b in blocks if self.chance(0.45 if b != "list" else 0.4)]
        self.rng.shuffle(chosen)
        if self.chance(0.35):  # an aggregator's footer comes last
            chosen.append("aggregator")
        for block in chosen:
            if block == "list":
                self.headline_list(lang, src, out)
            elif block == "related":
                out.append((self.word(lang, "section", src), "noise"))
                for _ in range(self.rng.choice((0, 0, 2, 3))):
                    out.append((self.headline(lang, src), "noise"))
            elif block == "ads":
                for _ in range(self.rng.randint(1, 4)):
                    out.append((self.word(lang, "ad", src), "noise"))
            elif block == "aggregator":
                line = self.word(lang, "aggregator_footer", src)
                out.append((line, "noise"))
                dump.aggregator = header.aggregator(line)
                if self.chance(0.5):
                    out.append((self.word(lang, "ad", src), "noise"))
            elif block == "tags":
                out.append((self.word(lang, "tags_header", src), "noise"))
                names = [self.fill(self.pick(["{person}", "{place}", "{org}"]), lang, src) for _ in range(self.rng.randint(2, 6))]
                out.append((self.pick([" ", ", ", " · "]).join(names), "noise"))
            elif block == "source":
                out.append((self.word(lang, "source", src), "noise"))
            elif block == "loader":
                for _ in range(self.rng.randint(1, 2)):
                    out.append((self.word(lang, "loader", src), "noise"))
            elif block == "share":
                for _ in range(self.rng.randint(1, 3)):
                    out.append((self.word(lang, "share", src), "noise"))
            elif block == "copyright":
                out.append((self.word(lang, "copyright", src), "noise"))

    def brief(self, paragraphs: list[str]) -> list[str]:
        """A news brief: the first few sentences, one or two a paragraph."""
        sentences = [s for p in paragraphs for s in SENTENCE_SPLIT.split(p)][: self.rng.randint(1, 6)]
        out = []
        while sentences:
            k = self.rng.choice((1, 1, 2))
            out.append(" ".join(sentences[:k]))
            sentences = sentences[k:]
        return out

    def make(self, src: Source) -> Dump:
        lang = src.language
        paragraphs = list(src.paragraphs)
        if self.chance(0.3):
            paragraphs = self.brief(paragraphs)
        dump = Dump(lines=[], labels=[], text="", title=src.title, body=[])
        out: list[tuple[str, str]] = []
        if self.chance(0.07):  # now and then a clean article: nothing to remove
            out = [(src.title, "title"), *((p, "keep") for p in paragraphs)]
        else:
            self.header(lang, src, dump, out)
            self.title_block(lang, src, dump, out, paragraphs)
            self.body(lang, src, paragraphs, out)
            self.footer(lang, src, dump, out)
        dump.lines = [line for line, _ in out]
        dump.labels = [label for _, label in out]
        dump.body = [line for line, label in out if label == "keep"]
        dump.text = self.render(dump.lines)
        return dump

    def render(self, lines: list[str]) -> str:
        """Lines joined with one or two newlines, sometimes a stray blank."""
        parts = []
        for line in lines:
            parts.append(line)
            parts.append(self.pick(["\n", "\n\n", "\n\n", "\n\n", "\n \n"]))
        return "".join(parts)
