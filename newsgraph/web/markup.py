"""Article text as HTML with entities, quotes and meetings marked.

Markup is built from character offsets, never by replacing strings in the
text: the body is cut at every span boundary and each piece is escaped on
its own, then wrapped in the elements of the spans that cover it. A piece
of page text therefore can never become markup, whatever it contains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

ENTITY_TYPES = ("PER", "LOC", "ORG", "EVT", "PRO")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "entity" | "quote" | "meeting"
    attrs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)


def entity_type(value: str | None) -> str:
    """One of ENTITY_TYPES (the CSS class suffix), "MISC" otherwise."""
    upper = (value or "").upper()
    return next((t for t in ENTITY_TYPES if upper.startswith(t)), "MISC")


def entity_url(entity_id: str) -> str:
    return "/entity/" + quote(entity_id, safe="")


def article_url(article_id: str) -> str:
    return "/article/" + quote(article_id, safe="")


def story_url(story_id: str) -> str:
    return "/story/" + quote(story_id, safe="")


def http_url(url: str | None) -> str | None:
    """The URL if it is http(s), else None: a page's own URL must never
    become a javascript: or data: link."""
    if not url:
        return None
    scheme = url.split(":", 1)[0].strip().lower() if ":" in url else ""
    return url if scheme in ("http", "https") and not any(c in url for c in "\n\r\t") else None


def _valid(start: Any, end: Any, size: int) -> bool:
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= size


def entity_spans(entities: list[Any], size: int) -> list[Span]:
    """Mentions as spans, overlaps resolved: the longer mention wins, then
    the earlier one (nested names such as a country inside an organisation
    keep the outer one)."""
    candidates = []
    for entity in entities:
        for mention in entity.mentions:
            if _valid(mention.start, mention.end, size):
                candidates.append((mention.start, mention.end, entity))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    taken: list[tuple[int, int]] = []
    spans = []
    for start, end, entity in candidates:
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        kind = entity_type(entity.type or "")
        spans.append(Span(start, end, "entity", {
            "href": entity_url(entity.id), "class": f"ent ent-{kind}", "title": f"{entity.name} · {kind}",
            "data-entity": entity.id,
        }))
    return sorted(spans, key=lambda s: s.start)


def quote_spans(quotes: list[Any], size: int, label: str) -> list[Span]:
    spans = []
    for n, q in enumerate(quotes):
        if not _valid(q.start, q.end, size):
            continue
        speaker = q.speaker.get("name") if isinstance(q.speaker, dict) else None
        title = f"{label}: {speaker}" if speaker else label
        spans.append(Span(q.start, q.end, "quote", {"class": "hl-quote", "title": title, "data-quote": str(n)}))
    return spans


def meeting_spans(meetings: list[Any], size: int, label: str) -> list[Span]:
    spans = []
    for n, meeting in enumerate(meetings):
        names = " – ".join(p.name for p in meeting.participants if p.name)
        for evidence in meeting.evidence or []:
            if len(evidence) == 2 and _valid(evidence[0], evidence[1], size):
                title = f"{label} {n + 1}: {names}" if names else f"{label} {n + 1}"
                spans.append(Span(evidence[0], evidence[1], "meeting",
                                  {"class": "hl-meeting", "title": title, "data-meeting": str(n)}))
    return spans


# Outer to inner: a meeting sentence holds quotes, a quote holds names.
_NESTING = {"meeting": 0, "quote": 1, "entity": 2}
_TAGS = {"meeting": "mark", "quote": "q", "entity": "a"}


def _open(span: Span) -> str:
    attrs = "".join(f' {name}="{escape(value, quote=True)}"' for name, value in span.attrs.items())
    return f"<{_TAGS[span.kind]}{attrs}>"


def _piece(text: str, covering: list[Span]) -> str:
    out = escape(text, quote=False)
    for span in sorted(covering, key=lambda s: _NESTING[s.kind], reverse=True):
        out = _open(span) + out + f"</{_TAGS[span.kind]}>"
    return out


def _paragraph(body: str, lo: int, hi: int, spans: list[Span]) -> str:
    inside = [s for s in spans if s.start < hi and lo < s.end]
    cuts = sorted({lo, hi, *(max(lo, s.start) for s in inside), *(min(hi, s.end) for s in inside)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in inside if s.start <= a and b <= s.end]
        pieces.append(_piece(body[a:b], covering))
    return "<p>" + "".join(pieces) + "</p>"


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line: the clean body keeps one paragraph a line."""
    found, start = [], 0
    for line in body.split("\n"):
        end = start + len(line)
        if line.strip():
            found.append((start, end))
        start = end + 1
    return found


def highlight(body: str, spans: list[Span]) -> Markup:
    """The body as <p> paragraphs with every span marked."""
    return Markup("\n".join(_paragraph(body, lo, hi, spans) for lo, hi in paragraphs(body)))


def snippet(body: str, highlights: list[tuple[int, int]], width: int = 240) -> Markup:
    """A stretch of text around the first highlight, highlights in <mark>,
    cut at word boundaries; every piece escaped."""
    spans = sorted((s, e) for s, e in (tuple(h) for h in highlights) if _valid(s, e, len(body)))
    first = spans[0][0] if spans else 0
    lo = max(0, first - width // 3)
    if lo:
        space = body.find(" ", lo, first)
        lo = space + 1 if space >= 0 else lo
    hi = min(len(body), lo + width)
    if hi < len(body):
        space = body.rfind(" ", lo, hi)
        hi = space if space > first else hi
    pieces, cursor = [], lo
    for start, end in spans:
        if start < cursor or end > hi:
            continue
        pieces.append(escape(body[cursor:start], quote=False))
        pieces.append("<mark>" + escape(body[start:end], quote=False) + "</mark>")
        cursor = end
    pieces.append(escape(body[cursor:hi], quote=False))
    text = " ".join("".join(pieces).split())
    return Markup(("… " if lo else "") + text + (" …" if hi < len(body) else ""))
