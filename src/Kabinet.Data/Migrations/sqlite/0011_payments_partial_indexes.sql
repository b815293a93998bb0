-- A payment row is written three times on its way (created, given its gateway id, credited). The
-- indexes that only some of those versions need are partial, so the others add no entries to them:
-- the reconciliation job looks only at pending payments, receipts only at credited ones, and a
-- payment has no gateway id until the gateway answers.
DROP INDEX ix_payments_pending;
CREATE INDEX ix_payments_pending ON payments (created_at) WHERE status = 1;
DROP INDEX ix_payments_ledger_transaction;
CREATE INDEX ix_payments_ledger_transaction ON payments (ledger_transaction_id) WHERE ledger_transaction_id IS NOT NULL;
DROP INDEX ux_payments_gateway;
CREATE UNIQUE INDEX ux_payments_gateway ON payments (gateway, gateway_payment_id) WHERE gateway_payment_id IS NOT NULL;
