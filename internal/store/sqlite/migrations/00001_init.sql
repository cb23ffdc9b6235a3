-- Tierdesk schema for SQLite. Timestamps are BIGINT Unix microseconds (UTC);
-- booleans are stored as 0/1. Never edit a migration that has landed: add a
-- new numbered file instead.

-- +goose Up
CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	email_key TEXT NOT NULL UNIQUE, -- lower-cased e-mail: unique regardless of case
	name TEXT NOT NULL,
	phone TEXT NOT NULL,
	role TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	search_key TEXT NOT NULL, -- lower-cased name and e-mail for substring search
	created_at BIGINT NOT NULL
);

CREATE TABLE support_groups (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	line INTEGER NOT NULL CHECK (line BETWEEN 1 AND 3),
	manager_id BIGINT REFERENCES users (id),
	is_default BOOLEAN NOT NULL,
	active BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX support_groups_one_default ON support_groups (is_default) WHERE is_default;

CREATE TABLE group_members (
	group_id BIGINT NOT NULL REFERENCES support_groups (id),
	user_id BIGINT NOT NULL REFERENCES users (id),
	PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

CREATE TABLE tokens (
	id INTEGER PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	name TEXT NOT NULL,
	hash BLOB NOT NULL UNIQUE,
	created_at BIGINT NOT NULL
);
CREATE INDEX tokens_user ON tokens (user_id);

CREATE TABLE categories (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	parent_id BIGINT REFERENCES categories (id),
	group_id BIGINT REFERENCES support_groups (id),
	retired BOOLEAN NOT NULL
);
CREATE INDEX categories_parent ON categories (parent_id);

CREATE TABLE services (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL,
	owner_group_id BIGINT REFERENCES support_groups (id),
	retired BOOLEAN NOT NULL
);

CREATE TABLE priority_matrix (
	impact TEXT NOT NULL,
	urgency TEXT NOT NULL,
	priority TEXT NOT NULL,
	PRIMARY KEY (impact, urgency)
);

-- counters hold the last ticket number given per type prefix (INC, REQ).
CREATE TABLE counters (
	name TEXT PRIMARY KEY,
	value BIGINT NOT NULL
);

CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,
	type TEXT NOT NULL,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	symptoms TEXT NOT NULL,
	state TEXT NOT NULL,
	hold_reason TEXT NOT NULL,
	impact TEXT NOT NULL,
	urgency TEXT NOT NULL,
	priority TEXT NOT NULL,
	category_id BIGINT REFERENCES categories (id),
	subcategory_id BIGINT REFERENCES categories (id),
	service_id BIGINT REFERENCES services (id),
	group_id BIGINT NOT NULL REFERENCES support_groups (id),
	line INTEGER NOT NULL, -- the group's line, denormalised for line filters
	assignee_id BIGINT REFERENCES users (id),
	requester_id BIGINT NOT NULL REFERENCES users (id),
	channel TEXT NOT NULL,
	restricted BOOLEAN NOT NULL,
	reported_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	first_response_at BIGINT,
	resolved_at BIGINT,
	closed_at BIGINT,
	canceled_at BIGINT,
	manager_flag_at BIGINT,
	resolution_code TEXT NOT NULL,
	resolution_notes TEXT NOT NULL,
	reopen_count INTEGER NOT NULL,
	reassignment_count INTEGER NOT NULL,
	escalation_count INTEGER NOT NULL,
	created_by BIGINT REFERENCES users (id),
	version INTEGER NOT NULL
);
-- Work queues: open tickets of a group, line or assignee by priority, then
-- age. The WHERE must match the store's rendering of the open states
-- literally, or SQLite will not use these partial indexes.
CREATE INDEX tickets_group_queue ON tickets (group_id, priority, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_line_queue ON tickets (line, priority, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_assignee_queue ON tickets (assignee_id, priority, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_created ON tickets (created_at, id);
CREATE INDEX tickets_updated ON tickets (updated_at, id);
CREATE INDEX tickets_requester ON tickets (requester_id, created_at, id);
CREATE INDEX tickets_category ON tickets (category_id);
CREATE INDEX tickets_subcategory ON tickets (subcategory_id);
CREATE INDEX tickets_service ON tickets (service_id);

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	at BIGINT NOT NULL,
	actor_id BIGINT REFERENCES users (id),
	kind TEXT NOT NULL,
	public BOOLEAN NOT NULL,
	body TEXT NOT NULL,
	reason TEXT NOT NULL,
	changes TEXT -- JSON array of {field, old, new}
);
CREATE INDEX events_ticket ON events (ticket_id, id);

CREATE TABLE idempotency_keys (
	actor_id BIGINT NOT NULL,
	idem_key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	ticket_id BIGINT REFERENCES tickets (id),
	created_at BIGINT NOT NULL,
	PRIMARY KEY (actor_id, idem_key)
);

-- One search document per ticket (rowid = ticket id): title, description,
-- symptoms and public comments, normalised by the store. Contentless: the
-- text lives in tickets and events, and documents are rewritten whole.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
	doc, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
);

INSERT INTO priority_matrix (impact, urgency, priority) VALUES
	('high', 'high', 'P1'), ('high', 'medium', 'P2'), ('high', 'low', 'P3'),
	('medium', 'high', 'P2'), ('medium', 'medium', 'P3'), ('medium', 'low', 'P4'),
	('low', 'high', 'P3'), ('low', 'medium', 'P4'), ('low', 'low', 'P4');
INSERT INTO support_groups (name, line, is_default, active, created_at)
	VALUES ('Service Desk', 1, TRUE, TRUE, CAST((unixepoch('subsec') * 1000000) AS INTEGER));
INSERT INTO counters (name, value) VALUES ('INC', 0), ('REQ', 0);

-- +goose Down
DROP TABLE ticket_search;
DROP TABLE idempotency_keys;
DROP TABLE events;
DROP TABLE tickets;
DROP TABLE counters;
DROP TABLE priority_matrix;
DROP TABLE services;
DROP TABLE categories;
DROP TABLE tokens;
DROP TABLE group_members;
DROP TABLE support_groups;
DROP TABLE users;
