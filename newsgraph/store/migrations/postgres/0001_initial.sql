-- newsgraph store, PostgreSQL dialect, version 1. The same tables, columns
-- and keys as migrations/sqlite/0001_initial.sql; docs/schema.md lists the
-- differences. Applied once, inside a transaction, by
-- newsgraph.store.postgres.PostgresStore, in the schema first on the
-- connection's search_path.
--
-- Text columns use the "C" collation so that ORDER BY gives SQLite's
-- byte order whatever the database's locale: both backends list, export and
-- page through rows in the same order. Times are DOUBLE PRECISION (SQLite's
-- REAL is 8 bytes; PostgreSQL's REAL is 4 and would round epoch seconds).
-- Flags stay 0/1 integers, as in SQLite, so that one SQL text reads both.

CREATE TABLE meta (
    key   TEXT COLLATE "C" PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE sources (
    origin     TEXT COLLATE "C" NOT NULL,
    raw_sha    TEXT COLLATE "C" NOT NULL,
    article_id TEXT COLLATE "C",
    status     TEXT NOT NULL CHECK (status IN ('article', 'error')),
    seen_at    TEXT NOT NULL,
    PRIMARY KEY (origin, raw_sha)
);

-- Integer keys (errors.id, articles.rid, terms.tid) are given by the store as
-- MAX + 1 inside the writing transaction, like SQLite's rowids, not by a
-- sequence: sequences do not roll back, and a run resumed after a crash must
-- leave exactly the rows of an uninterrupted run. Writers are serialised
-- (an advisory lock per schema), so MAX + 1 cannot collide.
CREATE TABLE errors (
    id       BIGINT PRIMARY KEY,
    origin   TEXT COLLATE "C" NOT NULL,
    error    TEXT COLLATE "C" NOT NULL,
    seen_at  TEXT NOT NULL,
    UNIQUE (origin, error)
);

CREATE TABLE stories (
    id               TEXT COLLATE "C" PRIMARY KEY,
    title            TEXT NOT NULL,
    title_article_id TEXT COLLATE "C" NOT NULL,
    first_ts         DOUBLE PRECISION NOT NULL,
    last_ts          DOUBLE PRECISION NOT NULL,
    dated            INTEGER NOT NULL DEFAULT 0,
    first_seen       TEXT NOT NULL,
    last_seen        TEXT NOT NULL,
    n_articles       INTEGER NOT NULL,
    languages        TEXT NOT NULL DEFAULT '[]',
    outlets          TEXT NOT NULL DEFAULT '[]',
    entities         TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX stories_last ON stories (last_ts);

CREATE TABLE articles (
    rid          BIGINT PRIMARY KEY,
    id           TEXT COLLATE "C" NOT NULL UNIQUE,
    origin       TEXT COLLATE "C" NOT NULL,
    url          TEXT COLLATE "C",
    outlet       TEXT COLLATE "C",
    aggregator   TEXT COLLATE "C",
    language     TEXT COLLATE "C",
    title        TEXT COLLATE "C",
    published    TEXT COLLATE "C",
    ts           DOUBLE PRECISION NOT NULL,
    day          TEXT COLLATE "C" NOT NULL,
    date_basis   TEXT NOT NULL CHECK (date_basis IN ('published', 'ingested')),
    cluster_ts   DOUBLE PRECISION,
    body         TEXT NOT NULL,
    warnings     TEXT NOT NULL DEFAULT '[]',
    version      INTEGER NOT NULL DEFAULT 1,
    is_latest    INTEGER NOT NULL DEFAULT 1,
    previous_id  TEXT COLLATE "C",
    story_id     TEXT COLLATE "C" REFERENCES stories(id) ON DELETE SET NULL,
    duplicate_of TEXT COLLATE "C",
    ingested_at  TEXT NOT NULL
);
CREATE INDEX articles_origin ON articles (origin, is_latest);
CREATE INDEX articles_story ON articles (story_id, ts);
CREATE INDEX articles_day ON articles (day);
CREATE INDEX articles_order ON articles (is_latest, date_basis, ts, id);
CREATE INDEX articles_outlet ON articles (outlet);

CREATE TABLE article_topics (
    rid   BIGINT NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    topic TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (rid, topic)
);
CREATE INDEX article_topics_topic ON article_topics (topic);

CREATE TABLE entities (
    id       TEXT COLLATE "C" PRIMARY KEY,
    type     TEXT COLLATE "C" NOT NULL,
    name     TEXT COLLATE "C" NOT NULL,
    wikidata TEXT COLLATE "C"
);

CREATE TABLE entity_lemmas (
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id),
    language  TEXT COLLATE "C" NOT NULL,
    lemma     TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (entity_id, language)
);

CREATE TABLE aliases (
    norm      TEXT COLLATE "C" NOT NULL,
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id),
    language  TEXT COLLATE "C" NOT NULL,
    form      TEXT COLLATE "C" NOT NULL,
    phrase    TEXT COLLATE "C" NOT NULL,
    kind      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (norm, entity_id, language, kind)
);
CREATE INDEX aliases_entity ON aliases (entity_id);

-- "end" is a reserved word in PostgreSQL: the column keeps its name, quoted.
CREATE TABLE mentions (
    rid       BIGINT NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id),
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT COLLATE "C" NOT NULL,
    lemma     TEXT COLLATE "C" NOT NULL,
    type      TEXT COLLATE "C" NOT NULL DEFAULT '',
    PRIMARY KEY (rid, start, "end", entity_id)
);

