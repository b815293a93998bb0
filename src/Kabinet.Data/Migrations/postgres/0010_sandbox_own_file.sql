-- The sandbox acquirer keeps its records in a file of its own (Kabinet:Sandbox:DatabasePath), as a
-- real acquirer keeps them at the bank: its tables leave the provider's database. What they held
-- was test payments only.
DROP TABLE IF EXISTS sandbox_refunds;
DROP TABLE IF EXISTS sandbox_payments;
