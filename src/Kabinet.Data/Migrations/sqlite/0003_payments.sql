-- Online payments (SQLite): card and SBP payments through a gateway, saved payment methods with
-- the subscriber's consent, autopay rules, and the sandbox acquirer's own state.

CREATE TABLE payments (
    id INTEGER PRIMARY KEY,
    public_id TEXT NOT NULL UNIQUE,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    amount INTEGER NOT NULL CHECK (amount > 0),
    method INT NOT NULL,
    source INT NOT NULL,
    gateway TEXT NOT NULL,
    gateway_payment_id TEXT,
    idempotence_key TEXT NOT NULL UNIQUE,
    status INT NOT NULL,
    failure_code TEXT,
    confirmation_url TEXT,
    receipt_contact TEXT NOT NULL,
    save_method BOOLEAN NOT NULL DEFAULT FALSE,
    consent_text TEXT,
    consent_at TEXT,
    autopay_rule_id INTEGER,
    ledger_transaction_id INTEGER REFERENCES ledger_transactions (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    succeeded_at TEXT
);
-- A gateway payment is recorded once, whatever retries and notifications do.
CREATE UNIQUE INDEX ux_payments_gateway ON payments (gateway, gateway_payment_id);
CREATE INDEX ix_payments_account ON payments (account_id, id);
CREATE INDEX ix_payments_pending ON payments (status, created_at);
-- Receipts find the gateway reference of a journal credit.
CREATE INDEX ix_payments_ledger_transaction ON payments (ledger_transaction_id);

CREATE TABLE payment_methods (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    gateway TEXT NOT NULL,
    gateway_method_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    consent_text TEXT NOT NULL,
    consent_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    UNIQUE (gateway, gateway_method_id)
);
CREATE INDEX ix_payment_methods_account ON payment_methods (account_id);

CREATE TABLE autopay_rules (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    payment_method_id INTEGER NOT NULL REFERENCES payment_methods (id),
    kind INT NOT NULL,
    amount INTEGER,
    below INTEGER,
    days_before INT,
    day_of_month INT,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL,
    disabled_at TEXT
);
CREATE UNIQUE INDEX ux_autopay_rules_account ON autopay_rules (account_id) WHERE enabled = TRUE;

-- The sandbox acquirer keeps its payments apart from Kabinet's, as a real acquirer would.
CREATE TABLE sandbox_payments (
    id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    idempotence_key TEXT NOT NULL,
    amount INTEGER NOT NULL,
    status TEXT NOT NULL,
    paid BOOLEAN NOT NULL DEFAULT FALSE,
    capture BOOLEAN NOT NULL DEFAULT TRUE,
    description TEXT NOT NULL DEFAULT '',
    metadata TEXT NOT NULL DEFAULT '{}',
    receipt TEXT,
    return_url TEXT,
    method_type TEXT NOT NULL,
    save_method BOOLEAN NOT NULL DEFAULT FALSE,
    method_id TEXT,
    card_last4 TEXT,
    cancel_reason TEXT,
    refunded INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (shop_id, idempotence_key)
);

CREATE TABLE sandbox_refunds (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES sandbox_payments (id),
    idempotence_key TEXT NOT NULL UNIQUE,
    amount INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
