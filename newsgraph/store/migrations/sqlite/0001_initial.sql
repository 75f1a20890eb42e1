-- newsgraph store, SQLite dialect, version 1. Documented in docs/schema.md.
-- Applied once, inside a transaction, by newsgraph.store.sqlite.SQLiteStore.

-- Small key/value facts about the store (e.g. the number of latest articles,
-- used for idf).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Every page the store has seen, keyed by where it came from and a hash of
-- its raw content: an unchanged page is skipped before the NLP pipeline.
CREATE TABLE sources (
    origin     TEXT NOT NULL,
    raw_sha    TEXT NOT NULL,
    article_id TEXT,                       -- NULL when the page became an error
    status     TEXT NOT NULL CHECK (status IN ('article', 'error')),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (origin, raw_sha)
);

CREATE TABLE errors (
    id       INTEGER PRIMARY KEY,
    origin   TEXT NOT NULL,
    error    TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    UNIQUE (origin, error)
);

-- One row per article version. `rid` is the integer key other tables use;
-- `id` is the content hash from the pipeline (newsgraph.model.content_id).
CREATE TABLE articles (
    rid          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    origin       TEXT NOT NULL,
    url          TEXT,
    outlet       TEXT,
    aggregator   TEXT,
    language     TEXT,
    title        TEXT,
    published    TEXT,                     -- as the page gave it (ISO 8601)
    ts           REAL NOT NULL,            -- UTC epoch seconds: published, else ingest time
    day          TEXT NOT NULL,            -- YYYY-MM-DD of `ts` in the page's own offset
    date_basis   TEXT NOT NULL CHECK (date_basis IN ('published', 'ingested')),
    cluster_ts   REAL,                     -- time used by clustering: published time, or for an
                                           -- undated article the time of the dated article it
                                           -- was matched to; NULL = unknown
    body         TEXT NOT NULL,
    warnings     TEXT NOT NULL DEFAULT '[]',  -- JSON list
    version      INTEGER NOT NULL DEFAULT 1,
    is_latest    INTEGER NOT NULL DEFAULT 1,
    previous_id  TEXT,                     -- the version this one replaced
    story_id     TEXT REFERENCES stories(id) ON DELETE SET NULL,
    duplicate_of TEXT,                     -- id of the article this one reprints
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_origin ON articles (origin, is_latest);
CREATE INDEX articles_story ON articles (story_id, ts);
CREATE INDEX articles_day ON articles (day);
CREATE INDEX articles_order ON articles (is_latest, date_basis, ts, id);
CREATE INDEX articles_outlet ON articles (outlet);

CREATE TABLE article_topics (
    rid   INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (rid, topic)
) WITHOUT ROWID;
CREATE INDEX article_topics_topic ON article_topics (topic);

CREATE TABLE entities (
    id       TEXT PRIMARY KEY,
    type     TEXT NOT NULL,
    name     TEXT NOT NULL,
    wikidata TEXT
);

-- The nominative lemma of an entity in each language it was seen in.
CREATE TABLE entity_lemmas (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    language  TEXT NOT NULL,
    lemma     TEXT NOT NULL,
    PRIMARY KEY (entity_id, language)
) WITHOUT ROWID;

-- Every surface form, lemma and name an entity was seen under. `norm` is the
-- lookup key (casefolded, ё->е, apostrophes unified); `phrase` is the form
-- run through the same lemmatiser as the full-text index, so that search can
-- turn an entity into full-text terms that are sure to match.
CREATE TABLE aliases (
    norm      TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    language  TEXT NOT NULL,
    form      TEXT NOT NULL,
    phrase    TEXT NOT NULL,
    kind      TEXT NOT NULL,              -- form | lemma | name | token
    PRIMARY KEY (norm, entity_id, language, kind)
) WITHOUT ROWID;
CREATE INDEX aliases_entity ON aliases (entity_id);

CREATE TABLE mentions (
    rid       INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    lemma     TEXT NOT NULL,
    type      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (rid, start, end, entity_id)
) WITHOUT ROWID;

-- Which entities an article mentions and how often: the article side of
-- entity search and filters.
CREATE TABLE article_entities (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    rid       INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (entity_id, rid)
) WITHOUT ROWID;
CREATE INDEX article_entities_rid ON article_entities (rid);

CREATE TABLE meetings (
    id         TEXT PRIMARY KEY,            -- <article id>:<index>
    rid        INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    kind       TEXT,
    cameo      TEXT,
    date       TEXT,
    date_basis TEXT,
    place      TEXT,                        -- JSON object or NULL
    planned    INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL,               -- the whole record, JSON (dataclasses.asdict)
    event_id   TEXT REFERENCES events(id) ON DELETE SET NULL
);
CREATE INDEX meetings_rid ON meetings (rid);
CREATE INDEX meetings_event ON meetings (event_id);

CREATE TABLE meeting_participants (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    entity_id   TEXT,                       -- NULL when the stage gave no id
    name        TEXT NOT NULL,
    role        TEXT,
    delegation  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, delegation, pos)
) WITHOUT ROWID;

