-- mamori serve, schema 9: vulnerability coordination (issue 12, R-3.5). Times are Unix
-- seconds (UTC). A case is its serde JSON document (mamori_vuln::SoftwareCase) with an
-- optimistic version, plus indexed columns for listing and the reminder sweep.
CREATE TABLE vuln_cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,                 -- software | website
    stage TEXT NOT NULL,                -- Stage::name()
    publication_at INTEGER,             -- the publication date (公表日), once set
    published INTEGER NOT NULL,         -- 1 once published
    reporter INTEGER REFERENCES users(id),
    doc TEXT NOT NULL,                  -- JSON
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX vuln_cases_stage ON vuln_cases(stage, id);
CREATE INDEX vuln_cases_public ON vuln_cases(published, publication_at);
CREATE INDEX vuln_cases_reporter ON vuln_cases(reporter, id);

-- One row per applied command, append-only, written in the same transaction as the case.
CREATE TABLE vuln_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES vuln_cases(id),
    at INTEGER NOT NULL,
    party TEXT NOT NULL,
    clause TEXT NOT NULL,
    command TEXT NOT NULL               -- JSON
);
CREATE INDEX vuln_history_case ON vuln_history(case_id, id);

-- The developer list (名簿, Ⅴ 一 3.(1)); a developer may be linked to an organization
-- whose members act as that developer.
CREATE TABLE vuln_roster (
    developer TEXT PRIMARY KEY,
    org INTEGER REFERENCES orgs(id),
    doc TEXT NOT NULL,                  -- JSON (mamori_vuln::Developer)
    updated_at INTEGER NOT NULL
);
CREATE INDEX vuln_roster_org ON vuln_roster(org);
