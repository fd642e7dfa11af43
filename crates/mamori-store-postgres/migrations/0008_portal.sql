-- mamori serve, schema 8: the public portal (issue 14). Times are Unix seconds (UTC).
-- Editorial items: approved publishers, their materials, alerts. Draft -> review ->
-- published (-> withdrawn); a second editor publishes. The content is JSON.
CREATE TABLE portal_items (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,                 -- publisher | material | alert
    state TEXT NOT NULL,                -- draft | review | published | withdrawn
    payload TEXT NOT NULL,              -- JSON (mamori_core::portal::catalog)
    author BIGINT REFERENCES users(id),
    reviewer BIGINT REFERENCES users(id),
    review_note TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    published_at BIGINT,
    link_status TEXT NOT NULL,          -- unchecked | ok ... | broken ...
    link_checked_at BIGINT
);
CREATE INDEX portal_items_kind_state ON portal_items(kind, state, id);

-- Self-check results a signed-in person chose to keep (anonymous results are never stored).
CREATE TABLE portal_selfchecks (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    list TEXT NOT NULL,
    answers TEXT NOT NULL,              -- JSON: item key -> yes | no | not_applicable
    at BIGINT NOT NULL
);
CREATE INDEX portal_selfchecks_user ON portal_selfchecks(user_id, id);
