-- Network access through FreeRADIUS (SQLite): NAS profiles, access point credentials, accounting
-- sessions, daily traffic and the CoA/Disconnect outcomes.

-- The network access servers FreeRADIUS serves. The vendor profile decides the reply attributes
-- (mikrotik, cisco, juniper, accel-ppp); the CoA secret is stored protected, like PPPoE passwords.
CREATE TABLE nas (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    ip TEXT NOT NULL UNIQUE,
    vendor TEXT NOT NULL,
    coa_port INT NOT NULL DEFAULT 3799,
    coa_secret TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- What an extra service means to the network: 'static_ip' (Framed-IP-Address from the access
-- point), 'turbo' (a faster rate while it runs) or nothing.
ALTER TABLE extra_services ADD COLUMN network_role TEXT;

-- PPPoE password (separate from the cabinet password, protected with the application's keys),
-- DHCP Option 82 identity for IPoE, and a switch to disable one access point.
ALTER TABLE access_points ADD COLUMN password_protected TEXT;
ALTER TABLE access_points ADD COLUMN remote_id TEXT;
ALTER TABLE access_points ADD COLUMN circuit_id TEXT;
ALTER TABLE access_points ADD COLUMN enabled BOOLEAN NOT NULL DEFAULT TRUE;
-- The last authorization outcome, written in batches from post-auth, for "why am I offline".
ALTER TABLE access_points ADD COLUMN last_auth_at TEXT;
ALTER TABLE access_points ADD COLUMN last_auth_result TEXT;
CREATE INDEX ix_access_points_mac ON access_points (mac);
CREATE UNIQUE INDEX ux_access_points_option82 ON access_points (remote_id, circuit_id);

-- One row per RADIUS accounting session (Acct-Unique-Session-Id). Octet counters are the NAS's
-- cumulative totals incl. gigawords: in = from the subscriber (upload), out = to the subscriber.
-- Counters only grow, so a repeated or late packet changes nothing.
CREATE TABLE radius_sessions (
    id INTEGER PRIMARY KEY,
    unique_id TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL,
    access_point_id INTEGER REFERENCES access_points (id),
    account_id INTEGER REFERENCES accounts (id),
    user_name TEXT NOT NULL,
    nas_ip TEXT NOT NULL,
    framed_ip TEXT,
    mac TEXT,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    stopped_at TEXT,
    stop_cause TEXT,
    bytes_in INTEGER NOT NULL DEFAULT 0,
    bytes_out INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ix_radius_sessions_account ON radius_sessions (account_id, started_at);
CREATE INDEX ix_radius_sessions_live ON radius_sessions (updated_at) WHERE stopped_at IS NULL;
CREATE INDEX ix_radius_sessions_framed_ip ON radius_sessions (framed_ip) WHERE stopped_at IS NULL;

-- Traffic per account per billing day (the operator's zone), the sum of counter growth.
CREATE TABLE traffic_daily (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    day TEXT NOT NULL,
    bytes_in INTEGER NOT NULL DEFAULT 0,
    bytes_out INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day)
);

-- Every CoA-Request or Disconnect-Request sent for an account event, with its outcome
-- (ack, nak, timeout, no_nas) and the number of attempts.
CREATE TABLE coa_requests (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES account_events (id),
    session_id INTEGER NOT NULL REFERENCES radius_sessions (id),
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    attempts INT NOT NULL,
    error_cause INT,
    requested_at TEXT NOT NULL,
    answered_at TEXT NOT NULL,
    UNIQUE (event_id, session_id, kind)
);
CREATE INDEX ix_coa_requests_session ON coa_requests (session_id);

-- MAC addresses are compared in one form: lowercase, colon-separated.
UPDATE access_points SET mac = lower(mac) WHERE mac IS NOT NULL;
