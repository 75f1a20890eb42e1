"""Text dump -> Article: title, publication date, outlet, aggregator, URL and
the body without page debris.

1. crawler metadata lines at the top (id, language code, date, URL) are read
   and set aside (newsgraph.clean.header);
2. the CRF line classifier labels every other line title / keep / noise
   (newsgraph.clean.lines);
3. the title is the first line near the top labelled title (failing that,
   kept); the outlet and the date are taken only from header lines above it
   or right below it, never from the body or a headline list further down;
4. the body is the kept lines below the title, without repeats of the title,
   date lines, a title glued to a photo credit and a teaser, or duplicate
   paragraphs; a long multi-sentence line the classifier rejected because
   debris is glued to its start is kept with the debris cut off;
5. the aggregator comes from a debris line (a footer) below the title.

A field the page does not state stays None (or the reader's value).
"""

from __future__ import annotations

import re

from newsgraph.clean import dates, header, lines
from newsgraph.clean.features import describe, normalise
from newsgraph.clean.resources import markers, start_marker
from newsgraph.model import Article, Page

TITLE_WINDOW = 10  # the title is among the first lines after the metadata
DATE_AFTER_TITLE = 3  # a date line may follow the title within this many lines
MAX_TITLE_CHARS = 300
MIN_TITLE_SCORE = 0.02  # below this no line near the top looks like a title
SUBSTANTIAL_WORDS = 50  # a debris-labelled line this long, in sentences, is text
BULLET = re.compile(r"^[•·▪►▶●◦]\s*")
# Where a sentence starts after a photo credit: a capitalised word followed
# by a lower-case one ("Фото: з вільного доступу Лекорню зазначив"), or a
# one-letter preposition before a name ("Фото: vk.me В Пакистане оправдали").
SENTENCE_START = re.compile(
    r"(?<=\s)(?:[ВУЗІАОСКI]\s+[A-ZА-ЯІЇЄҐЁ][\w'’-]*\s+[a-zа-яіїєґё]|[A-ZА-ЯІЇЄҐЁ«\"„][\w'’-]*\s+[a-zа-яіїєґё])"
)
LEADING_TIME = re.compile(r"^(?:\d{1,2}[:.]\d{2}(?:[./]\d{2}(?:[./]\d{2,4})?)?[,\s]*)+")
LOOSE_SENTENCE_END = re.compile(r"[.!?…][\"»”)]*\s*(?=[«\"]?[A-ZА-ЯІЇЄҐЁ])")
CREDIT_PERIOD = 40  # "Фото: AFP. Борис ...": a full stop this close ends the credit


def clean_dump(page: Page) -> Article:
    texts = [t for t in (normalise(line) for line in page.text.splitlines()) if t]
    meta = header.read_meta(texts)
    texts = texts[meta.lines :]
    labels, title_scores = lines.label_with_title(texts, TITLE_WINDOW)
    keep = [label != lines.NOISE for label in labels]
    title_at = _find_title(texts, labels, title_scores)
    title = texts[title_at] if title_at is not None else page.title
    outlet = _named_outlet(texts, title_at)
    published = meta.published or _header_date(texts, title_at) or page.published
    body_lines = _body(texts, keep, title_at)
    url = meta.url or page.url
    return Article(
        id="",
        origin=page.origin,
        body="\n\n".join(body_lines),
        url=url,
        outlet=outlet or header.host_outlet(meta.url) or page.outlet,
        aggregator=_aggregator(texts, keep, title_at),
        language=page.language or meta.language,
        title=title,
        published=published,
        warnings=list(page.warnings) + ([] if title_at is not None else ["no title found"]),
    )


def _is_furniture(text: str) -> bool:
    """A date line, a known outlet or a bare marker: never the title."""
    if dates.is_date_line(text) or header.known_outlet(text):
        return True
    return len(text.split()) <= 4 and start_marker().match(text) is not None


def _find_title(texts: list[str], labels: list[str], scores: list[float]) -> int | None:
    """The line near the top most likely to be the title by the classifier's
    marginals; failing that (no line is at all likely), the first kept
    headline-sized line; failing that, the first line there that is neither
    furniture nor a long paragraph."""
    window = [i for i in range(len(scores)) if len(texts[i]) <= MAX_TITLE_CHARS and not _is_furniture(texts[i])]
    best = max(window, key=lambda i: scores[i], default=None)
    if best is not None and scores[best] >= MIN_TITLE_SCORE:
        return best
    for i in window:
        if labels[i] == lines.KEEP:
            return i
    for i in window:
        if len(texts[i].split()) >= 3:
            return i
    return None


def _named_outlet(texts: list[str], title_at: int | None) -> str | None:
    """An outlet a header line names: above the title (a known outlet, or a
    short name standing over the date line), or a known outlet on a short
    dateline just below it ("Київ • Укрінформ")."""
    end = title_at if title_at is not None else min(TITLE_WINDOW, len(texts))
    for i in range(end):
        following = texts[i + 1] if i + 1 < len(texts) else None
        if name := header.outlet_line(texts[i], following):
            return name
    if title_at is not None:
        for text in texts[title_at + 1 : title_at + 1 + DATE_AFTER_TITLE]:
            if name := header.outlet_in_dateline(text):
                return name
    return None


