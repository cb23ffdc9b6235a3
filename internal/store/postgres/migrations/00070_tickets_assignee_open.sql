-- +goose Up
-- The Tickets page of one agent's open tickets (the filter "assignee" with
-- "any open state") in the page's order, as SQLite's 00070 (issue 17,
-- session 12): by creation and by last change, each page walks one of
-- these partial indexes and stops at its size, in either direction, instead
-- of reading every open ticket of the agent and sorting them (or walking
-- the whole desk by creation for them); by priority and by deadline the
-- queue's indexes (00001, 00012) already do. Partial on the open states,
-- so they stay as small as the open tickets.
CREATE INDEX tickets_assignee_open_created ON tickets (assignee_id, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_assignee_open_updated ON tickets (assignee_id, updated_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');

-- +goose Down
DROP INDEX tickets_assignee_open_updated;
DROP INDEX tickets_assignee_open_created;
