-- newsgraph store, SQLite dialect, version 3: the same tables, with each
-- WITHOUT ROWID table's key columns declared first and in key order.
-- SQLite 3.40.0-3.41.0 (Debian 12 ships 3.40.1) reports false "NULL value in
-- aliases.form" / "meeting_participants.name" lines from PRAGMA
-- integrity_check when the key is declared in another order than the
-- columns; users who check their store must see "ok". Data is unchanged.

CREATE TABLE aliases_v3 (
    norm      TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    language  TEXT NOT NULL,
    kind      TEXT NOT NULL,              -- form | lemma | name | token
    form      TEXT NOT NULL,
    phrase    TEXT NOT NULL,
    PRIMARY KEY (norm, entity_id, language, kind)
) WITHOUT ROWID;
INSERT INTO aliases_v3 (norm, entity_id, language, kind, form, phrase)
    SELECT norm, entity_id, language, kind, form, phrase FROM aliases;
DROP TABLE aliases;
ALTER TABLE aliases_v3 RENAME TO aliases;
CREATE INDEX aliases_entity ON aliases (entity_id);

CREATE TABLE meeting_participants_v3 (
    meeting_id  TEXT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    delegation  INTEGER NOT NULL DEFAULT 0,
    pos         INTEGER NOT NULL,
    entity_id   TEXT,                       -- NULL when the stage gave no id
    name        TEXT NOT NULL,
    role        TEXT,
    PRIMARY KEY (meeting_id, delegation, pos)
) WITHOUT ROWID;
INSERT INTO meeting_participants_v3 (meeting_id, delegation, pos, entity_id, name, role)
    SELECT meeting_id, delegation, pos, entity_id, name, role FROM meeting_participants;
DROP TABLE meeting_participants;
ALTER TABLE meeting_participants_v3 RENAME TO meeting_participants;
