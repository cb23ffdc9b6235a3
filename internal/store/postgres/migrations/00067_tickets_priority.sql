-- +goose Up
-- The Tickets page filtered by priority at 1M tickets and more (issue 17,
-- session 11): no index held the tickets of every state by priority, so
-- the page's capped count read the table from its start until it had
-- 1,001 matches (P1, 1.5 % of the tickets: 68,000 rows, 96 ms at 1M on a
-- busy machine; with the cap at 10,000, 680,000 rows and 496 ms), and the
-- list walked the creation index filtering by priority. This index holds
-- them in the page's order by creation, and carries the columns of the
-- visibility rule (group, restricted, security case) so that, on pages
-- that autovacuum has marked all-visible, the count reads the index alone
-- (0.4 ms for the same count). Building it took 2.9 s at 1M tickets and
-- 42 s on a 10M-row copy of the tickets (561 MB; load 21, docs/
-- benchmarks.md). SQLite is left as it is (00067 there is empty).
CREATE INDEX tickets_priority ON tickets (priority, created_at, id) INCLUDE (group_id, restricted, security);

-- +goose Down
DROP INDEX tickets_priority;
