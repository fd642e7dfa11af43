-- mamori serve, schema 6: when the session's person last proved their password or a
-- second factor (sign-in or re-authentication), in Unix seconds. Changing sign-in
-- factors (passkeys, TOTP, recovery codes) needs it within the last minutes.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;

-- People created by a platform administrator (or the console) in an organization that
-- already has someone to confirm them: pending until one of that organization's
-- confirmers (its supervisors; in a reporting organization, its members) confirms them.
CREATE TABLE pending_people (
    user_id BIGINT PRIMARY KEY REFERENCES users(id),
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
