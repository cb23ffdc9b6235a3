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

DROP FUNCTION ticket_count_keys(tickets);

-- +goose StatementBegin
CREATE FUNCTION ticket_count_keys(t tickets)
RETURNS TABLE (kind TEXT, day BIGINT, group_id BIGINT, restricted BOOLEAN, line INTEGER, state TEXT,
	priority TEXT, unassigned BOOLEAN, response SMALLINT, resolution SMALLINT, v BIGINT, slot SMALLINT)
LANGUAGE sql IMMUTABLE AS $$
	SELECT k.*, (CASE WHEN k.kind = 'open' THEN t.id % 16 ELSE 0 END)::SMALLINT FROM (
		SELECT 'open'::TEXT AS kind, (0)::BIGINT AS day, t.group_id AS group_id, t.restricted AS restricted, (t.line)::INTEGER AS line, (t.state)::TEXT AS state, (t.priority)::TEXT AS priority, t.assignee_id IS NULL AS unassigned, (0)::SMALLINT AS response, (0)::SMALLINT AS resolution, (1)::BIGINT AS v WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due'::TEXT, (t.sla_due_at / 86400000000)::BIGINT, t.group_id, t.restricted, (t.line)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END)::SMALLINT, (CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END)::SMALLINT, (1)::BIGINT WHERE t.id IS NOT NULL -- (without a WHERE here, PostgreSQL 15 fails to plan the inlined function)
		UNION ALL
		SELECT 'cohort_h'::TEXT, (t.created_at / 3600000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END)::SMALLINT, (CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END)::SMALLINT, (1)::BIGINT WHERE t.id IS NOT NULL -- (without a WHERE here, PostgreSQL 15 fails to plan the inlined function)
		UNION ALL
		SELECT 'promise'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END)::SMALLINT, (CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END)::SMALLINT, (1)::BIGINT WHERE t.type = 'incident'
		UNION ALL
		SELECT 'promise_h'::TEXT, (t.created_at / 3600000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (CASE WHEN t.first_response_at IS NULL THEN 0 WHEN t.first_response_at - t.created_at <= 3600000000 THEN 1 WHEN t.first_response_at - t.created_at <= 10800000000 THEN 2 ELSE 3 END)::SMALLINT, (CASE WHEN t.resolved_at IS NULL THEN 0 ELSE 1 END)::SMALLINT, (1)::BIGINT WHERE t.type = 'incident'
		UNION ALL
		SELECT 'promise_t'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (1)::SMALLINT, (t.resolved_at - t.created_at)::BIGINT WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL
		UNION ALL
		SELECT 'promise_t_h'::TEXT, (t.created_at / 3600000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (1)::SMALLINT, (t.resolved_at - t.created_at)::BIGINT WHERE t.type = 'incident' AND t.resolved_at IS NOT NULL
	) k
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT w.*, 1 AS sign FROM new_rows t, LATERAL ticket_count_keys(t) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT o.*, -1 AS sign FROM old_rows t, LATERAL ticket_count_keys(t) o) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT o.*, -1 AS sign FROM ticket_count_keys(OLD) o
		UNION ALL SELECT w.*, 1 FROM ticket_count_keys(NEW) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER ticket_counts_update ON tickets;
CREATE TRIGGER ticket_counts_update AFTER UPDATE ON tickets FOR EACH ROW
	WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.line IS DISTINCT FROM NEW.line
		OR OLD.restricted IS DISTINCT FROM NEW.restricted
		OR (OLD.assignee_id IS NULL) IS DISTINCT FROM (NEW.assignee_id IS NULL)
		OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.sla_due_at IS DISTINCT FROM NEW.sla_due_at
		OR OLD.sla_response_met IS DISTINCT FROM NEW.sla_response_met
		OR OLD.sla_resolution_met IS DISTINCT FROM NEW.sla_resolution_met
		OR OLD.type IS DISTINCT FROM NEW.type OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at
		OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at)
	EXECUTE FUNCTION ticket_counts_update();

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

-- +goose Down

DELETE FROM ticket_counts WHERE kind IN ('cohort_h', 'promise', 'promise_h', 'promise_t', 'promise_t_h');

DROP FUNCTION ticket_count_keys(tickets);

-- +goose StatementBegin
CREATE FUNCTION ticket_count_keys(t tickets)
RETURNS TABLE (kind TEXT, day BIGINT, group_id BIGINT, restricted BOOLEAN, line INTEGER, state TEXT,
	priority TEXT, unassigned BOOLEAN, response SMALLINT, resolution SMALLINT, v BIGINT, slot SMALLINT)
LANGUAGE sql IMMUTABLE AS $$
	SELECT k.*, (CASE WHEN k.kind = 'open' THEN t.id % 16 ELSE 0 END)::SMALLINT FROM (
		SELECT 'open'::TEXT AS kind, (0)::BIGINT AS day, t.group_id AS group_id, t.restricted AS restricted, (t.line)::INTEGER AS line, (t.state)::TEXT AS state, (t.priority)::TEXT AS priority, t.assignee_id IS NULL AS unassigned, (0)::SMALLINT AS response, (0)::SMALLINT AS resolution, (1)::BIGINT AS v WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'created'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due'::TEXT, (t.sla_due_at / 86400000000)::BIGINT, t.group_id, t.restricted, (t.line)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'cohort'::TEXT, (t.created_at / 86400000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (CASE WHEN t.sla_response_met THEN 1 WHEN NOT t.sla_response_met THEN 2 ELSE 0 END)::SMALLINT, (CASE WHEN t.sla_resolution_met THEN 1 WHEN NOT t.sla_resolution_met THEN 2 ELSE 0 END)::SMALLINT, (1)::BIGINT WHERE t.id IS NOT NULL -- (without a WHERE here, PostgreSQL 15 fails to plan the inlined function)
	) k
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT w.*, 1 AS sign FROM new_rows t, LATERAL ticket_count_keys(t) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT o.*, -1 AS sign FROM old_rows t, LATERAL ticket_count_keys(t) o) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION ticket_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ticket_counts AS c (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
	SELECT k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot, SUM(k.sign * k.v)
	FROM (SELECT o.*, -1 AS sign FROM ticket_count_keys(OLD) o
		UNION ALL SELECT w.*, 1 FROM ticket_count_keys(NEW) w) k
	GROUP BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	HAVING SUM(k.sign * k.v) <> 0
	ORDER BY k.kind, k.day, k.group_id, k.restricted, k.line, k.state, k.priority, k.unassigned, k.response, k.resolution, k.slot
	ON CONFLICT (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot)
	DO UPDATE SET n = c.n + EXCLUDED.n;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

DROP TRIGGER ticket_counts_update ON tickets;
CREATE TRIGGER ticket_counts_update AFTER UPDATE ON tickets FOR EACH ROW
	WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.priority IS DISTINCT FROM NEW.priority
		OR OLD.group_id IS DISTINCT FROM NEW.group_id OR OLD.line IS DISTINCT FROM NEW.line
		OR OLD.restricted IS DISTINCT FROM NEW.restricted
		OR (OLD.assignee_id IS NULL) IS DISTINCT FROM (NEW.assignee_id IS NULL)
		OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.sla_due_at IS DISTINCT FROM NEW.sla_due_at
		OR OLD.sla_response_met IS DISTINCT FROM NEW.sla_response_met
		OR OLD.sla_resolution_met IS DISTINCT FROM NEW.sla_resolution_met
		OR OLD.type IS DISTINCT FROM NEW.type OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at
		OR OLD.resolved_at IS DISTINCT FROM NEW.resolved_at)
	EXECUTE FUNCTION ticket_counts_update();
