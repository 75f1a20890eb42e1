-- newsgraph store, PostgreSQL dialect, version 2: what `newsgraph watch`
-- keeps between runs (as migrations/sqlite/0002_feeds.sql).
CREATE TABLE feeds (
    url           TEXT COLLATE "C" PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    status        INTEGER,
    checked_at    TEXT NOT NULL,
    changed_at    TEXT
);
