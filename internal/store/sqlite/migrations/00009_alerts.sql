-- Alert intake (issue 6): integrations that monitoring systems post to, and
-- the alert groups that deduplicate their alerts into incidents. Tokens are
-- kept as SHA-256 hashes only. Counters are totals since the integration was
-- created; window_start/window_count are the current rate-limit minute.
-- Times are microseconds.

-- +goose Up
CREATE TABLE integrations (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('alertmanager', 'grafana', 'generic')),
	name TEXT NOT NULL UNIQUE,
	token_hash BLOB NOT NULL UNIQUE,
	settings TEXT NOT NULL, -- JSON: rules, default rule, limits, windows
	created_at BIGINT NOT NULL,
	token_rotated_at BIGINT NOT NULL,
	alerts_received BIGINT NOT NULL DEFAULT 0,
	alerts_deduplicated BIGINT NOT NULL DEFAULT 0,
	alerts_overflow BIGINT NOT NULL DEFAULT 0,
	incidents_opened BIGINT NOT NULL DEFAULT 0,
	window_start BIGINT NOT NULL DEFAULT 0,
	window_count BIGINT NOT NULL DEFAULT 0,
	last_alert_at BIGINT
);

-- One row per dedup key of an integration: the incident its alerts attach
-- to (generation counts the incidents opened for the key; ticket_id is NULL
-- until the current generation's incident exists), the state of each alert
-- (members: JSON {fingerprint: "firing"|"resolved"}), and the counters the
-- timeline shows (repeat_event_id is the one aggregated event per incident).
CREATE TABLE alert_groups (
	id INTEGER PRIMARY KEY,
	integration_id BIGINT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
	dedup_key TEXT NOT NULL,
	generation INTEGER NOT NULL,
	ticket_id BIGINT REFERENCES tickets (id),
	status TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
	members TEXT NOT NULL,
	opening TEXT NOT NULL, -- JSON: the alert that opened the current generation
	received BIGINT NOT NULL,
	repeats BIGINT NOT NULL,
	first_at BIGINT NOT NULL,
	last_at BIGINT NOT NULL,
	resolved_at BIGINT,
	repeat_event_id BIGINT REFERENCES events (id),
	UNIQUE (integration_id, dedup_key)
);
CREATE INDEX alert_groups_ticket ON alert_groups (ticket_id);

-- +goose Down
DROP TABLE alert_groups;
DROP TABLE integrations;
