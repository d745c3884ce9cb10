-- JSON columns hold what is only ever read and written whole; the key columns beside them are
-- what lookups use. Every table lives in the connection's search_path schema.

CREATE TABLE sessions (
    id         text PRIMARY KEY,
    mode_id    text NOT NULL,
    voice      text NOT NULL DEFAULT '',
    history    jsonb NOT NULL,          -- array of llm.Message
    updated_at timestamptz NOT NULL
);

-- seq orders modes by creation across replicas: an upsert keeps the row and so its place.
CREATE TABLE modes (
    id         text PRIMARY KEY,
    seq        bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    data       jsonb NOT NULL,          -- modes.Mode
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- No foreign key to modes: prebuilt modes are not stored, and their tabs are cached too.
CREATE TABLE tab_content (
    mode_id    text NOT NULL,
    tab_id     text NOT NULL,
    content    jsonb NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (mode_id, tab_id)
);
