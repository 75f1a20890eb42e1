-- newsgraph store, SQLite dialect, version 2: what `newsgraph watch` keeps
-- between runs. Documented in docs/schema.md.

-- One row per followed feed URL: the validators of its last successful
-- fetch, so that a restarted watcher still asks "changed since?" (HTTP
-- conditional GET) instead of fetching and reading the whole feed again.
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY,
    etag          TEXT,                    -- the ETag header of the last 200 answer
    last_modified TEXT,                    -- its Last-Modified header, as sent
    status        INTEGER,                 -- HTTP status of the last fetch (NULL: no answer)
    checked_at    TEXT NOT NULL,           -- when it was last fetched (ISO 8601, UTC)
    changed_at    TEXT                     -- when its content last changed (a 200 answer)
);

