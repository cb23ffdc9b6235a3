-- +goose Up

-- The console's and dashboard's counts at 10M tickets just after midnight
-- UTC (issue 17, session 12): two more kinds of ticket_counts (see 00013
-- and 00064), by the UTC hour (a time / 3600000000), of open tickets only:
--   due_h       by the hour of their next SLA deadline, group, restriction
--               and line (as due by day)
--   created_h   by the hour created, group and restriction (as created)
-- The open tickets not yet due were the counters of the days after today
-- plus the rest of the current UTC day counted ticket by ticket, and each
-- backlog age bound (now - 1, 3, 7, 30 days) the same for the rest of the
-- bound's day: so the console and the dashboard cost most just after
-- midnight (11,917 tickets read for the due count alone at 00:04 on a 10M
-- desk: the SQLite console's counts 27 ms at 00:03 against 4 ms at 23:25).
-- With these, each exact part is at most an hour of tickets. The keys and
-- the triggers are replaced as 00064 left them plus the two kinds, which
-- are filled from the open tickets.

DROP VIEW ticket_count_keys;

CREATE VIEW ticket_count_keys AS
	SELECT 'open' AS kind, 0 AS day, t.group_id AS group_id, t.restricted AS restricted, t.line AS line, t.state AS state, t.priority AS priority, t.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'created', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'created_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'due', t.sla_due_at / 86400000000, t.group_id, t.restricted, t.line, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'due_h', t.sla_due_at / 3600000000, t.group_id, t.restricted, t.line, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'cohort', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END, CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END, 1 FROM tickets t
	UNION ALL
	SELECT 'cohort_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END, CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END, 1 FROM tickets t
	UNION ALL
	SELECT 'promise', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END, 1 FROM tickets t WHERE t.type = 'incident'
	UNION ALL
	SELECT 'promise_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END, 1 FROM tickets t WHERE t.type = 'incident'
	UNION ALL
	SELECT 'promise_t', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 1, t.resolved_at - t.created_at FROM tickets t WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL
	UNION ALL
	SELECT 'promise_t_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 1, t.resolved_at - t.created_at FROM tickets t WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL;

INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
SELECT 'due_h', sla_due_at / 3600000000, group_id, restricted, line, '', '', FALSE, 0, 0, 0, COUNT(*)
FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
GROUP BY sla_due_at / 3600000000, group_id, restricted, line
UNION ALL
SELECT 'created_h', created_at / 3600000000, group_id, restricted, 0, '', '', FALSE, 0, 0, 0, COUNT(*)
FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
GROUP BY created_at / 3600000000, group_id, restricted;

DROP TRIGGER ticket_counts_insert;

DROP TRIGGER ticket_counts_update;

DROP TRIGGER ticket_counts_delete;

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, v FROM (
		SELECT 'open' AS kind, 0 AS day, NEW.group_id AS group_id, NEW.restricted AS restricted, NEW.line AS line, NEW.state AS state, NEW.priority AS priority, NEW.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due_h', NEW.sla_due_at / 3600000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'cohort_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'promise', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 'promise_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 'promise_t', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
		UNION ALL
		SELECT 'promise_t_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
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
	OR OLD.sla_resolution_met IS NOT NEW.sla_resolution_met OR OLD.type IS NOT NEW.type
	OR OLD.first_response_at IS NOT NEW.first_response_at OR OLD.resolved_at IS NOT NEW.resolved_at
BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, SUM(sign * v) FROM (
		SELECT -1 AS sign, 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line, OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'created_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'due_h', OLD.sla_due_at / 3600000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT -1, 'cohort_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT -1, 'promise', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT -1, 'promise_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT -1, 'promise_t', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT -1, 'promise_t_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT 1, 'open', 0, NEW.group_id, NEW.restricted, NEW.line, NEW.state, NEW.priority, NEW.assignee_id IS NULL, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'created_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'due_h', NEW.sla_due_at / 3600000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 1, 'cohort_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 1, 'promise', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 1, 'promise_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 1, 'promise_t', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
		UNION ALL
		SELECT 1, 'promise_t_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
	) WHERE TRUE
	GROUP BY kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution
	HAVING SUM(sign * v) <> 0
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, -v FROM (
		SELECT 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line, OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due_h', OLD.sla_due_at / 3600000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'cohort_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'promise', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT 'promise_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT 'promise_t', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT 'promise_t_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
	) WHERE TRUE
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose Down

DELETE FROM ticket_counts WHERE kind IN ('due_h', 'created_h');

DROP VIEW ticket_count_keys;

CREATE VIEW ticket_count_keys AS
	SELECT 'open' AS kind, 0 AS day, t.group_id AS group_id, t.restricted AS restricted, t.line AS line, t.state AS state, t.priority AS priority, t.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'created', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'due', t.sla_due_at / 86400000000, t.group_id, t.restricted, t.line, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'cohort', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END, CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END, 1 FROM tickets t
	UNION ALL
	SELECT 'cohort_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END, CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END, 1 FROM tickets t
	UNION ALL
	SELECT 'promise', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END, 1 FROM tickets t WHERE t.type = 'incident'
	UNION ALL
	SELECT 'promise_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END, 1 FROM tickets t WHERE t.type = 'incident'
	UNION ALL
	SELECT 'promise_t', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 1, t.resolved_at - t.created_at FROM tickets t WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL
	UNION ALL
	SELECT 'promise_t_h', t.created_at / 3600000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 1, t.resolved_at - t.created_at FROM tickets t WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL;

DROP TRIGGER ticket_counts_insert;

DROP TRIGGER ticket_counts_update;

DROP TRIGGER ticket_counts_delete;

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_insert AFTER INSERT ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, v FROM (
		SELECT 'open' AS kind, 0 AS day, NEW.group_id AS group_id, NEW.restricted AS restricted, NEW.line AS line, NEW.state AS state, NEW.priority AS priority, NEW.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'cohort_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'promise', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 'promise_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 'promise_t', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
		UNION ALL
		SELECT 'promise_t_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
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
	OR OLD.sla_resolution_met IS NOT NEW.sla_resolution_met OR OLD.type IS NOT NEW.type
	OR OLD.first_response_at IS NOT NEW.first_response_at OR OLD.resolved_at IS NOT NEW.resolved_at
BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, SUM(sign * v) FROM (
		SELECT -1 AS sign, 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line, OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT -1, 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT -1, 'cohort_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT -1, 'promise', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT -1, 'promise_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT -1, 'promise_t', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT -1, 'promise_t_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT 1, 'open', 0, NEW.group_id, NEW.restricted, NEW.line, NEW.state, NEW.priority, NEW.assignee_id IS NULL, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 1, 'cohort_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 1, 'promise', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 1, 'promise_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.first_response_at IS NULL THEN 0 WHEN NEW.first_response_at - NEW.created_at <= 3600000000 THEN 1 WHEN NEW.first_response_at - NEW.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN NEW.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE NEW.type = 'incident'
		UNION ALL
		SELECT 1, 'promise_t', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
		UNION ALL
		SELECT 1, 'promise_t_h', NEW.created_at / 3600000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 1, NEW.resolved_at - NEW.created_at WHERE NEW.type = 'incident' AND NEW.resolved_at IS NOT NULL
	) WHERE TRUE
	GROUP BY kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution
	HAVING SUM(sign * v) <> 0
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER ticket_counts_delete AFTER DELETE ON tickets BEGIN
	INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, 0, -v FROM (
		SELECT 'open' AS kind, 0 AS day, OLD.group_id AS group_id, OLD.restricted AS restricted, OLD.line AS line, OLD.state AS state, OLD.priority AS priority, OLD.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due', OLD.sla_due_at / 86400000000, OLD.group_id, OLD.restricted, OLD.line, '', '', FALSE, 0, 0, 1 WHERE OLD.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'cohort_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.sla_response_met THEN 1 WHEN NOT OLD.sla_response_met THEN 2 ELSE 0 END, CASE WHEN OLD.sla_resolution_met THEN 1 WHEN NOT OLD.sla_resolution_met THEN 2 ELSE 0 END, 1
		UNION ALL
		SELECT 'promise', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT 'promise_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, CASE WHEN OLD.first_response_at IS NULL THEN 0 WHEN OLD.first_response_at - OLD.created_at <= 3600000000 THEN 1 WHEN OLD.first_response_at - OLD.created_at <= 10800000000 THEN 2 ELSE 3 END, CASE WHEN OLD.resolved_at IS NULL THEN 0 ELSE 1 END, 1 WHERE OLD.type = 'incident'
		UNION ALL
		SELECT 'promise_t', OLD.created_at / 86400000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
		UNION ALL
		SELECT 'promise_t_h', OLD.created_at / 3600000000, OLD.group_id, OLD.restricted, 0, '', '', FALSE, 0, 1, OLD.resolved_at - OLD.created_at WHERE OLD.type = 'incident' AND OLD.resolved_at IS NOT NULL
	) WHERE TRUE
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
