-- mamori serve, schema 5: the site-wide credential-stuffing window and its alert,
-- shared by every server instance. A bucket is Unix seconds divided by the bucket
-- width; an account is a stable hash of the login name (never the name); the alert
-- is one row. Old buckets and accounts are deleted when a new bucket starts.
CREATE TABLE stuffing_buckets (
    bucket INTEGER PRIMARY KEY,
    attempts INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    breached INTEGER NOT NULL
);
CREATE TABLE stuffing_accounts (
    account INTEGER PRIMARY KEY,
    bucket INTEGER NOT NULL
);
CREATE INDEX stuffing_accounts_bucket ON stuffing_accounts(bucket);
CREATE TABLE stuffing_alert (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    until_ms INTEGER NOT NULL
);
