-- mamori serve, schema 10: material files of the public portal (issue 14). A material
-- may be a file an editor uploaded instead of (or beside) a link; the bytes live here,
-- the material's JSON names the file. Times are Unix seconds (UTC).
CREATE TABLE portal_files (
    id BIGSERIAL PRIMARY KEY,
    item BIGINT NOT NULL REFERENCES portal_items(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,           -- decided from the content (mamori_core::portal::files)
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX portal_files_item ON portal_files(item, id);
