-- When the gateway's notification that led to a payment's credit arrived: with succeeded_at (set at
-- the credit) it gives the notification-to-credit time that the payments benchmark reports.
ALTER TABLE payments ADD COLUMN notified_at TIMESTAMPTZ;
