-- newsgraph store, PostgreSQL dialect, version 3: nothing to change. The
-- SQLite version 3 re-declares two WITHOUT ROWID tables with their key
-- columns in key order, to avoid false integrity_check reports of SQLite
-- 3.40-3.41; PostgreSQL has neither the table kind nor the bug. The number
-- is kept so that both backends report the same schema version.
SELECT 1;
