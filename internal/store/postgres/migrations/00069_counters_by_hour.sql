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
-- With these, each exact part is at most an hour of tickets. The keys
-- (ticket_count_keys, which the triggers read) are replaced as 00064 left
-- them plus the two kinds, which are filled from the open tickets.

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
		SELECT 'created_h'::TEXT, (t.created_at / 3600000000)::BIGINT, t.group_id, t.restricted, (0)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due'::TEXT, (t.sla_due_at / 86400000000)::BIGINT, t.group_id, t.restricted, (t.line)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
		UNION ALL
		SELECT 'due_h'::TEXT, (t.sla_due_at / 3600000000)::BIGINT, t.group_id, t.restricted, (t.line)::INTEGER, ('')::TEXT, ('')::TEXT, FALSE, (0)::SMALLINT, (0)::SMALLINT, (1)::BIGINT WHERE t.state IN ('new', 'assigned', 'in_progress', 'on_hold')
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

INSERT INTO ticket_counts (kind, day, group_id, restricted, line, state, priority, unassigned, response, resolution, slot, n)
SELECT 'due_h', sla_due_at / 3600000000, group_id, restricted, line, '', '', FALSE, 0, 0, 0, COUNT(*)
FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
GROUP BY sla_due_at / 3600000000, group_id, restricted, line
UNION ALL
SELECT 'created_h', created_at / 3600000000, group_id, restricted, 0, '', '', FALSE, 0, 0, 0, COUNT(*)
FROM tickets WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold')
GROUP BY created_at / 3600000000, group_id, restricted;

-- +goose Down

DELETE FROM ticket_counts WHERE kind IN ('due_h', 'created_h');

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
