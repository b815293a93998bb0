-- Server-side sessions of subscribers (ADR 0011). A login cookie or an API token carries a random
-- session key; the row is found by the key's SHA-256 (id), so the table alone never yields a
-- working key. Every authenticated request reads its row by primary key: logging out or revoking a
-- token sets revoked_at, and the next request of that cookie or token is refused on any instance.
-- expires_at is the absolute end (Kabinet:SessionHours after login, however active the session).
-- "Log out everywhere" and "see active sessions" read the index by contract.
CREATE TABLE subscriber_sessions (
    id TEXT PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES contracts (id),
    kind TEXT NOT NULL CHECK (kind IN ('cookie', 'token')),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    user_agent TEXT,
    client_address TEXT
);
CREATE INDEX ix_subscriber_sessions_contract ON subscriber_sessions (contract_id, expires_at);

-- Failed logins counted per contract number as typed (normalised), whether such a contract exists
-- or not, so the answers never tell which numbers are real. A bucket is the number alone (any
-- device) or the number with a known device's id (a browser that logged into it before), so
-- someone guessing a subscriber's password cannot lock the subscriber's own device out.
-- Fixed windows: failures counts attempts since window_start.
CREATE TABLE login_failures (
    bucket TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    failures INT NOT NULL
);
