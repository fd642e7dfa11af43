-- mamori serve, schema 13: digests instead of a message per event (issue 12). Each notice
-- a command gives is queued here in the command's transaction; each reminder that falls
-- due is queued once (dedup_key: case, party, reminder, deadline). A sweep
-- (`mamori vuln digest`, and `mamori serve` on a timer) folds a person's unsent lines into
-- one notice in `notices` and sets sent_at in the same transaction. Times are Unix
-- seconds (UTC).
CREATE TABLE vuln_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES vuln_cases(id),
    recipient TEXT NOT NULL,            -- mamori_vuln::Party as JSON
    item TEXT NOT NULL,                 -- mamori_vuln::digest::DigestItem as JSON
    dedup_key TEXT UNIQUE,              -- reminders only; NULL for notices
    created_at INTEGER NOT NULL,
    sent_at INTEGER                    -- NULL until delivered
);
CREATE INDEX vuln_outbox_unsent ON vuln_outbox(sent_at, id);
