-- Major incidents (issue 15): a parent incident ticket with roles, a bridge,
-- an update cadence, children, public updates, stakeholders and its own
-- timeline entries; the rules that declare them. Lists are JSON; times are
-- microseconds. warned_for and paged_for hold the due instant the warning
-- and the page were given for (0: none), written with the version check,
-- so each is given once however many instances sweep.

-- +goose Up
CREATE TABLE major_incidents (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ticket_id BIGINT NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	service_id BIGINT REFERENCES services (id) ON DELETE SET NULL,
	priority TEXT NOT NULL,
	state TEXT NOT NULL,
	commander_id BIGINT NOT NULL REFERENCES users (id),
	commander_group_id BIGINT REFERENCES support_groups (id) ON DELETE SET NULL,
	comms_lead_id BIGINT REFERENCES users (id),
	responders TEXT NOT NULL DEFAULT '[]',
	bridge_url TEXT NOT NULL DEFAULT '',
	cadence_seconds BIGINT NOT NULL,
	next_update_due BIGINT NOT NULL,
	warned_for BIGINT NOT NULL DEFAULT 0,
	paged_for BIGINT NOT NULL DEFAULT 0,
	declared_at BIGINT NOT NULL,
	declared_by BIGINT REFERENCES users (id),
	trigger_name TEXT NOT NULL,
	rule_id BIGINT,
	first_alert_at BIGINT NOT NULL DEFAULT 0,
	resolved_at BIGINT,
	closed_at BIGINT,
	resolution TEXT NOT NULL DEFAULT '',
	version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX major_incidents_due ON major_incidents (next_update_due) WHERE state = 'active';
CREATE INDEX major_incidents_declared ON major_incidents (declared_at);
-- One active major incident per rule and service: two instances running a
-- rule at once declare it once.
CREATE UNIQUE INDEX major_incidents_rule ON major_incidents (rule_id, service_id) WHERE state = 'active' AND rule_id IS NOT NULL;

-- A ticket is the child of at most one major incident.
CREATE TABLE major_children (
	major_id BIGINT NOT NULL REFERENCES major_incidents (id) ON DELETE CASCADE,
	ticket_id BIGINT NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
	attached_at BIGINT NOT NULL,
	attached_by BIGINT REFERENCES users (id),
	PRIMARY KEY (major_id, ticket_id)
);

CREATE TABLE major_updates (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	major_id BIGINT NOT NULL REFERENCES major_incidents (id) ON DELETE CASCADE,
	posted_at BIGINT NOT NULL,
	posted_by BIGINT REFERENCES users (id),
	affected TEXT NOT NULL,
	doing TEXT NOT NULL,
	next_at BIGINT NOT NULL,
	due_at BIGINT NOT NULL,
	on_time BOOLEAN NOT NULL,
	recipients INTEGER NOT NULL
);
CREATE INDEX major_updates_major ON major_updates (major_id, posted_at);

-- The major incident's own timeline entries; key marks on the tickets'
-- events (event_id) are rows of major_key_events.
CREATE TABLE major_entries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	major_id BIGINT NOT NULL REFERENCES major_incidents (id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	actor_id BIGINT REFERENCES users (id),
	kind TEXT NOT NULL,
	body TEXT NOT NULL,
	is_key BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX major_entries_major ON major_entries (major_id, at);

CREATE TABLE major_key_events (
	major_id BIGINT NOT NULL REFERENCES major_incidents (id) ON DELETE CASCADE,
	event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	PRIMARY KEY (major_id, event_id)
);

-- Stakeholders of one major incident (major_id) or of every major incident
-- of a service (service_id): a user, or an outside address.
CREATE TABLE major_stakeholders (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	major_id BIGINT REFERENCES major_incidents (id) ON DELETE CASCADE,
	service_id BIGINT REFERENCES services (id) ON DELETE CASCADE,
	user_id BIGINT REFERENCES users (id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	page BOOLEAN NOT NULL DEFAULT FALSE,
	created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX major_stakeholders_one ON major_stakeholders (COALESCE(major_id, 0), COALESCE(service_id, 0), email);

CREATE TABLE major_rules (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
	on_p1 BOOLEAN NOT NULL,
	count_n INTEGER NOT NULL,
	window_seconds BIGINT NOT NULL,
	commander_id BIGINT NOT NULL REFERENCES users (id),
	enabled BOOLEAN NOT NULL,
	created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE major_rules;
DROP TABLE major_stakeholders;
DROP TABLE major_key_events;
DROP TABLE major_entries;
DROP TABLE major_updates;
DROP TABLE major_children;
DROP TABLE major_incidents;
