-- +goose Up
-- SQLite's 00066 orders its category indexes by creation for the Tickets
-- page (sqlstore/count_split.go); PostgreSQL keeps 00068's covering
-- indexes and its plan. Kept so both databases number their migrations
-- alike.
SELECT 1;

-- +goose Down
SELECT 1;
