-- WebAuthn ceremonies between their two round trips (passkey registration bound to
-- a session, passkey sign-in bound to a short-lived cookie). The key is the hash of
-- that secret; a ceremony is taken (deleted) when it is finished, so it cannot be
-- replayed, and swept when it expires.
CREATE TABLE webauthn_ceremonies (
    key_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL,
    state TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies(expires_at);
