-- Kabinet schema, version 1 (SQLite). Instants are ISO-8601 UTC text, billing days 'YYYY-MM-DD',
-- money INTEGER kopecks. The PostgreSQL script of the same version has the same tables and columns.

CREATE TABLE app_keys (
    id INTEGER PRIMARY KEY,
    friendly_name TEXT NOT NULL UNIQUE,
    xml TEXT NOT NULL
);

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY,
    city TEXT NOT NULL,
    street TEXT NOT NULL,
    house TEXT NOT NULL,
    UNIQUE (city, street, house)
);

CREATE TABLE tariffs (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_ru TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    category INT NOT NULL,
    audience INT NOT NULL,
    monthly_fee INTEGER NOT NULL CHECK (monthly_fee >= 0),
    down_kbps INT,
    up_kbps INT,
    charge_mode INT NOT NULL,
    is_archived BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE extra_services (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    kind INT NOT NULL,
    price INTEGER NOT NULL CHECK (price >= 0),
    charged_while_frozen BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY,
    kind INT NOT NULL,
    full_name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE contracts (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id),
    password_hash TEXT NOT NULL,
    security_stamp TEXT NOT NULL,
    failed_logins INT NOT NULL DEFAULT 0,
    locked_until TEXT,
    signed_on TEXT NOT NULL,
    building_id INTEGER REFERENCES buildings (id),
    flat TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_contracts_subscriber ON contracts (subscriber_id);

CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    kind INT NOT NULL,
    name TEXT NOT NULL,
    -- Cached sum of the account's entries, updated in the same transaction as the journal.
    balance INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    number TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    ledger_account_id INTEGER NOT NULL UNIQUE REFERENCES ledger_accounts (id),
    tariff_id INTEGER REFERENCES tariffs (id),
    status INT NOT NULL,
    threshold INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_accounts_contract ON accounts (contract_id);

CREATE TABLE account_services (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    service_id INTEGER NOT NULL REFERENCES extra_services (id),
    active_from TEXT NOT NULL,
    active_to TEXT
);
CREATE INDEX ix_account_services_account ON account_services (account_id);

CREATE TABLE access_points (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    kind INT NOT NULL,
    login TEXT UNIQUE,
    mac TEXT,
    ip TEXT,
    building_id INTEGER REFERENCES buildings (id),
    flat TEXT
);
CREATE INDEX ix_access_points_account ON access_points (account_id);

CREATE TABLE ledger_transactions (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    kind INT NOT NULL,
    account_id INTEGER REFERENCES accounts (id),
    occurred_at TEXT NOT NULL,
    description TEXT NOT NULL,
    reverses_id INTEGER REFERENCES ledger_transactions (id)
);

CREATE TABLE ledger_entries (
    id INTEGER PRIMARY KEY,
    transaction_id INTEGER NOT NULL REFERENCES ledger_transactions (id),
    ledger_account_id INTEGER NOT NULL REFERENCES ledger_accounts (id),
    amount INTEGER NOT NULL CHECK (amount <> 0)
);
CREATE INDEX ix_ledger_entries_account ON ledger_entries (ledger_account_id, transaction_id);
CREATE INDEX ix_ledger_entries_transaction ON ledger_entries (transaction_id);

-- The journal is append-only: corrections are reversing transactions.
CREATE TRIGGER ledger_transactions_append_only_u BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_transactions_append_only_d BEFORE DELETE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_entries_append_only_u BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_entries_append_only_d BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role INT NOT NULL,
    is_disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ix_audit_log_at ON audit_log (at);

INSERT INTO ledger_accounts (id, kind, name, balance, updated_at) VALUES
    (1, 2, 'revenue', 0, '1970-01-01 00:00:00.000000+00:00'),
    (2, 3, 'cash desk', 0, '1970-01-01 00:00:00.000000+00:00'),
    (3, 5, 'promised credit', 0, '1970-01-01 00:00:00.000000+00:00'),
    (4, 6, 'opening balances', 0, '1970-01-01 00:00:00.000000+00:00'),
    (5, 4, 'gateway transit', 0, '1970-01-01 00:00:00.000000+00:00'),
    (999, 1, 'reserved', 0, '1970-01-01 00:00:00.000000+00:00');