def _header_date(texts: list[str], title_at: int | None) -> str | None:
    """The publication date from a date line above the title or right after
    it. Dates further down (a headline list, the body) are not the article's."""
    end = title_at if title_at is not None else min(TITLE_WINDOW, len(texts))
    candidates = list(range(end))
    if title_at is not None:
        candidates += range(title_at + 1, min(title_at + 1 + DATE_AFTER_TITLE, len(texts)))
    for i in candidates:
        if dates.is_date_line(texts[i]) and (found := dates.parse(texts[i])):
            return found
    return None


def _body(texts: list[str], keep: list[bool], title_at: int | None) -> list[str]:
    """Kept lines after the title, cleaned: without repeats of the title,
    date lines, debris glued to a paragraph, and duplicate paragraphs."""
    start = title_at + 1 if title_at is not None else 0
    title = texts[title_at].lower() if title_at is not None else None
    # Only a long title is looked for inside other lines: a short one ("Брексит")
    # may well open a sentence of the text.
    findable = bool(title) and len(title) >= 30 and title.count(" ") >= 3
    chosen: list[str] = []
    for i in range(start, len(texts)):
        text = texts[i]
        near = i <= start + DATE_AFTER_TITLE
        if title and len(text) == len(title) and text.lower() == title:
            continue  # the title repeated
        if dates.is_date_line(text) or header.known_outlet(text):
            continue  # a date line or a bare outlet name is metadata wherever it stands
        if near and header.outlet_in_dateline(text):
            continue  # "Київ • Укрінформ" under the title
        if title and (at := _glued_title(text, title, near, findable)) is not None:
            if lead := _glued_lead(text[at:], texts[i + 1 :]):
                chosen.append(lead)
        elif keep[i]:
            chosen.append(BULLET.sub("", text))
        elif _substantial(text):
            # A whole article the classifier rejected because debris is glued
            # to its start ("Фото: AFP. Борис Джонсон ..."): keep the text.
            chosen.append(_strip_credit(text))
    return list(dict.fromkeys(chosen))  # a paragraph printed twice counts once


def _glued_title(text: str, title: str, near: bool, findable: bool) -> int | None:
    """Where the text after a glued-in title starts, or None if the line is
    not a title glued to something. Right below the title the line may start
    with it ("<title> Фото: ... <teaser>"); anywhere, a long title may follow
    a debris prefix ("... нажмите Ctrl+Enter <title> <text>"). What follows
    must not go on in lower case: a lead that merely begins with the title's
    words is text."""
    head = text[: len(title) + 300].lower()
    if near and head.startswith(title):
        at = len(title)
    elif findable and 0 < (found := head.find(title)):
        at = found + len(title)
    else:
        return None
    rest = text[at:].lstrip(" .,:;-–—|")
    return None if rest[:1].islower() else at


def _glued_lead(rest: str, later: list[str]) -> str | None:
    """What follows a glued-in title (a time, a photo credit, a teaser): the
    teaser if it is new text, None if it only repeats a later paragraph (as
    teasers do) or there is nothing but furniture."""
    rest = _strip_credit(rest.strip(" .:-–—|"))
    if len(rest.split()) < 3 or start_marker().match(rest):
        return None
    probe = rest[:60]
    if any(probe in other for other in later):
        return None
    return rest


def _substantial(text: str) -> bool:
    """Several sentences of prose: an article, whatever is glued to it.
    Sentence ends are counted loosely: dumps often lose the space after a
    full stop ("добычи.Это")."""
    line = describe(text)
    if line.words < SUBSTANTIAL_WORDS or line.stop < 0.15:
        return False
    return len(LOOSE_SENTENCE_END.findall(text, 0, 1500)) >= 3


def _strip_credit(text: str) -> str:
    """Drop a leading time stamp and a photo credit (with the caption before
    it) from the start of a line."""
    text = LEADING_TIME.sub("", text)
    _, inside = markers()
    m = inside["photo_inside"].search(text, 0, 120)
    if not m:
        return text
    cuts = []
    if (period := text.find(". ", m.end(), m.end() + CREDIT_PERIOD)) >= 0:
        cuts.append(period + 2)
    if found := SENTENCE_START.search(text, m.end()):
        cuts.append(found.start())
    return text[min(cuts) :] if cuts else text


def _aggregator(texts: list[str], keep: list[bool], title_at: int | None) -> str | None:
    """The aggregator a debris line below the title names (a footer, mostly;
    kept lines are text and never name one)."""
    start = title_at + 1 if title_at is not None else 0
    for i in range(start, len(texts)):
        if not keep[i] and (name := header.aggregator(texts[i])):
            return name
    return None
