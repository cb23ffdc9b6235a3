-- The agent console: SLA-deadline queues, ticket links, satisfaction
-- ratings, saved filters. Times are BIGINT Unix microseconds.

-- +goose Up

-- A ticket's SLA position as the desk last computed it (with every change,
-- every fired timer and every `sla reschedule`), so that queues sort and
-- the dashboard counts without replaying history. sla_due_at is the
-- earliest deadline of its still-ticking response and resolution clocks;
-- 9223372036854775807 (the largest BIGINT) means none, so that tickets
-- without a deadline sort last and keyset cursors need no NULL handling.
-- sla_response_met / sla_resolution_met: TRUE met, FALSE breached, NULL
-- pending or no policy. Rows written before this migration read as "no
-- deadline" until `tierdesk sla reschedule` or their next change.
ALTER TABLE tickets ADD COLUMN sla_due_at BIGINT NOT NULL DEFAULT 9223372036854775807;
ALTER TABLE tickets ADD COLUMN sla_response_met BOOLEAN;
ALTER TABLE tickets ADD COLUMN sla_resolution_met BOOLEAN;
-- Queues by next deadline: a group's, an assignee's, a group's unassigned
-- tickets, and every open ticket (about to breach / breached). Partial on
-- the open states, rendered as literals by the store like the other queues.
CREATE INDEX tickets_group_sla ON tickets (group_id, sla_due_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_unassigned_sla ON tickets (group_id, sla_due_at, id)
	WHERE assignee_id IS NULL AND state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_assignee_sla ON tickets (assignee_id, sla_due_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_open_sla ON tickets (sla_due_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
-- The dashboard's counts of open tickets, read from the index alone.
CREATE INDEX tickets_open_counts ON tickets (state, priority, line, group_id, restricted, assignee_id, sla_due_at, created_at)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');

-- Links between two tickets, stored once in the direction of kind:
-- related (symmetric), duplicate_of (from duplicates to), child_of (from
-- is a child of to). One link per pair of tickets, whichever way round; a
-- ticket duplicates at most one ticket and has at most one parent.
CREATE TABLE ticket_links (
	from_id BIGINT NOT NULL REFERENCES tickets (id),
	to_id BIGINT NOT NULL REFERENCES tickets (id),
	kind TEXT NOT NULL CHECK (kind IN ('related', 'duplicate_of', 'child_of')),
	created_at BIGINT NOT NULL,
	created_by BIGINT REFERENCES users (id),
	PRIMARY KEY (from_id, to_id),
	CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX ticket_links_pair ON ticket_links (min(from_id, to_id), max(from_id, to_id));
CREATE INDEX ticket_links_to ON ticket_links (to_id);
CREATE UNIQUE INDEX ticket_links_one_parent ON ticket_links (from_id) WHERE kind = 'child_of';
CREATE UNIQUE INDEX ticket_links_one_original ON ticket_links (from_id) WHERE kind = 'duplicate_of';

-- The requester's satisfaction rating of a resolved ticket: one per
-- ticket, changeable until the ticket is closed.
CREATE TABLE ticket_ratings (
	ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id),
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	comment TEXT NOT NULL,
	rated_by BIGINT NOT NULL REFERENCES users (id),
	rated_at BIGINT NOT NULL,
	group_id BIGINT NOT NULL REFERENCES support_groups (id) -- the group that resolved it
);
CREATE INDEX ticket_ratings_at ON ticket_ratings (rated_at);

-- A user's saved ticket filters: a name and the filter as JSON.
CREATE TABLE saved_filters (
	id INTEGER PRIMARY KEY,
	user_id BIGINT NOT NULL REFERENCES users (id),
	name TEXT NOT NULL,
	name_key TEXT NOT NULL, -- lower-cased name: unique per user regardless of case
	filter TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	UNIQUE (user_id, name_key)
);

-- +goose Down
DROP TABLE saved_filters;
DROP TABLE ticket_ratings;
DROP TABLE ticket_links;
DROP INDEX tickets_open_counts;
DROP INDEX tickets_open_sla;
DROP INDEX tickets_assignee_sla;
DROP INDEX tickets_unassigned_sla;
DROP INDEX tickets_group_sla;
ALTER TABLE tickets DROP COLUMN sla_resolution_met;
ALTER TABLE tickets DROP COLUMN sla_response_met;
ALTER TABLE tickets DROP COLUMN sla_due_at;
