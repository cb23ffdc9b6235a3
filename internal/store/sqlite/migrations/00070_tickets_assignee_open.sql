-- +goose Up
-- The Tickets page of one agent's open tickets (the filter "assignee" with
-- "any open state"), newest first or by last change: the agent's open
-- tickets were read through the queue's index (by deadline) and sorted,
-- every one of them, for each page (167 ms a page at 10M tickets, issue 17,
-- session 12). These partial indexes hold the open tickets of each
-- assignee in the page's orders, so a page walks one and stops at its
-- size; by priority and by deadline the queue's indexes (00001, 00012)
-- already do. Partial on the open states as the other queue indexes, so
-- they stay as small as the open tickets.
CREATE INDEX tickets_assignee_open_created ON tickets (assignee_id, created_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_assignee_open_updated ON tickets (assignee_id, updated_at, id)
	WHERE state IN ('new', 'assigned', 'in_progress', 'on_hold');
ANALYZE tickets_assignee_open_created;
ANALYZE tickets_assignee_open_updated;

-- +goose Down
DROP INDEX tickets_assignee_open_updated;
DROP INDEX tickets_assignee_open_created;
