-- +goose Up
-- Two filters of the Tickets page that read most of the table at 10M
-- tickets (issue 17, session 11): P1 (any state) newest first had no index
-- by priority, so its capped count scanned the table for P1 rows and its
-- page walked every ticket by creation for them (503 ms, 454 ms of CPU);
-- held tickets newest first read every held ticket through the on-hold
-- queue's index (by group and deadline) and sorted them (3 s). The first
-- index serves any priority by creation, the second the held tickets by
-- creation; the queue keeps its own. Both are analysed at once, as 00063's.
CREATE INDEX tickets_priority_created ON tickets (priority, created_at, id);
CREATE INDEX tickets_on_hold_created ON tickets (created_at, id) WHERE state = 'on_hold';
ANALYZE tickets_priority_created;
ANALYZE tickets_on_hold_created;

-- +goose Down
DROP INDEX tickets_on_hold_created;
DROP INDEX tickets_priority_created;
