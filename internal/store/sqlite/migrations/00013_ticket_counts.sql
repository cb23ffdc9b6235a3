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
-- exact and the rows read do not grow with the desk's size or age. slot
-- spreads an 'open' key over 16 rows on PostgreSQL (the ticket id modulo
-- 16) so that concurrent writers rarely wait for each other; SQLite has
-- one writer and uses slot 0. Rows that fall to 0 stay.

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
	response INTEGER NOT NULL,
	resolution INTEGER NOT NULL,
	slot INTEGER NOT NULL,
	n BIGINT NOT NULL,
	PRIMARY KEY (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
) WITHOUT ROWID;

-- A view of every ticket's keys, so that the triggers and the backfill say
-- them once. sign is applied by the triggers.
CREATE VIEW ticket_count_keys AS
	SELECT 'open' AS kind, 0 AS day, group_id, restricted, line, state, priority,
		assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution
	FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'created', created_at / 86400000000, group_id, restricted, 0, '', '', FALSE, 0, 0
	FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'due', sla_due_at / 86400000000, group_id, restricted, line, '', '', FALSE, 0, 0
	FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'cohort', created_at / 86400000000, group_id, restricted, 0, '', '', FALSE,
		CASE WHEN sla_response_met THEN 1 WHEN NOT sla_response_met THEN 2 ELSE 0 END,
		CASE WHEN sla_resolution_met THEN 1 WHEN NOT sla_resolution_met THEN 2 ELSE 0 END
	FROM tickets;

INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, COUNT(*)
	FROM ticket_count_keys
	GROUP BY kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution;

-- The triggers spell the keys out for NEW and OLD: a trigger cannot read
-- the view for one row without scanning it.
-- +goose StatementBegin
CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, 1 FROM (
		SELECT 'open' AS kind, 0 AS day, NEW.group_id AS group_id, NEW.restricted AS restricted, NEW.line AS line,
			NEW.state AS state, NEW.priority AS priority, NEW.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE,
			CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END,
			CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END
	) WHERE TRUE
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_update AFTER UPDATE ON tickets
WHEN OLD.state IS NOT NEW.state OR OLD.priority IS NOT NEW.priority OR OLD.group_id IS NOT NEW.group_id
	OR OLD.line IS NOT NEW.line OR OLD.restricted IS NOT NEW.restricted
	OR (OLD.assignee_id IS NULL) IS NOT (NEW.assignee_id IS NULL) OR OLD.created_at IS NOT NEW.created_at
	OR OLD.sla_due_at IS NOT NEW.sla_due_at OR OLD.sla_response_met IS NOT NEW.sla_response_met
	OR OLD.sla_resolution_met IS NOT NEW.sla_resolution_met
BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, SUM(sign) FROM (
		SELECT -1 AS sign, 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line,
			OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE,
			CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END,
			CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END
		UNION ALL
		SELECT 1, 'open', 0, NEW.group_id, NEW.restricted, NEW.line, NEW.state, NEW.priority, NEW.assignee_id IS NULL, 0, 0
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0
		WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE,
			CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END,
			CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END
	) WHERE TRUE
	GROUP BY kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution
	HAVING SUM(sign) <> 0
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, -1 FROM (
		SELECT 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line,
			OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0
		WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE,
			CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END,
			CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END
	) WHERE TRUE
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- The backlog's part-day counts: open tickets created in a range, read
-- from the index alone. The dashboard's old covering index is replaced.
CREATE INDEX tickets_open_created ON tickets (created_at, group_id, restricted)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
DROP INDEX tickets_open_counts;

-- +goose Down
CREATE INDEX tickets_open_counts ON tickets (state, priority, line, group_id, restricted, assignee_id, sla_due_at, created_at)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
DROP INDEX tickets_open_created;
DROP TRIGGER ticket_counts_delete;
DROP TRIGGER ticket_counts_update;
DROP TRIGGER ticket_counts_insert;
DROP VIEW ticket_count_keys;
DROP TABLE ticket_counts;
