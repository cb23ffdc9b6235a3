-- On-call and paging (issue 6): schedules, escalation policies attached to
-- groups, users' contact methods, pages (one escalation run on a ticket)
-- and their deliveries (internal/pager), and the secret that signs the
-- acknowledgement links in pages. Documents and lists are JSON; times are
-- microseconds.

-- +goose Up
-- A schedule is stored in words (desk.ScheduleDoc): zone, layers, overrides.
CREATE TABLE schedules (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL UNIQUE,
	doc TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- At most one policy per group. steps is the JSON of []desk.EscalationStep
-- (schedule and user ids, delay); schedules a step names are checked by the
-- desk, not by a foreign key.
CREATE TABLE escalation_policies (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	group_id BIGINT NOT NULL UNIQUE REFERENCES support_groups (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	repeat_count INTEGER NOT NULL,
	priorities TEXT NOT NULL,
	steps TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);

-- How a user is reached when paged: kind email, webhook or slack; target
-- is the address or URL; secret signs webhook bodies; delay_seconds after
-- the user is paged.
CREATE TABLE contact_methods (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	target TEXT NOT NULL,
	secret TEXT NOT NULL,
	delay_seconds INTEGER NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE INDEX contact_methods_user ON contact_methods (user_id);

-- A page is one escalation run on a ticket for a group's policy (policy is
-- its JSON snapshot taken when the page started). While state is 'active'
-- next_at is when the next step is due; a runner claims it with a lease
-- (claimed_until). At most one active page per ticket and group.
CREATE TABLE pages (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES support_groups (id),
	policy TEXT NOT NULL,
	reason TEXT NOT NULL,
	state TEXT NOT NULL,
	step INTEGER NOT NULL DEFAULT 0,
	round INTEGER NOT NULL DEFAULT 0,
	started_at BIGINT NOT NULL,
	next_at BIGINT,
	claimed_until BIGINT,
	attempts INTEGER NOT NULL DEFAULT 0,
	acked_at BIGINT,
	acked_by BIGINT REFERENCES users (id),
	ended_at BIGINT
);
CREATE UNIQUE INDEX pages_active ON pages (ticket_id, group_id) WHERE state = 'active';
CREATE INDEX pages_due ON pages (next_at) WHERE state = 'active';
CREATE INDEX pages_ticket ON pages (ticket_id);
CREATE INDEX pages_started ON pages (started_at);

-- One message of a page to one contact method of one user, due at due_at.
-- Queued while sent_at, failed_at and canceled_at are all NULL (canceled:
-- acknowledged before it was due).
CREATE TABLE page_deliveries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	page_id BIGINT NOT NULL REFERENCES pages (id) ON DELETE CASCADE,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	method_id BIGINT REFERENCES contact_methods (id) ON DELETE SET NULL,
	kind TEXT NOT NULL,
	target TEXT NOT NULL,
	payload TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	claimed_until BIGINT,
	sent_at BIGINT,
	failed_at BIGINT,
	canceled_at BIGINT,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX page_deliveries_due ON page_deliveries (due_at) WHERE sent_at IS NULL AND failed_at IS NULL AND canceled_at IS NULL;
CREATE INDEX page_deliveries_page ON page_deliveries (page_id);
CREATE INDEX page_deliveries_failed ON page_deliveries (id) WHERE failed_at IS NOT NULL;

-- The key signing acknowledgement links, made on first use (id is always 1).
CREATE TABLE paging_secret (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	secret TEXT NOT NULL
);

-- +goose Down
DROP TABLE paging_secret;
DROP TABLE page_deliveries;
DROP TABLE pages;
DROP TABLE contact_methods;
DROP TABLE escalation_policies;
DROP TABLE schedules;
