-- +goose Up
-- Two lists that read most of the table at 10M tickets (issue 17): the
-- on-hold queue (held tickets of the agent's groups by SLA deadline) and
-- the Tickets page of open tickets by priority (every open ticket sorted).
-- The first index holds only the held tickets; the second the open ones
-- in the page's order.
CREATE INDEX tickets_on_hold_sla ON tickets (group_id, sla_due_at, id) WHERE state = 'on_hold';
CREATE INDEX tickets_open_priority ON tickets (priority, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');

-- +goose Down
DROP INDEX tickets_open_priority;
DROP INDEX tickets_on_hold_sla;
