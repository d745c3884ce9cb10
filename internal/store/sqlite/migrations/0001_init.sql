-- Times are microseconds since the Unix epoch (UTC). JSON columns hold what is only ever read
-- and written whole; the key columns beside them are what lookups use.

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    mode_id    TEXT NOT NULL,
    voice      TEXT NOT NULL DEFAULT '',
    history    TEXT NOT NULL,          -- JSON array of llm.Message
    updated_at INTEGER NOT NULL
) STRICT;

-- seq orders modes by creation: an upsert keeps the row and so its place in the list.
CREATE TABLE modes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    data       TEXT NOT NULL,          -- JSON of modes.Mode
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- No foreign key to modes: prebuilt modes are not stored, and their tabs are cached too.
CREATE TABLE tab_content (
    mode_id    TEXT NOT NULL,
    tab_id     TEXT NOT NULL,
    content    TEXT NOT NULL,          -- JSON, as the tab-content endpoint returns it
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (mode_id, tab_id)
) STRICT, WITHOUT ROWID;
