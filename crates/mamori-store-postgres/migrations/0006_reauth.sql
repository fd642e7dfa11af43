-- mamori serve, schema 6: when the session's person last proved their password or a
-- second factor (sign-in or re-authentication), in Unix seconds. Changing sign-in
-- factors (passkeys, TOTP, recovery codes) needs it within the last minutes.
ALTER TABLE sessions ADD COLUMN reauth_at BIGINT;
