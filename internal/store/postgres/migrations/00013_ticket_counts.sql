-- The dashboard's counts, kept by triggers in the transaction of every
-- ticket write (whatever path writes: the desk, bulk import, SLA status,
-- a group's new line), so that the dashboard reads a few thousand rows
-- instead of scanning every open ticket and a month of tickets.
--
-- One row counts the tickets (n) sharing one key; the columns a kind does
-- not use hold 0, '' or FALSE:
--   open     open tickets by group, restricted, line, state, priority, unassigned
--   created  open tickets by the UTC day they were created (backlog age)
--   due      open tickets by the UTC day of sla_due_at (breached); without a
--            deadline (sla_due_at the largest BIGINT) on day 106751991
--   cohort   every ticket by the UTC day it was created and its SLA outcomes
--            (response, resolution: 0 pending or none, 1 met, 2 missed)
-- A day is Unix microseconds / 86400000000. The store reads whole recent
-- and later days only (what is older follows from the open total) and
-- counts the part of a day from the tickets themselves, so every figure is
-- exact and the rows read do not grow with the desk's size or age.
--
-- Contention: a counter row is locked from its update to the commit, so
-- writers sharing a row queue. Every change of state, priority, group or
-- assignee moves an open ticket between 'open' rows, so slot (the ticket id
-- modulo 16) spreads each 'open' key over 16 rows. The day kinds use slot
-- 0: creation already queues per ticket type on the number counter, and
-- 16 times the rows would cost every read. Each trigger updates its rows
-- in key order, so two single-ticket transactions never wait for each
-- other in a cycle. Rows that fall to 0 stay.

-- +goose Up
CREATE TABLE ticket_counts (
	kind TEXT NOT NULL,
	day BIGINT NOT NULL,
	group_id BIGINT NOT NULL,
	restricted BOOLEAN NOT NULL,
	line INTEGER NOT NULL,
	state TEXT NOT NULL,
	priority TEXT NOT NULL,
	unassigned BOOLEAN NOT NULL,
	response SMALLINT NOT NULL,
	resolution SMALLINT NOT NULL,
	slot SMALLINT NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
);

-- The keys one ticket counts under.
-- +goose StatementBegin
CREATE FUNCTION ticket_count_keys(t tickets)
RETURNS TABLE (kind TEXT, day BIGINT, group_id BIGINT, restricted BOOLEAN, line INTEGER, state TEXT,
	priority TEXT, unassigned BOOLEAN, response SMALLINT, resolution SMALLINT, slot SMALLINT)
LANGUAGE sql IMMUTABLE AS $$
	SELECT k.*, (CASE WHEN k.kind = 'open' THEN t.id % 16 ELSE 0 END)::SMALLINT FROM (
		SELECT 'open' AS kind, 0::BIGINT AS day, t.group_id, t.restricted, t.line, t.state, t.priority,
			t.assignee_id IS NULL AS unassigned, 0::SMALLINT AS response, 0::SMALLINT AS resolution
		WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0::SMALLINT, 0::SMALLINT
		WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', t.sla_due_at / 86400000000, t.group_id, t.restricted, t.line, '', '', FALSE, 0::SMALLINT, 0::SMALLINT
		WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE,
			(CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END)::SMALLINT,
			(CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END)::SMALLINT
		WHERE t.id IS NOT NULL -- (without a WHERE here, PostgreSQL 15 fails to plan the inlined function)
	) k
$$;
-- +goose StatementEnd

-- INSERT and DELETE are counted by statement triggers with transition
-- tables: a multi-row INSERT (a bulk import's batch of 1,000) adds its
-- rows up first and touches each counter row once, in key order. Counted
-- row by row, such a batch updated each counter row ~100 times in one
-- transaction, leaving as many dead versions (19 MB for 49k counter rows
-- after a 100k import) and taking 2.7 times as long.
-- +goose StatementBegin
CREATE FUNCTION ticket_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign)
	FROM (SELECT w.*, 1 AS sign FROM new_rows t, LATERAL ticket_count_keys(t) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION ticket_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign)
	FROM (SELECT o.*, -1 AS sign FROM old_rows t, LATERAL ticket_count_keys(t) o) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- An UPDATE is counted row by row, so that its trigger can skip the rows
-- whose keys did not change (most updates: text, version, timestamps)
-- before running any function; a statement trigger cannot.
-- +goose StatementBegin
CREATE FUNCTION ticket_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign)
	FROM (SELECT o.*, -1 AS sign FROM ticket_count_keys(OLD) o
		UNION ALL SELECT w.*, 1 FROM ticket_count_keys(NEW) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_insert();
CREATE TRIGGER ticket_counts_update AFTER UPDATE ON tickets FOR EACH ROW
	WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.line IS DISTINCT FROM NEW.line
		OR OLD.restricted IS DISTINCT FROM NEW.restricted
		OR (OLD.assignee_id IS NULL) IS DISTINCT FROM (NEW.assignee_id IS NULL)
		OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.sla_due_at IS DISTINCT FROM NEW.sla_due_at
		OR OLD.sla_response_met IS DISTINCT FROM NEW.sla_response_met
		OR OLD.sla_resolution_met IS DISTINCT FROM NEW.sla_resolution_met)
	EXECUTE FUNCTION ticket_counts_update();
CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_delete();

INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, COUNT(*)
	FROM tickets t, LATERAL ticket_count_keys(t) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot;

-- The backlog's part-day counts: open tickets created in a range, read
-- from the index alone. The dashboard's old covering index is replaced.
CREATE INDEX tickets_open_created ON tickets (created_at, group_id, restricted)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
DROP INDEX tickets_open_counts;

-- +goose Down
CREATE INDEX tickets_open_counts ON tickets (state, priority, line, group_id, restricted, assignee_id, sla_due_at, created_at)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
DROP INDEX tickets_open_created;
DROP TRIGGER ticket_counts_delete ON tickets;
DROP TRIGGER ticket_counts_update ON tickets;
DROP TRIGGER ticket_counts_insert ON tickets;
DROP FUNCTION ticket_counts_update();
DROP FUNCTION ticket_counts_delete();
DROP FUNCTION ticket_counts_insert();
DROP FUNCTION ticket_count_keys(tickets);
DROP TABLE ticket_counts;
