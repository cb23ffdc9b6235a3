-- +goose Up
-- PostgreSQL's 00068 makes its category indexes covering (the Tickets
-- page's count by category, issue 17); SQLite's plans are helper read's
-- (session 11), so this number is empty here and keeps both databases'
-- migrations numbered alike.
SELECT 1;

-- +goose Down
SELECT 1;