CREATE TABLE article_entities (
    entity_id TEXT COLLATE "C" NOT NULL REFERENCES entities(id),
    rid       BIGINT NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    mentions  INTEGER NOT NULL,
    PRIMARY KEY (entity_id, rid)
);
CREATE INDEX article_entities_rid ON article_entities (rid);

CREATE TABLE events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    date        TEXT COLLATE "C",
    date_ord    INTEGER NOT NULL,
    kind        TEXT COLLATE "C",
    cameo       TEXT COLLATE "C",
    place       TEXT,
    planned     INTEGER NOT NULL DEFAULT 0,
    n_sources   INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX events_date ON events (date_ord);

CREATE TABLE meetings (
    id         TEXT COLLATE "C" PRIMARY KEY,
    rid        BIGINT NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    kind       TEXT COLLATE "C",
    cameo      TEXT COLLATE "C",
    date       TEXT COLLATE "C",
    date_basis TEXT COLLATE "C",
    place      TEXT,
    planned    INTEGER NOT NULL DEFAULT 0,
    data       TEXT NOT NULL,
    event_id   TEXT COLLATE "C" REFERENCES events(id) ON DELETE SET NULL
);
CREATE INDEX meetings_rid ON meetings (rid);
CREATE INDEX meetings_event ON meetings (event_id);

CREATE TABLE meeting_participants (
    meeting_id  TEXT COLLATE "C" NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    pos         INTEGER NOT NULL,
    entity_id   TEXT COLLATE "C",
    name        TEXT COLLATE "C" NOT NULL,
    role        TEXT COLLATE "C",
    delegation  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, delegation, pos)
);

CREATE TABLE quotes (
    id         TEXT COLLATE "C" PRIMARY KEY,
    rid        BIGINT NOT NULL REFERENCES articles(rid) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,
    text       TEXT COLLATE "C" NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    speaker_id TEXT COLLATE "C",
    speaker    TEXT
);
CREATE INDEX quotes_rid ON quotes (rid);
CREATE INDEX quotes_speaker ON quotes (speaker_id);

CREATE TABLE story_entities (
    story_id  TEXT COLLATE "C" NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    entity_id TEXT COLLATE "C" NOT NULL,
    n         INTEGER NOT NULL,
    last_ts   DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (story_id, entity_id)
);
CREATE INDEX story_entities_entity ON story_entities (entity_id, last_ts);
CREATE INDEX story_entities_rank ON story_entities (story_id, n);

CREATE TABLE terms (
    tid BIGINT PRIMARY KEY,
    key TEXT COLLATE "C" NOT NULL UNIQUE,
    df  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE postings (
    tid    BIGINT NOT NULL,
    ts     DOUBLE PRECISION NOT NULL,
    rid    BIGINT NOT NULL,
    weight DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (tid, ts, rid)
);
CREATE INDEX postings_rid ON postings (rid);

CREATE TABLE vectors (
    rid     BIGINT PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
    vector  BYTEA NOT NULL,
    minhash BYTEA
);

CREATE TABLE lsh (
    bucket BIGINT NOT NULL,
    rid    BIGINT NOT NULL,
    PRIMARY KEY (bucket, rid)
);
CREATE INDEX lsh_rid ON lsh (rid);

CREATE TABLE event_participants (
    key      TEXT COLLATE "C" NOT NULL,
    event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    date_ord INTEGER NOT NULL,
    PRIMARY KEY (key, date_ord, event_id)
);
CREATE INDEX event_participants_event ON event_participants (event_id);

-- Full-text search over the lemmatised title and body of the latest version
-- of each article (SQLite: the FTS5 table articles_fts). The text is already
-- lemmatised and casefolded by newsgraph.stories.terms, so the 'simple'
-- configuration (split into words, no stemming, no stop words) indexes it as
-- it is; queries go through the same parser (phraseto_tsquery 'simple').
CREATE TABLE articles_fts (
    rid    BIGINT PRIMARY KEY REFERENCES articles(rid) ON DELETE CASCADE,
    lemmas TEXT NOT NULL,
    tsv    tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, lemmas)) STORED
);
CREATE INDEX articles_fts_tsv ON articles_fts USING GIN (tsv);
