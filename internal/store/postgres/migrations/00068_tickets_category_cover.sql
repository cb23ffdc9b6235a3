-- +goose Up
-- The Tickets page's category filter, (category_id = $1 OR subcategory_id
-- = $1), at 1M tickets and more (issue 17, session 11): PostgreSQL read
-- the OR through a BitmapOr, and a bitmap is built whole before the first
-- row is counted, so the capped count read every ticket of the category
-- (33,000 index entries and 850 heap pages for a subcategory at 1M, ten
-- times the entries at 10M) to stop at 1,001. The store now counts it as
-- two disjoint branches (sqlstore/count_split.go), and these indexes,
-- replacing the plain ones of 00001, carry the id and the visibility
-- rule's columns, so that each branch is an index-only scan that stops at
-- the cap on pages autovacuum has marked all-visible: 45 ms -> 0.5 ms for
-- the same count in psql at load 20. Each takes about as long to build as
-- 00067's (2.9 s at 1M, 42 s on a 10M-row copy of the tickets).
DROP INDEX tickets_category;
CREATE INDEX tickets_category ON tickets (category_id, id) INCLUDE (subcategory_id, group_id, restricted, security);
DROP INDEX tickets_subcategory;
CREATE INDEX tickets_subcategory ON tickets (subcategory_id, id) INCLUDE (category_id, group_id, restricted, security);

-- +goose Down
DROP INDEX tickets_subcategory;
CREATE INDEX tickets_subcategory ON tickets (subcategory_id);
DROP INDEX tickets_category;
CREATE INDEX tickets_category ON tickets (category_id);
