-- +goose Up
-- The Tickets page's held tickets newest first read every held ticket
-- through the on-hold queue's index (by group and deadline) and sorted
-- them (issue 17, session 11, measured on SQLite at 10M: 3 s). This index
-- serves them in the page's order. (SQLite's 00065 also adds an index by
-- priority and creation; PostgreSQL has its own, tickets_priority, from
-- 00067.)
CREATE INDEX tickets_on_hold_created ON tickets (created_at, id) WHERE state = 'on_hold';

-- +goose Down
DROP INDEX tickets_on_hold_created;
