-- Charge keys put the billing day first: 'charge:<account>:<item>:<day>' becomes
-- 'charge:<day>:<account>:<item>' (decision 0009), so a billing day's keys sit together in the key
-- index instead of one beside each account's earlier days. The key is the journal's idempotency
-- handle, not a figure: the append-only guard steps aside for this one rewrite and comes back.
-- No key of the new form exists yet, and no old key can equal a new one (a new key has the day's
-- '-' as its 12th character, where an old key has its account's digits, ':' or its item's letters).
DROP TRIGGER ledger_transactions_append_only_u;
UPDATE ledger_transactions
SET idempotency_key = 'charge:' || substr(idempotency_key, -10) || ':'
    || substr(idempotency_key, 8, length(idempotency_key) - 18)
WHERE idempotency_key LIKE 'charge:%';
CREATE TRIGGER ledger_transactions_append_only_u BEFORE UPDATE ON ledger_transactions
BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