CREATE TABLE quotes (
    id        TEXT PRIMARY KEY,             -- <article id>:<index>
    rid       INTEGER NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    text      TEXT NOT NULL,
    start     INTEGER NOT NULL,
    end       INTEGER NOT NULL,
    speaker_id TEXT,
    speaker   TEXT                          -- JSON object or NULL
);
CREATE INDEX quotes_rid ON quotes (rid);
CREATE INDEX quotes_speaker ON quotes (speaker_id);

CREATE TABLE stories (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL,
    title_article_id TEXT NOT NULL,
    first_ts         REAL NOT NULL,
    last_ts          REAL NOT NULL,
    dated            INTEGER NOT NULL DEFAULT 0,   -- 1 when first/last come from dated articles
    first_seen       TEXT NOT NULL,
    last_seen        TEXT NOT NULL,
    n_articles       INTEGER NOT NULL,
    languages        TEXT NOT NULL DEFAULT '[]',   -- JSON list, sorted
    outlets          TEXT NOT NULL DEFAULT '[]',   -- JSON list, sorted
    entities         TEXT NOT NULL DEFAULT '[]'    -- JSON list: main entity ids
);
CREATE INDEX stories_last ON stories (last_ts);

-- Entity -> stories it occurs in, with how many articles: the story's main
-- entities and the entity page's story list.
CREATE TABLE story_entities (
    story_id  TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    entity_id TEXT NOT NULL,
    n         INTEGER NOT NULL,
    last_ts   REAL NOT NULL,
    PRIMARY KEY (story_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX story_entities_entity ON story_entities (entity_id, last_ts);
CREATE INDEX story_entities_rank ON story_entities (story_id, n);

-- Clustering features. `terms` numbers every key (entity id, lemma, topic)
-- once and counts in how many latest articles it occurs (for idf).
CREATE TABLE terms (
    tid INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    df  INTEGER NOT NULL DEFAULT 0
);

-- The inverted index used to find candidate articles for a new one: a
-- posting per salient key, ordered by time so a window is one range scan.
-- Articles of unknown time are posted at ts = -1e15.
CREATE TABLE postings (
    tid    INTEGER NOT NULL,
    ts     REAL NOT NULL,
    rid    INTEGER NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (tid, ts, rid)
) WITHOUT ROWID;
CREATE INDEX postings_rid ON postings (rid);

-- The weighted vectors an article is scored with, and its MinHash signature.
CREATE TABLE vectors (
    rid     INTEGER PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
    vector  BLOB NOT NULL,                 -- newsgraph.stories.clustering.Vector.to_bytes()
    minhash BLOB                           -- uint32 hash values, NULL for short texts
);

-- Persisted MinHash LSH: one row per band bucket an article falls in.
CREATE TABLE lsh (
    bucket INTEGER NOT NULL,
    rid    INTEGER NOT NULL,
    PRIMARY KEY (bucket, rid)
) WITHOUT ROWID;
CREATE INDEX lsh_rid ON lsh (rid);

-- Events: meetings merged across articles and languages.
CREATE TABLE events (
    id          TEXT PRIMARY KEY,
    date        TEXT,
    date_ord    INTEGER NOT NULL,          -- proleptic ordinal of the date used for matching
    kind        TEXT,
    cameo       TEXT,
    place       TEXT,                      -- JSON or NULL
    planned     INTEGER NOT NULL DEFAULT 0,
    n_sources   INTEGER NOT NULL,
    data        TEXT NOT NULL              -- merged record with provenance, JSON
);
CREATE INDEX events_date ON events (date_ord);

-- Participant key (entity id, or "name:<normalised name>") -> event: the
-- index that finds the event a new meeting may belong to.
CREATE TABLE event_participants (
    key      TEXT NOT NULL,
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    date_ord INTEGER NOT NULL,
    PRIMARY KEY (key, date_ord, event_id)
) WITHOUT ROWID;
CREATE INDEX event_participants_event ON event_participants (event_id);

-- Full-text search over the lemmatised title and body of the latest version
-- of each article; rowid = articles.rid.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    lemmas,
    tokenize = 'unicode61 remove_diacritics 2'
);
