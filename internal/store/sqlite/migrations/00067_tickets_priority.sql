-- +goose Up
-- PostgreSQL's 00067 adds an index of the tickets by priority (the Tickets
-- page's count by priority, issue 17); SQLite's plans are helper read's
-- (session 11), so this number is empty here and keeps both databases'
-- migrations numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
