-- When a session last switched to or opened in a generated mode (microseconds since the epoch);
-- unused modes expire. Existing rows count as used when they were last written.
ALTER TABLE modes ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
UPDATE modes SET last_used_at = updated_at;
