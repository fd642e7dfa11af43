-- mamori serve, schema 8: the public portal (issue 14). Times are Unix seconds (UTC).
-- Editorial items: approved publishers, their materials, alerts. Draft -> review ->
-- published (-> withdrawn); a second editor publishes. The content is JSON.
CREATE TABLE portal_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- publisher | material | alert
    state TEXT NOT NULL,                -- draft | review | published | withdrawn
    payload TEXT NOT NULL,              -- JSON (mamori_core::portal::catalog)
    author INTEGER REFERENCES users(id),
    reviewer INTEGER REFERENCES users(id),
    review_note TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER,
    link_status TEXT NOT NULL,          -- unchecked | ok ... | broken ...
    link_checked_at INTEGER
);
CREATE INDEX portal_items_kind_state ON portal_items(kind, state, id);

-- Self-check results a signed-in person chose to keep (anonymous results are never stored).
CREATE TABLE portal_selfchecks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id),
    list TEXT NOT NULL,
    answers TEXT NOT NULL,              -- JSON: item key -> yes | no | not_applicable
    at INTEGER NOT NULL
);
CREATE INDEX portal_selfchecks_user ON portal_selfchecks(user_id, id);
