-- +goose Up

-- The dashboard at 10M tickets (issue 17, session 11): five more kinds of
-- ticket_counts (see 00013), so that the dashboard reads counters, not a
-- month of tickets (5.6 s a view at 10M):
--   cohort_h    as cohort, by the UTC hour created (created_at / 3600000000):
--               the parts of days a period begins or ends in
--   promise     incidents by the UTC day created; response is the first
--               response's delay (0 none, 1 within 1 h, 2 within 3 h,
--               3 later: desk.PromiseFastResponse and PromiseResponse),
--               resolution 1 when resolved (resolved_at set)
--   promise_h   the same by the UTC hour created
--   promise_t   resolved incidents by the UTC day created: n sums their
--               times from registration to resolution (microseconds)
--   promise_t_h  the same by the UTC hour created
-- A row's n is now the sum of a value over its tickets (v in the keys:
-- 1, or the time for promise_t and promise_t_h). The keys and the
-- triggers are replaced; the new kinds are filled from every ticket.

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

-- Filled in one pass over the tickets: their keys by hour first, then
-- each new kind from those (a scan a kind would read 10M rows five times).
WITH h AS MATERIALIZED (
	SELECT created_at / 3600000000 AS hour, group_id, restricted,
		CASE WHEN tickets.sla_response_met THEN 1 WHEN NOT tickets.sla_response_met THEN 2 ELSE 0 END AS rm,
		CASE WHEN tickets.sla_resolution_met THEN 1 WHEN NOT tickets.sla_resolution_met THEN 2 ELSE 0 END AS sm,
		type = 'incident' AS incident,
		CASE WHEN tickets.first_response_at IS NULL THEN 0 WHEN tickets.first_response_at - tickets.created_at <= 3600000000 THEN 1 WHEN tickets.first_response_at - tickets.created_at <= 10800000000 THEN 2 ELSE 3 END AS fr,
		CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END AS solved,
		COUNT(*) AS n,
		SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE resolved_at - created_at END) AS t
	FROM tickets
	GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
)
INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
SELECT 'cohort_h', hour, group_id, restricted, 0, '', '', FALSE, rm, sm, 0, SUM(n) FROM h
	GROUP BY hour, group_id, restricted, rm, sm
UNION ALL
SELECT 'promise', hour / 24, group_id, restricted, 0, '', '', FALSE, fr, solved, 0, SUM(n) FROM h WHERE incident
	GROUP BY hour / 24, group_id, restricted, fr, solved
UNION ALL
SELECT 'promise_h', hour, group_id, restricted, 0, '', '', FALSE, fr, solved, 0, SUM(n) FROM h WHERE incident
	GROUP BY hour, group_id, restricted, fr, solved
UNION ALL
SELECT 'promise_t', hour / 24, group_id, restricted, 0, '', '', FALSE, 0, 1, 0, SUM(t) FROM h WHERE incident AND solved = 1
	GROUP BY hour / 24, group_id, restricted
UNION ALL
SELECT 'promise_t_h', hour, group_id, restricted, 0, '', '', FALSE, 0, 1, 0, SUM(t) FROM h WHERE incident AND solved = 1
	GROUP BY hour, group_id, restricted;

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

-- +goose Down

DELETE FROM ticket_counts WHERE kind IN ('cohort_h', 'promise', 'promise_h', 'promise_t', 'promise_t_h');

DROP VIEW ticket_count_keys;

CREATE VIEW ticket_count_keys AS
	SELECT 'open' AS kind, 0 AS day, t.group_id AS group_id, t.restricted AS restricted, t.line AS line, t.state AS state, t.priority AS priority, t.assignee_id IS NULL AS unassigned, 0 AS response, 0 AS resolution, 1 AS v FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'created', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'due', t.sla_due_at / 86400000000, t.group_id, t.restricted, t.line, '', '', FALSE, 0, 0, 1 FROM tickets t WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
	UNION ALL
	SELECT 'cohort', t.created_at / 86400000000, t.group_id, t.restricted, 0, '', '', FALSE, CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END, CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END, 1 FROM tickets t;

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
		SELECT 1, 'open', 0, NEW.group_id, NEW.restricted, NEW.line, NEW.state, NEW.priority, NEW.assignee_id IS NULL, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'created', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'due', NEW.sla_due_at / 86400000000, NEW.group_id, NEW.restricted, NEW.line, '', '', FALSE, 0, 0, 1 WHERE NEW.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 1, 'cohort', NEW.created_at / 86400000000, NEW.group_id, NEW.restricted, 0, '', '', FALSE, CASE WHEN NEW.sla_response_met THEN 1 WHEN NOT NEW.sla_response_met THEN 2 ELSE 0 END, CASE WHEN NEW.sla_resolution_met THEN 1 WHEN NOT NEW.sla_resolution_met THEN 2 ELSE 0 END, 1
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
	) WHERE TRUE
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = n + excluded.n;
END;
-- +goose StatementEnd
