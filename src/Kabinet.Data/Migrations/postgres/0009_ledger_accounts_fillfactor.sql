-- Every cached balance changes every billing day (and at every payment): pages kept half empty let
-- each new row version stay on its page (a HOT update), without a new index entry; the old versions
-- are pruned from the page on a later visit. Applies to pages written from now on.
ALTER TABLE ledger_accounts SET (fillfactor = 45);
