-- mamori serve, schema 3: personal data (deletion requests), owner notices, the
-- pending TOTP secret bound to a session, and the guard's state shared by every
-- server instance (counters, single-use marks, reset tokens). Times are Unix seconds
-- unless the column says _ms.
CREATE TABLE deletion_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    requested_at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    done_at INTEGER,
    done_by INTEGER
);
CREATE INDEX deletion_requests_user ON deletion_requests(user_id);
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX notices_user ON notices(user_id, seen);
CREATE TABLE session_pending (
    session_hash TEXT PRIMARY KEY REFERENCES sessions(hash) ON DELETE CASCADE,
    totp_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE guard_counters (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    expires INTEGER,
    version INTEGER NOT NULL
);
CREATE TABLE guard_once (
    key TEXT PRIMARY KEY,
    keep_until_ms INTEGER NOT NULL
);
CREATE TABLE guard_tokens (
    hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX guard_tokens_user ON guard_tokens(user_name, purpose);
