-- mamori serve, schema 5: the site-wide credential-stuffing window and its alert,
-- shared by every server instance. A bucket is Unix seconds divided by the bucket
-- width; an account is a stable hash of the login name (never the name); the alert
-- is one row. Old buckets and accounts are deleted when a new bucket starts.
CREATE TABLE stuffing_buckets (
    bucket BIGINT PRIMARY KEY,
    attempts BIGINT NOT NULL,
    failures BIGINT NOT NULL,
    unknown BIGINT NOT NULL,
    breached BIGINT NOT NULL
);
CREATE TABLE stuffing_accounts (
    account BIGINT PRIMARY KEY,
    bucket BIGINT NOT NULL
);
CREATE INDEX stuffing_accounts_bucket ON stuffing_accounts(bucket);
CREATE TABLE stuffing_alert (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    until_ms BIGINT NOT NULL
);
