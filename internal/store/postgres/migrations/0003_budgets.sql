-- Sliding windows of the budgets every replica shares (per session, per client address): the
-- times admitted within the window, whether the last request was admitted, and when the row may
-- be dropped because its window is empty.
CREATE TABLE rate_windows (
    key        text PRIMARY KEY,
    hits       timestamptz[] NOT NULL,
    admitted   boolean NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX rate_windows_expires ON rate_windows (expires_at);

-- When a session last switched to or opened in a generated mode; unused modes expire. Existing
-- rows count as used when they were last written.
ALTER TABLE modes ADD COLUMN last_used_at timestamptz;
UPDATE modes SET last_used_at = updated_at;
ALTER TABLE modes ALTER COLUMN last_used_at SET NOT NULL;
