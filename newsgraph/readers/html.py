"""HTML pages: trafilatura finds the main text and the page's metadata
(title, publication date, site name, canonical URL); we only decode the
bytes and add the time of day to trafilatura's date where the page states it.

Settings, measured on the Zyte article-extraction benchmark (181 English
pages, `python -m newsgraph.evaluate.extraction`): fast=True skips
trafilatura's fallback extractors (readability, jusText), which here costs
nothing in F1 and saves a third of the time; favor_recall=True was as
precise and recalled a little more. Comments are never article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from newsgraph.model import ErrorRecord, Page
from newsgraph.readers.dates import has_time, iso_date
from newsgraph.readers.decode import DecodeError, decode

EXTRACTION = {
    "fast": True,
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "with_metadata": True,
    "deduplicate": False,
}

# Fewer characters than this is no article: in fast mode trafilatura falls
# back to whatever text a page has, e.g. the footer of an empty page.
MIN_BODY_CHARS = 50

# Where the HTML declares its encoding: <meta charset>, <meta http-equiv> or an XML declaration.
# Inside a tag the patterns stop at "<" as well as ">": on "<meta <meta …"
# without a ">" each tag start rescanned the rest of the page (quadratic).
META_CHARSET = re.compile(rb"""<meta[^<>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)

# Timestamps the page gives for its publication, best first. trafilatura
# (htmldate) reports the date only; these add the time and zone.
PUBLISHED_KEYS = (
    "article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "date_published",
    "publishdate",
    "publish-date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.created",
)
META_TAG = re.compile(r"<meta\b[^<>]*>", re.I)
META_KEY = re.compile(r"""\b(?:property|name|itemprop)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^"'\s>]+))""", re.I)
META_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']+)""", re.I)
JSON_PUBLISHED = re.compile(r""""datePublished"\s*:\s*"([^"]+)\"""")
TIME_TAG = re.compile(r"""<time\b[^<>]*\bdatetime\s*=\s*["']([^"']+)""", re.I)


def read(data: bytes, origin: str) -> Iterator[Page | ErrorRecord]:
    yield page_from_bytes(data, origin)


def page_from_bytes(data: bytes, origin: str, url: str | None = None, charset: str | None = None) -> Page | ErrorRecord:
    """An HTML page's bytes to a Page; `charset` is what the HTTP header said."""
    try:
        html = decode(data, charset or declared_charset(data))
    except DecodeError as exc:
        return ErrorRecord(origin, str(exc))
    return extract(html, origin, url)


def declared_charset(data: bytes) -> str | None:
    head = data[:8192]
    match = XML_ENCODING.match(head) or META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def extract(html: str, origin: str, url: str | None = None) -> Page | ErrorRecord:
    """Main text and metadata of an HTML page, or an ErrorRecord saying why none."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(html, url=url, **EXTRACTION)
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura failing on odd markup must not stop a batch
        return ErrorRecord(origin, f"HTML extraction failed: {type(exc).__name__}: {exc}")
    title = _clean(document.title) if document is not None else None
    text = _without_title(paragraphs(document.text if document is not None else None), title)
    if len(text) < MIN_BODY_CHARS:
        found = f" (only {len(text)} characters: {text!r})" if text else ""
        return ErrorRecord(origin, f"no article text found in the HTML{found}")
    return Page(
        origin=origin,
        text=text,
        kind="html",
        url=document.url or url,
        title=title,
        published=published(html, document.date),
        outlet=_clean(document.sitename),
    )


def paragraphs(text: str | None) -> str:
    """trafilatura's plain text has one block (paragraph, heading, list item)
    per line; the article body separates paragraphs by a blank line."""
    if not text:
        return ""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment that holds an article and little else (a
    feed entry's content): trafilatura's, unless the fragment is too short
    for it, then all of the fragment's text."""
    import trafilatura

    wrapped = f"<html><body><article>{fragment}</article></body></html>"
    try:
        document = trafilatura.bare_extraction(wrapped, **{**EXTRACTION, "with_metadata": False})
    except Exception:  # noqa: BLE001 - as in extract()
        document = None
    text = paragraphs(document.text) if document is not None else ""
    return text if len(text) >= MIN_BODY_CHARS else paragraphs(_all_text(fragment))


def _all_text(fragment: str) -> str:
    """All the text of an HTML fragment, a line per block element."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on junk
        return ""
    for element in root.iter("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


HEADLINE_SEPARATORS = "|-–—:·•/"


def _without_title(text: str, title: str | None) -> str:
    """The body without the headline trafilatura often keeps as its first
    line: the title is a field of its own, as for text dumps. The page title
    may go on with the site's name ("Headline | Site")."""
    first, _, rest = text.partition("\n\n")
    if not (title and rest and len(first) < 300):
        return text
    headline, line = title.casefold(), first.casefold()
    if headline == line or headline.startswith(line) and headline[len(line) :].lstrip()[:1] in HEADLINE_SEPARATORS:
        return rest
    return text


def published(html: str, day: str | None) -> str | None:
    """trafilatura's publication date, with the time and zone of a timestamp
    the page gives for it. A page also dates its related links, comments and
    updates, so only the page's own publication tags are trusted, and only
    near the found day: one day off is the same instant in another zone
    (2019-11-19T07:03Z is the evening of the 18th in California)."""
    day = iso_date(day)
    if not day:
        return None
    without_zone = None
    for candidate, own in _timestamps(html):
        stamp = iso_date(candidate)
        if not (stamp and has_time(stamp)):
            continue
        if stamp[:10] == day or own and abs(date.fromisoformat(stamp[:10]) - date.fromisoformat(day)).days <= 1:
            if len(stamp) > 19:  # has its zone
                return stamp
            without_zone = without_zone or stamp
    return without_zone or day


def _timestamps(html: str) -> Iterator[tuple[str, bool]]:
    """Timestamps in the page, best first, each with whether it is one of the
    page's own publication tags (rather than any <time> element)."""
    found: list[tuple[int, str]] = []
    for tag in META_TAG.findall(html[:300_000]):
        content = META_CONTENT.search(tag)
        keys = [key.lower() for groups in META_KEY.findall(tag) for key in "".join(groups).split()]
        ranks = [PUBLISHED_KEYS.index(key) for key in keys if key in PUBLISHED_KEYS]
        if content and ranks:
            found.append((min(ranks), content.group(1)))
    found.sort(key=lambda item: item[0])
    yield from ((value, True) for _, value in found)
    yield from ((value, True) for value in JSON_PUBLISHED.findall(html))
    yield from ((value, False) for value in TIME_TAG.findall(html))


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None
