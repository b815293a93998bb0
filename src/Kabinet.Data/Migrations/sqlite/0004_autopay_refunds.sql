-- Autopay outcomes and refunds (SQLite).

-- When a rule was last changed: a monthly rule set after this month's day waits for the next month.
ALTER TABLE autopay_rules ADD COLUMN changed_at TEXT;
CREATE INDEX ix_autopay_rules_enabled ON autopay_rules (id) WHERE enabled = TRUE;

-- One row per rule and period (the day, the forecast block day or the month): the job claims the
-- period by inserting it, so a repeat or a second instance never charges twice; the outcome, success
-- or failure, stays here for the subscriber and the notifications.
CREATE TABLE autopay_runs (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL REFERENCES autopay_rules (id),
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    period TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status INT NOT NULL,
    reason TEXT,
    payment_id INTEGER REFERENCES payments (id),
    created_at TEXT NOT NULL,
    finished_at TEXT,
    UNIQUE (rule_id, period)
);
CREATE INDEX ix_autopay_runs_account ON autopay_runs (account_id, id);
CREATE INDEX ix_autopay_runs_pending ON autopay_runs (status, created_at);

-- Refunds made through the gateway; the Idempotence-Key is derived from the request, so a repeated
-- request finds its refund here instead of making another.
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    gateway TEXT NOT NULL,
    gateway_refund_id TEXT NOT NULL,
    idempotence_key TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL CHECK (amount > 0),
    reason TEXT NOT NULL,
    actor TEXT NOT NULL,
    ledger_transaction_id INTEGER REFERENCES ledger_transactions (id),
    created_at TEXT NOT NULL,
    UNIQUE (gateway, gateway_refund_id)
);
CREATE INDEX ix_refunds_payment ON refunds (payment_id);
