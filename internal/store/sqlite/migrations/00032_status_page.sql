-- The public status page (issue 15): components tied to services with
-- their recorded state changes (uptime), status incidents with their
-- public updates, maintenance windows, subscribers and webhooks, the
-- per-client count of subscription requests, and a version bumped on every
-- change so that every instance refreshes its snapshot. Times are
-- microseconds; lists are JSON.

-- +goose Up
CREATE TABLE status_components (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	group_name TEXT NOT NULL DEFAULT '',
	position INTEGER NOT NULL DEFAULT 0,
	status TEXT NOT NULL,
	service_ids TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	deleted_at BIGINT
);

CREATE TABLE status_component_changes (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	component_id BIGINT NOT NULL REFERENCES status_components (id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	status TEXT NOT NULL
);
CREATE INDEX status_component_changes_at ON status_component_changes (component_id, at);

CREATE TABLE status_incidents (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	major_id BIGINT REFERENCES major_incidents (id) ON DELETE SET NULL,
	name TEXT NOT NULL,
	status TEXT NOT NULL,
	impact TEXT NOT NULL,
	component_ids TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	monitoring_at BIGINT,
	resolved_at BIGINT
);
CREATE UNIQUE INDEX status_incidents_major ON status_incidents (major_id) WHERE major_id IS NOT NULL;

CREATE TABLE status_updates (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	incident_id BIGINT NOT NULL REFERENCES status_incidents (id) ON DELETE CASCADE,
	status TEXT NOT NULL,
	body TEXT NOT NULL,
	at BIGINT NOT NULL
);
CREATE INDEX status_updates_incident ON status_updates (incident_id, at);

CREATE TABLE status_maintenances (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	body TEXT NOT NULL,
	starts_at BIGINT NOT NULL,
	ends_at BIGINT NOT NULL,
	component_ids TEXT NOT NULL DEFAULT '[]',
	start_notice_at BIGINT,
	end_notice_at BIGINT,
	created_at BIGINT NOT NULL,
	canceled_at BIGINT
);

CREATE TABLE status_subscribers (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	email TEXT NOT NULL UNIQUE,
	token TEXT NOT NULL UNIQUE,
	language TEXT NOT NULL,
	component_ids TEXT NOT NULL DEFAULT '[]',
	created_at BIGINT NOT NULL,
	confirmed_at BIGINT,
	unsubscribed_at BIGINT,
	reason TEXT NOT NULL DEFAULT '',
	bounces INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE status_webhooks (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	url TEXT NOT NULL,
	secret TEXT NOT NULL,
	component_ids TEXT NOT NULL DEFAULT '[]',
	active BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL
);

-- One row per webhook and notice (notice_key): queued once, claimed with a
-- lease like the outbox.
CREATE TABLE status_webhook_deliveries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	webhook_id BIGINT NOT NULL REFERENCES status_webhooks (id) ON DELETE CASCADE,
	notice_key TEXT NOT NULL,
	body TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_attempt_at BIGINT,
	claimed_until BIGINT,
	sent_at BIGINT,
	failed_at BIGINT,
	last_error TEXT NOT NULL DEFAULT '',
	UNIQUE (webhook_id, notice_key)
);
CREATE INDEX status_webhook_deliveries_due ON status_webhook_deliveries (id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Notices queued, by key, so that none is queued twice.
CREATE TABLE status_notices (
	notice_key TEXT PRIMARY KEY,
	queued_at BIGINT NOT NULL,
	recipients INTEGER NOT NULL
);

-- Subscription requests counted per client and hour.
CREATE TABLE status_request_counts (
	client TEXT NOT NULL,
	hour BIGINT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (client, hour)
);

CREATE TABLE status_meta (
	id INTEGER PRIMARY KEY,
	version BIGINT NOT NULL,
	page_name TEXT NOT NULL DEFAULT 'Tierdesk'
);
INSERT INTO status_meta (id, version) VALUES (1, 1);

-- +goose Down
DROP TABLE status_meta;
DROP TABLE status_request_counts;
DROP TABLE status_notices;
DROP TABLE status_webhook_deliveries;
DROP TABLE status_webhooks;
DROP TABLE status_subscribers;
DROP TABLE status_maintenances;
DROP TABLE status_updates;
DROP TABLE status_incidents;
DROP TABLE status_component_changes;
DROP TABLE status_components;
