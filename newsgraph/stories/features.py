"""What clustering and search need from an article, computed once at ingest:
its time, entity and lemma counts, topics, a MinHash signature and the
lemmatised text for the full-text index. Pure: Article in, Features out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from newsgraph.model import Article
from newsgraph.stories import minhash
from newsgraph.stories.terms import content_terms, folded_words, index_tokens


@dataclass
class Features:
    ts: float  # UTC epoch seconds
    day: str  # YYYY-MM-DD, in the page's own offset where it gave one
    date_basis: str  # "published" | "ingested"
    language: str
    entities: dict[str, float] = field(default_factory=dict)  # entity id -> mentions
    lemmas: dict[str, float] = field(default_factory=dict)  # "<lang>:<lemma>" -> frequency
    topics: list[str] = field(default_factory=list)
    signature: bytes | None = None  # MinHash hash values (uint32), None for short texts
    fts_text: str = ""


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 date or datetime (or epoch seconds) -> aware datetime, else None.
    A date without offset is read as UTC."""
    if not value:
        return None
    text = value.strip()
    try:
        if text.isdigit() and len(text) >= 9:
            return datetime.fromtimestamp(int(text), UTC)
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
    except (ValueError, OverflowError, OSError):
        try:
            parsed = datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def article_time(article: Article, ingested_at: datetime) -> tuple[float, str, str]:
    """(ts, day, basis): the publication time, else the ingest time."""
    published = parse_time(article.published)
    if published is not None:
        return published.timestamp(), published.date().isoformat(), "published"
    return ingested_at.timestamp(), ingested_at.date().isoformat(), "ingested"


def entity_counts(article: Article) -> dict[str, float]:
    counts: dict[str, float] = {}
    for entity in article.entities:
        if entity.id:
            counts[entity.id] = counts.get(entity.id, 0.0) + max(1, len(entity.mentions))
    return counts


def featurise(article: Article, ingested_at: datetime) -> Features:
    ts, day, basis = article_time(article, ingested_at)
    language = article.language or "und"
    body = folded_words(article.body)
    tokens = folded_words(article.title or "") + body
    lemmas = {f"{language}:{term}": count for term, count in content_terms(tokens, language).items()}
    return Features(
        ts=ts,
        day=day,
        date_basis=basis,
        language=language,
        entities=entity_counts(article),
        lemmas=lemmas,
        topics=sorted(set(article.topics)),
        signature=minhash.signature(body),
        fts_text=index_tokens(tokens, language),
    )
