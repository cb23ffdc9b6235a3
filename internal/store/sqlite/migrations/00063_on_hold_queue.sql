-- +goose Up
-- Two lists that read most of the table at 10M tickets (issue 17):
-- the on-hold queue (the console's "On hold": held tickets of the agent's
-- groups by SLA deadline) walked the open tickets in deadline order looking
-- for the held ones, or the whole table (15 s a page view); and the
-- Tickets page of open tickets by priority sorted every open ticket (1.7M
-- rows, 13.7 s). The first index holds only the held tickets; the second
-- the open ones in the page's order. Both are analysed at once: without
-- statistics SQLite's planner kept its old plans for the counts.
CREATE INDEX tickets_on_hold_sla ON tickets (group_id, sla_due_at, id) WHERE state = 'on_hold';
CREATE INDEX tickets_open_priority ON tickets (priority, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
ANALYZE tickets_on_hold_sla;
ANALYZE tickets_open_priority;

-- +goose Down
DROP INDEX tickets_open_priority;
DROP INDEX tickets_on_hold_sla;
