-- mamori serve, schema 2: intake and case work (issue 6). Times are Unix seconds (UTC).
CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,                 -- consultation | report | notification
    status TEXT NOT NULL,               -- draft | submitted | withdrawn
    author BIGINT REFERENCES users(id),  -- NULL: anonymous consultation
    org BIGINT REFERENCES orgs(id),      -- reporting organization
    contact_hash TEXT,                  -- BLAKE3 of the anonymous contact token
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    answers TEXT NOT NULL,              -- JSON object: question id -> [strings]
    taxonomy_version TEXT NOT NULL,
    acts TEXT NOT NULL,                 -- space-separated codes (denormalized for filters)
    methods TEXT NOT NULL,
    sector TEXT NOT NULL,               -- '' when unknown
    admin_type TEXT NOT NULL,
    first_seen BIGINT,
    last_seen BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT
);
CREATE INDEX reports_org ON reports(org, id);
CREATE UNIQUE INDEX reports_contact ON reports(contact_hash) WHERE contact_hash IS NOT NULL;

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    report BIGINT NOT NULL REFERENCES reports(id),
    body BIGINT NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,               -- received | accepted | not_accepted | in_progress | closed
    reason TEXT,                        -- not-accepted reason code
    reason_text TEXT NOT NULL DEFAULT '',
    outcome TEXT,                       -- outcome code
    assignee BIGINT REFERENCES users(id),
    due_at BIGINT,
    checklist TEXT NOT NULL DEFAULT '[]',  -- JSON array of ticked item ids
    referred_from BIGINT REFERENCES cases(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (report, body)
);
-- The queue: a body's cases newest first, by status, by assignee, overdue.
CREATE INDEX cases_body ON cases(body, id);
CREATE INDEX cases_body_status ON cases(body, status, id);
CREATE INDEX cases_body_assignee ON cases(body, assignee, id);
-- Overdue: open cases with a due date, newest first (the query repeats this condition).
CREATE INDEX cases_body_open_due ON cases(body, id) WHERE due_at IS NOT NULL AND status NOT IN ('closed', 'not_accepted');

-- Full-text search: one tsvector per case (markers and CJK bigrams computed in
-- Rust by mamori_store::search and written as a tsvector literal; no parser).
ALTER TABLE cases ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX cases_search ON cases USING gin (search);

-- The single history across bodies.
CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    report BIGINT NOT NULL REFERENCES reports(id),
    case_id BIGINT REFERENCES cases(id),
    at BIGINT NOT NULL,
    actor BIGINT REFERENCES users(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    visibility TEXT NOT NULL,           -- reporter | bodies | body_internal
    detail TEXT NOT NULL
);
CREATE INDEX case_events_report ON case_events(report, id);

CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    report BIGINT NOT NULL REFERENCES reports(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    blake3 TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- log | scan_json | evidence_bundle | other
    verdict TEXT NOT NULL,
    verdict_detail TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX attachments_report ON attachments(report, id);

CREATE TABLE referrals (
    id BIGSERIAL PRIMARY KEY,
    report BIGINT NOT NULL REFERENCES reports(id),
    from_case BIGINT NOT NULL REFERENCES cases(id),
    target BIGINT NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,               -- proposed | consented | declined
    proposed_by BIGINT NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    new_case BIGINT REFERENCES cases(id)
);
CREATE INDEX referrals_report ON referrals(report, id);
