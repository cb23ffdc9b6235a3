-- +goose Up
-- The staff, in id order: the staff lists (the Tickets page's assignee
-- filter, the major incident's commander, the knowledge editors) asked for
-- the agents, managers and administrators and, with no index that finds
-- them, read the whole users table on every page view once a desk had more
-- requesters than the page's limit of staff (10,000 requesters: every row,
-- 16 % of the Tickets page's server time). An index on (role, id) does not
-- help once analysed: SQLite's statistics average the roles, so the
-- planner guesses half the table a role and scans by id. This one holds
-- only the staff, few rows whatever the desk's size; ListUsers asks for it
-- with the same term (role <> 'requester') when no requester is wanted.
CREATE INDEX users_staff ON users (id) WHERE role <> 'requester';

-- +goose Down
DROP INDEX users_staff;
