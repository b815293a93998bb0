-- When a one-off service with a network role (Turbo) ran out and the network was told: the sweep
-- records a 'turbo_ended' event once per purchase, so the NAS gets the normal speed back by CoA.
ALTER TABLE account_services ADD COLUMN expiry_announced_at TEXT;
CREATE INDEX ix_account_services_expiring ON account_services (expires_at) WHERE expires_at IS NOT NULL AND expiry_announced_at IS NULL;
