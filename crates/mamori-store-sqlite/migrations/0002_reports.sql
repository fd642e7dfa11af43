-- mamori serve, schema 2: intake and case work (issue 6). Times are Unix seconds (UTC).
CREATE TABLE reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- consultation | report | notification
    status TEXT NOT NULL,               -- draft | submitted | withdrawn
    author INTEGER REFERENCES users(id),  -- NULL: anonymous consultation
    org INTEGER REFERENCES orgs(id),      -- reporting organization
    contact_hash TEXT,                  -- BLAKE3 of the anonymous contact token
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    answers TEXT NOT NULL,              -- JSON object: question id -> [strings]
    taxonomy_version TEXT NOT NULL,
    acts TEXT NOT NULL,                 -- space-separated codes (denormalized for filters)
    methods TEXT NOT NULL,
    sector TEXT NOT NULL,               -- '' when unknown
    admin_type TEXT NOT NULL,
    first_seen INTEGER,
    last_seen INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    submitted_at INTEGER
);
CREATE INDEX reports_org ON reports(org, id);
CREATE UNIQUE INDEX reports_contact ON reports(contact_hash) WHERE contact_hash IS NOT NULL;

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report INTEGER NOT NULL REFERENCES reports(id),
    body INTEGER NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,               -- received | accepted | not_accepted | in_progress | closed
    reason TEXT,                        -- not-accepted reason code
    reason_text TEXT NOT NULL DEFAULT '',
    outcome TEXT,                       -- outcome code
    assignee INTEGER REFERENCES users(id),
    due_at INTEGER,
    checklist TEXT NOT NULL DEFAULT '[]',  -- JSON array of ticked item ids
    referred_from INTEGER REFERENCES cases(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (report, body)
);
-- The queue: a body's cases newest first, by status, by assignee, overdue.
CREATE INDEX cases_body ON cases(body, id);
CREATE INDEX cases_body_status ON cases(body, status, id);
CREATE INDEX cases_body_assignee ON cases(body, assignee, id);
-- Overdue: open cases with a due date, newest first (the query repeats this condition).
CREATE INDEX cases_body_open_due ON cases(body, id) WHERE due_at IS NOT NULL AND status NOT IN ('closed', 'not_accepted');

-- Full-text index, one row per case (rowid = case id): markers and CJK bigrams
-- computed in Rust (mamori_store::search); no content stored here.
CREATE VIRTUAL TABLE cases_fts USING fts5(
    doc,
    content = '',
    contentless_delete = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
);

-- The single history across bodies.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report INTEGER NOT NULL REFERENCES reports(id),
    case_id INTEGER REFERENCES cases(id),
    at INTEGER NOT NULL,
    actor INTEGER REFERENCES users(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    visibility TEXT NOT NULL,           -- reporter | bodies | body_internal
    detail TEXT NOT NULL
);
CREATE INDEX case_events_report ON case_events(report, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report INTEGER NOT NULL REFERENCES reports(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    blake3 TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    kind TEXT NOT NULL,                 -- log | scan_json | evidence_bundle | other
    verdict TEXT NOT NULL,
    verdict_detail TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX attachments_report ON attachments(report, id);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    report INTEGER NOT NULL REFERENCES reports(id),
    from_case INTEGER NOT NULL REFERENCES cases(id),
    target INTEGER NOT NULL REFERENCES orgs(id),
    status TEXT NOT NULL,               -- proposed | consented | declined
    proposed_by INTEGER NOT NULL REFERENCES users(id),
    text TEXT NOT NULL,
    proposed_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    new_case INTEGER REFERENCES cases(id)
);
CREATE INDEX referrals_report ON referrals(report, id);
