"""The one data model shared by every stage of the pipeline.

A reader yields `Page`s; the cleaner turns a page into an `Article`; later
stages fill the article's lists (entities, meetings, quotes, topics); the
store groups articles into `Story`s. Everything is a plain dataclass so that
records cross process and Dask boundaries by pickling and serialise to JSON
with `to_dict`.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    """One raw page as a reader found it, before any cleaning.

    `kind` says what `text` holds: "dump" (a text dump with page debris around
    the article), "text" (an already clean article body), or "html"/"feed"
    (the reader has already extracted the main text with trafilatura or
    feedparser, so `text` is the body and `title`/`published` may be set).
    """

    origin: str
    text: str
    kind: str = "dump"
    url: str | None = None
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    language: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class Mention:
    text: str
    start: int
    end: int
    lemma: str
    type: str = ""


@dataclass
class Entity:
    id: str
    type: str
    lemma: str
    name: str
    wikidata: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Participant:
    id: str
    name: str
    role: str | None = None


@dataclass
class Meeting:
    participants: list[Participant]
    kind: str
    cameo: str
    evidence: list[tuple[int, int]]
    delegation: list[Participant] = field(default_factory=list)
    place: dict[str, Any] | None = None
    date: str | None = None
    date_basis: str | None = None
    topics: list[str] = field(default_factory=list)
    planned: bool = False
    # happened | planned | negated | cancelled; the last three have planned=True
    status: str = "happened"


# Meeting.status values of reports that say the meeting did not take place.
CALLED_OFF = ("negated", "cancelled")


def meeting_status(record: dict[str, Any]) -> str:
    """The status of a stored meeting or merged event record; records
    written before the field existed have only `planned`."""
    return record.get("status") or ("planned" if record.get("planned") else "happened")


@dataclass
class Quote:
    text: str
    start: int
    end: int
    speaker: dict[str, Any] | None = None


@dataclass
class Article:
    id: str
    origin: str
    body: str
    url: str | None = None
    outlet: str | None = None
    aggregator: str | None = None
    language: str | None = None
    title: str | None = None
    published: str | None = None
    entities: list[Entity] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ErrorRecord:
    """What a page that could not be processed becomes: the batch goes on."""

    origin: str
    error: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Story:
    id: str
    title: str
    article_ids: list[str]
    languages: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    first_seen: str | None = None
    last_seen: str | None = None
    entities: list[str] = field(default_factory=list)


def content_id(*parts: str | None) -> str:
    """A stable id from content: the same text gives the same id on any machine."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()
