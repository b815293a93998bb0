-- Paying without logging in finds contracts by address: building, then flat.
CREATE INDEX ix_contracts_building_flat ON contracts (building_id, flat);
