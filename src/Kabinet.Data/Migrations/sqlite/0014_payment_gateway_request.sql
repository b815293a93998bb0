-- The body of a saved-card charge's create request, as sent to the gateway. Such a charge is decided
-- at the gateway on create, so when the answer is lost (timeout, dropped connection, gateway 5xx, a
-- crash mid-call) the card may be charged while Kabinet has no gateway id: the reconciliation job
-- re-sends this very body with the payment's Idempotence-Key, and the gateway answers with the
-- payment it made the first time. Redirect payments leave it empty (no money moves without the
-- payer, so their create is not re-sent).
ALTER TABLE payments ADD COLUMN gateway_request TEXT;
