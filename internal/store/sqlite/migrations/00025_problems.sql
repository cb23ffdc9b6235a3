-- Problem management (issue 12): problem records (PRB-000123) with their
-- root cause, workaround (a known error) and permanent fix, the incidents
-- linked to them (an incident belongs to at most one problem), and the
-- durable broadcasts that write a workaround or a resolution to every
-- open linked incident in batches (internal/problem): after_ticket is the
-- last ticket done, advanced in each batch's own transaction.
--
-- The shipped incident SLA policies paused the resolution clock only on
-- awaiting_requester; an incident waiting on a problem is not the desk's
-- delay to count either, so those still as shipped pause on
-- awaiting_problem too (English or Russian names, issue 12).

-- +goose Up
CREATE TABLE problems (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	search TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	root_cause TEXT NOT NULL DEFAULT '',
	impact TEXT NOT NULL CHECK (impact IN ('high', 'medium', 'low')),
	state TEXT NOT NULL CHECK (state IN ('new', 'investigating', 'known_error', 'resolved', 'closed')),
	group_id BIGINT REFERENCES support_groups (id),
	category_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
	service_id BIGINT REFERENCES services (id) ON DELETE SET NULL,
	workaround TEXT NOT NULL DEFAULT '',
	workaround_at BIGINT,
	fix TEXT NOT NULL DEFAULT '',
	refs TEXT NOT NULL DEFAULT '[]',
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	version INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	known_error_at BIGINT,
	resolved_at BIGINT,
	closed_at BIGINT
);
CREATE INDEX problems_state ON problems (state, id);
CREATE INDEX problems_category ON problems (category_id, state);

CREATE TABLE problem_incidents (
	problem_id BIGINT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
	ticket_id BIGINT NOT NULL UNIQUE REFERENCES tickets (id) ON DELETE CASCADE,
	linked_at BIGINT NOT NULL,
	linked_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	PRIMARY KEY (problem_id, ticket_id)
);

CREATE TABLE problem_broadcasts (
	id INTEGER PRIMARY KEY,
	problem_id BIGINT NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('workaround', 'resolve')),
	by_id BIGINT NOT NULL REFERENCES users (id),
	public BOOLEAN NOT NULL,
	body TEXT NOT NULL,
	resolution_code TEXT NOT NULL DEFAULT '',
	after_ticket BIGINT NOT NULL DEFAULT 0,
	done INTEGER NOT NULL DEFAULT 0,
	skipped INTEGER NOT NULL DEFAULT 0,
	batches INTEGER NOT NULL DEFAULT 0,
	max_tx_micros BIGINT NOT NULL DEFAULT 0,
	claimed_until BIGINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	finished_at BIGINT
);
CREATE INDEX problem_broadcasts_open ON problem_broadcasts (finished_at, id);

UPDATE sla_policies SET pause_on = '["awaiting_requester","awaiting_problem"]'
WHERE pause_on = '["awaiting_requester"]' AND name IN ('P1 incidents', 'P2 incidents', 'P3 incidents',
	'P4 incidents', 'Инциденты P1', 'Инциденты P2', 'Инциденты P3', 'Инциденты P4');

-- +goose Down
UPDATE sla_policies SET pause_on = '["awaiting_requester"]'
WHERE pause_on = '["awaiting_requester","awaiting_problem"]' AND name IN ('P1 incidents', 'P2 incidents',
	'P3 incidents', 'P4 incidents', 'Инциденты P1', 'Инциденты P2', 'Инциденты P3', 'Инциденты P4');
DROP TABLE problem_broadcasts;
DROP TABLE problem_incidents;
DROP TABLE problems;
