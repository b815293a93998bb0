-- One "payments in transit" ledger account per gateway (M29). The first migration made a single
-- one (id 5); it becomes the transit account of the gateway its payments went through (the
-- sandbox on a database that has none yet). Other gateways get theirs on first use
-- (GatewayTransitAccounts); the name, unique among transit accounts, is the key.
UPDATE ledger_accounts
SET name = 'gateway transit: ' || COALESCE((SELECT gateway FROM payments ORDER BY id LIMIT 1), 'sandbox')
WHERE id = 5 AND kind = 4;
CREATE UNIQUE INDEX ux_ledger_accounts_transit_name ON ledger_accounts (name) WHERE kind = 4;
