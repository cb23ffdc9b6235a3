-- Durable SLA timers and the notification outbox (internal/jobs).
--
-- A timer is the instant a ticket's clock reaches a threshold (kind
-- response, resolution or next_update; percent 75, 90, 100), or the end of
-- a resolved ticket's reopen window (kind auto_close). Rows are rewritten
-- in the transaction of every ticket change; handled rows keep done_at, and
-- the unique key stops a handled threshold from being scheduled again.
-- cycle is 0 except for next_update (the start of the current wait) and
-- auto_close (resolved_at), whose thresholds recur. Times are microseconds.

-- +goose Up
CREATE TABLE sla_timers (
	id INTEGER PRIMARY KEY AUTOINCREMENT, -- ids are never reused: a claim names its timer by id
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	percent INTEGER NOT NULL,
	cycle BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	done_at BIGINT,
	claimed_until BIGINT,
	attempts INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX sla_timers_key ON sla_timers (ticket_id, kind, percent, cycle);
-- A sweep reads only due, pending rows: its cost follows the due timers.
CREATE INDEX sla_timers_due ON sla_timers (due_at) WHERE done_at IS NULL;

-- Messages to deliver (the e-mail issue sends them); written in the
-- transaction of the change that causes them. Exactly one of user_id and
-- group_id names the recipient.
CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	created_at BIGINT NOT NULL,
	kind TEXT NOT NULL,
	ticket_id BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
	user_id BIGINT REFERENCES users (id),
	group_id BIGINT REFERENCES support_groups (id),
	payload TEXT NOT NULL,
	sent_at BIGINT
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_ticket ON outbox (ticket_id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE sla_timers;
