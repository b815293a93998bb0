-- Billing engine (SQLite): billed days, the account events outbox, promised payments, tariff
-- changes, freezes, operator rules and job leases.

-- Which ways a tariff may be switched to: 1 = from tomorrow, 2 = from the 1st of next month.
ALTER TABLE tariffs ADD COLUMN change_modes INT NOT NULL DEFAULT 3;
ALTER TABLE extra_services ADD COLUMN charge_mode INT NOT NULL DEFAULT 1;
-- The day the current tariff started (proration of monthly-in-advance tariffs).
ALTER TABLE accounts ADD COLUMN tariff_since TEXT;
UPDATE accounts SET tariff_since = substr(created_at, 1, 10);
-- One-off timed services (Turbo) end at an instant.
ALTER TABLE account_services ADD COLUMN expires_at TEXT;

CREATE TABLE billing_days (
    day TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    charges INTEGER NOT NULL DEFAULT 0
);

-- Status and service changes for the network (CoA) and notifications to consume; each consumer
-- keeps its own cursor, so the outbox is never edited.
CREATE TABLE account_events (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_account_events_account ON account_events (account_id, id);

CREATE TABLE event_cursors (
    consumer TEXT PRIMARY KEY,
    last_event_id INTEGER NOT NULL
);

CREATE TABLE promised_payments (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    outstanding INTEGER NOT NULL CHECK (outstanding >= 0),
    taken_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    taken_at TEXT NOT NULL,
    closed_at TEXT,
    status INT NOT NULL
);
CREATE INDEX ix_promised_payments_account ON promised_payments (account_id, id);
-- At most one open promised payment per account, whatever races.
CREATE UNIQUE INDEX ux_promised_payments_open ON promised_payments (account_id) WHERE status = 1;
CREATE INDEX ix_promised_payments_due ON promised_payments (due_on) WHERE status = 1;

CREATE TABLE tariff_changes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    from_tariff_id INTEGER REFERENCES tariffs (id),
    to_tariff_id INTEGER NOT NULL REFERENCES tariffs (id),
    effective_on TEXT NOT NULL,
    mode INT NOT NULL,
    status INT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE UNIQUE INDEX ux_tariff_changes_pending ON tariff_changes (account_id) WHERE status = 1;
CREATE INDEX ix_tariff_changes_due ON tariff_changes (effective_on) WHERE status = 1;

CREATE TABLE freezes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    -- The first day that carries the daily fee (after the free allowance).
    paid_from TEXT NOT NULL,
    daily_fee INTEGER NOT NULL CHECK (daily_fee >= 0),
    status INT NOT NULL,
    created_at TEXT NOT NULL,
    closed_at TEXT
);
CREATE INDEX ix_freezes_account ON freezes (account_id, id);
CREATE UNIQUE INDEX ux_freezes_open ON freezes (account_id) WHERE status = 1;

-- The operator's rules: one row, edited from the back office.
CREATE TABLE billing_rules (
    id INT PRIMARY KEY CHECK (id = 1),
    promised_max_amount INTEGER,
    promised_term_days INT NOT NULL DEFAULT 5,
    promised_min_interval_days INT NOT NULL DEFAULT 30,
    -- A blocked account in debt up to 500 RUB may still take one: that is what it is for.
    promised_max_debt INTEGER NOT NULL DEFAULT 50000,
    promised_min_account_age_days INT NOT NULL DEFAULT 30,
    freeze_min_days INT NOT NULL DEFAULT 7,
    freeze_max_days INT NOT NULL DEFAULT 90,
    freeze_days_per_year INT NOT NULL DEFAULT 90,
    freeze_free_days_per_year INT NOT NULL DEFAULT 30,
    freeze_daily_fee INTEGER NOT NULL DEFAULT 1000,
    freeze_max_days_ahead INT NOT NULL DEFAULT 60
);
INSERT INTO billing_rules (id) VALUES (1);

-- Background jobs that must run on one instance at a time hold a lease here.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
