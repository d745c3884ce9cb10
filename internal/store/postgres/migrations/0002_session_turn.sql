-- The session's latest turn number: turns are numbered per session, and a replica that opens a
-- session (or a server that restarts) must go on from the number its screens have seen.
ALTER TABLE sessions ADD COLUMN turn integer NOT NULL DEFAULT 0;
