-- Outbox delivery state (internal/notify). A row is queued while sent_at
-- and failed_at are both NULL; it is due when next_attempt_at (NULL: at
-- once) has passed and no live claim (claimed_until) holds it. attempts
-- counts claims; last_error keeps the latest delivery error; message_id is
-- the Message-ID the notification was sent with. Times are microseconds.

-- +goose Up
ALTER TABLE outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE outbox ADD COLUMN message_id TEXT;
CREATE INDEX outbox_failed ON outbox (id) WHERE failed_at IS NOT NULL;

-- +goose Down
DROP INDEX outbox_failed;
ALTER TABLE outbox DROP COLUMN message_id;
ALTER TABLE outbox DROP COLUMN claimed_until;
ALTER TABLE outbox DROP COLUMN failed_at;
ALTER TABLE outbox DROP COLUMN last_error;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
ALTER TABLE outbox DROP COLUMN attempts;
