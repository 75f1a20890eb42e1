"""Response and request models of the JSON API: they document it in the
OpenAPI description (/openapi.json) and keep internal fields out of it."""

from __future__ import annotations

from pydantic import BaseModel, Field


class EntityRef(BaseModel):
    id: str
    name: str
    type: str
    wikidata: str | None = None


class TopicRef(BaseModel):
    id: str
    label: str


class StorySummary(BaseModel):
    id: str
    title: str
    title_article_id: str
    first_seen: str
    last_seen: str
    dated: bool = Field(description="first/last seen come from publication dates (else from ingest times)")
    n_articles: int
    n_outlets: int
    n_languages: int
    languages: list[str]
    outlets: list[str]
    entities: list[EntityRef] = Field(description="the story's main entities")
    topics: list[TopicRef]


class StoryFilters(BaseModel):
    language: str | None = None
    topic: str | None = None
    entity: str | None = None


class StoryList(BaseModel):
    stories: list[StorySummary]
    total: int
    limit: int
    offset: int
    filters: StoryFilters
    entity_ids: list[str] | None = Field(None, description="what the entity filter resolved to")


class StoryArticle(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: str | None = None
    day: str
    date_basis: str
    duplicate_of: str | None = Field(None, description="id of the article this one reprints")
    duplicate_title: str | None = None


class ArticleGroup(BaseModel):
    language: str | None = None
    outlet: str | None = None
    articles: list[StoryArticle]


class Person(BaseModel):
    key: str = Field(description="entity id, or name:<normalised name> when unlinked")
    id: str | None = None
    name: str
    type: str
    role: str | None = None


class Place(BaseModel):
    id: str | None = None
    name: str | None = None


class EventSource(BaseModel):
    article_id: str | None = None
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    day: str | None = None
    url: str | None = None


class Event(BaseModel):
    """A meeting merged across the articles that report it."""

    id: str
    date: str | None = None
    date_basis: str | None = None
    kind: str | None = None
    cameo: str | None = None
    place: Place | None = None
    planned: bool
    status: str = Field("happened", description="happened | planned | negated | cancelled (the last three are planned)")
    participants: list[Person]
    delegation: list[Person]
    topics: list[TopicRef]
    countries: list[str]
    languages: list[str]
    n_sources: int
    sources: list[EventSource]


class StoryDetail(BaseModel):
    story: StorySummary
    articles: list[StoryArticle]
    groups: list[ArticleGroup] = Field(description="the articles by language and outlet")
    events: list[Event]


class GraphNode(BaseModel):
    id: str
    label: str
    entity_id: str | None = None
    type: str
    events: int
    focus: bool = False


class GraphEdge(BaseModel):
    source: str
    target: str
    weight: int


class Graph(BaseModel):
    nodes: list[GraphNode] = Field(description="the participants in the most meetings (at most 50, plus the focus)")
    edges: list[GraphEdge]
    people: int | None = Field(None, description="how many participants there were before that bound")


class TimelinePoint(BaseModel):
    id: str
    date: str
    label: str
    place: str | None = None
    n_sources: int


class MeetingFilters(BaseModel):
    participant: str | None = None
    country: str | None = None
    topic: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None


class MeetingList(BaseModel):
    meetings: list[Event]
    total: int
    limit: int
    offset: int
    filters: MeetingFilters
    graph: Graph = Field(description="who met whom in the meetings listed")
    timeline: list[TimelinePoint]


class ArticleInfo(BaseModel):
    id: str
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    title: str | None = None
    published: str | None = None
    day: str
    date_basis: str
    version: int
    is_latest: bool
    story_id: str | None = None
    duplicate_of: str | None = None
    body: str
    topics: list[TopicRef]


class StoryRef(BaseModel):
    id: str
    title: str


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    day: str | None = None
    url: str | None = None


class ArticleEntity(BaseModel):
    id: str
    name: str
    type: str
    mentions: int


class MentionOut(BaseModel):
    entity_id: str
    start: int
    end: int
    text: str
    type: str


class Speaker(BaseModel):
    id: str | None = None
    name: str | None = None


class QuoteOut(BaseModel):
    text: str
    start: int
    end: int
    speaker: Speaker | None = None


class ArticleParticipant(BaseModel):
    id: str | None = None
    name: str
    role: str | None = None


class ArticleMeeting(BaseModel):
    participants: list[ArticleParticipant]
    kind: str | None = None
    cameo: str | None = None
    date: str | None = None
    date_basis: str | None = None
    place: Place | None = None
    planned: bool
    status: str = Field("happened", description="happened | planned | negated | cancelled (the last three are planned)")
    topics: list[TopicRef]
    evidence: list[list[int]] = Field(description="[start, end] character offsets into the body")


class ArticleDetail(BaseModel):
    article: ArticleInfo
    story: StoryRef | None = None
    duplicate_of: ArticleRef | None = None
    entities: list[ArticleEntity]
    mentions: list[MentionOut]
    quotes: list[QuoteOut]
    meetings: list[ArticleMeeting]
    events: list[Event]


class EntityInfo(BaseModel):
    id: str
    type: str
    name: str
    stored_name: str | None = None
    wikidata: str | None = None
    wikidata_url: str | None = None
    country: str | None = None
    country_name: str | None = None


class KBRoleOut(BaseModel):
    role: str
    of: str | None = None
    of_name: str | None = None
    from_: str | None = Field(None, alias="from")
    to: str | None = None

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class ReportedRole(BaseModel):
    role: str
    first_day: str | None = None
    last_day: str | None = None
    n: int


class Roles(BaseModel):
    kb: list[KBRoleOut]
    reported: list[ReportedRole]


class EntityQuote(BaseModel):
    id: str
    text: str
    article_id: str
    title: str | None = None
    day: str | None = None
    date_basis: str | None = Field(None, description="'published'; else `day` is the day it was ingested")
    language: str | None = None
    outlet: str | None = None


class EntityArticle(BaseModel):
    id: str
    title: str | None = None
    outlet: str | None = None
    language: str | None = None
    day: str
    date_basis: str | None = Field(None, description="'published'; else `day` is the day it was ingested")
    story_id: str | None = None
    mentions: int


class EntityDetail(BaseModel):
    entity: EntityInfo
    names: dict[str, list[str]] = Field(description="language -> names (knowledge base first, then as seen)")
    forms: list[str]
    roles: Roles
    meetings: list[Event]
    graph: Graph
    timeline: list[TimelinePoint]
    quotes: list[EntityQuote]
    articles: list[EntityArticle]
    n_articles: int
    limit: int
    offset: int


class SearchHit(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: str | None = None
    day: str
    story_id: str | None = None
    score: float
    snippet: str = Field(description="plain text; matches in [brackets] — escape before showing")
    highlights: list[list[int]] = Field(description="[start, end] of matches in the article body")


class SearchFilters(BaseModel):
    entity: str | None = None
    language: str | None = None
    outlet: str | None = None
    topic: str | None = None
    date_from: str | None = None
    date_to: str | None = None


class SearchResults(BaseModel):
    query: str
    filters: SearchFilters
    limit: int
    hits: list[SearchHit]


class Facet(BaseModel):
    id: str
    label: str | None = None
    n: int


class Facets(BaseModel):
    languages: list[Facet]
    topics: list[Facet]


class PageRecord(BaseModel):
    """One page to ingest, as a line of the JSON Lines input format."""

    url: str | None = Field(None, max_length=4000, description="also the page's origin (versions are per origin)")
    text: str | None = Field(None, max_length=2_000_000, description="the article text (a clean body)")
    html: str | None = Field(None, max_length=5_000_000, description="or the page's HTML")
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, max_length=100)
    outlet: str | None = Field(None, max_length=500)
    language: str | None = Field(None, max_length=10)


class IngestRequest(BaseModel):
    records: list[PageRecord] = Field(min_length=1, max_length=200)


class IngestError(BaseModel):
    origin: str
    error: str


class IngestResult(BaseModel):
    pages: int
    articles: int
    skipped: int
    versions: int
    known: int
    duplicates: int
    stories_created: int
    meetings: int
    errors: list[IngestError]
    seconds: float
