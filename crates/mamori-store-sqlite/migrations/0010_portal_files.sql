-- mamori serve, schema 10: material files of the public portal (issue 14). A material
-- may be a file an editor uploaded instead of (or beside) a link; the bytes live here,
-- the material's JSON names the file. Times are Unix seconds (UTC).
CREATE TABLE portal_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item INTEGER NOT NULL REFERENCES portal_items(id),
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,           -- decided from the content (mamori_core::portal::files)
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BLOB NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    uploaded_at INTEGER NOT NULL
);
CREATE INDEX portal_files_item ON portal_files(item, id);
