-- mamori serve, schema 7: statistics (issue 13). Times are Unix seconds (UTC).
-- Case-level statistical records, imported (`mamori import cases`) or migrated from other
-- systems. `record` is the whole mamori_core::stats::StatRecord as JSON: it holds the
-- reporter key, indicators and free text, which de-duplication and the bodies use and
-- which are never published.
CREATE TABLE stat_records (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,            -- the record's id in its source system
    year BIGINT NOT NULL,
    record TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);

-- Links between records of one incident (de-duplication). Applied when status is auto or
-- confirmed; proposed ones wait for review; every change is audited by the service.
CREATE TABLE stat_links (
    a TEXT NOT NULL,                    -- smaller record id
    b TEXT NOT NULL,                    -- larger record id
    reason TEXT NOT NULL,               -- referral | same_reporter_indicator | shared_indicator | same_reporter_window
    status TEXT NOT NULL,               -- auto | proposed | confirmed | rejected | undone
    decided_by BIGINT,
    decided_at BIGINT,
    PRIMARY KEY (a, b)
);
CREATE INDEX stat_links_status ON stat_links(status);

-- The materialized aggregate: one count per (year, month, dimension, value, unit),
-- rebuilt from the records and links after each import or link decision, so a report
-- reads a few thousand rows whatever the number of cases.
CREATE TABLE stat_cells (
    year BIGINT NOT NULL,
    month BIGINT NOT NULL,
    dim TEXT NOT NULL,
    value TEXT NOT NULL,
    unit TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (year, dim, value, unit, month)
);
CREATE INDEX stat_cells_dim ON stat_cells(dim, year);

-- Other organizations' published figures, in their own units (never summed).
CREATE TABLE stat_external (
    id BIGSERIAL PRIMARY KEY,
    source TEXT NOT NULL,
    unit TEXT NOT NULL,
    category TEXT NOT NULL,
    year BIGINT NOT NULL,
    quarter BIGINT,
    count BIGINT NOT NULL,
    imported_at BIGINT NOT NULL
);
CREATE INDEX stat_external_year ON stat_external(year);
