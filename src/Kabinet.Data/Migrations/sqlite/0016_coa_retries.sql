-- CoA and Disconnect requests the NAS refused (NAK) or never answered are tried again with
-- back-off: rounds counts the tries (each of up to CoaAttempts packets), retry_at is when the next
-- one is due, NULL once the outcome is final (what the coa-log verb shows staff).
ALTER TABLE coa_requests ADD COLUMN rounds INT NOT NULL DEFAULT 1;
ALTER TABLE coa_requests ADD COLUMN retry_at TEXT;
CREATE INDEX ix_coa_requests_retry ON coa_requests (retry_at) WHERE retry_at IS NOT NULL;
CREATE INDEX ix_coa_requests_answered ON coa_requests (answered_at);
