-- PostgreSQL keeps room on ledger_accounts pages for balance updates (fillfactor); SQLite updates
-- rows in place and has nothing to change. The version keeps both engines' histories alike.
SELECT 1;
