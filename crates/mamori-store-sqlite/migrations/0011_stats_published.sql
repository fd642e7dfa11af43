-- mamori serve, schema 11: published yearly statistics (issue 13, Act Art. 7).
-- A publication freezes what the public report is computed from: the aggregate cells and
-- other organizations' figures the report read at that moment (JSON), with the k of the
-- k-anonymity applied. Cells carry no reporter field, so nothing here points at one.
-- Publishing a year again adds a revision; the public sees the latest.
CREATE TABLE stat_published (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year INTEGER NOT NULL,
    k INTEGER NOT NULL,
    inputs TEXT NOT NULL,               -- {"cells": [...], "external": [...]}
    published_by INTEGER NOT NULL,
    published_at INTEGER NOT NULL
);
CREATE INDEX stat_published_year ON stat_published(year, id);
