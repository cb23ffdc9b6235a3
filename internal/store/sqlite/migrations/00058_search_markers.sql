-- +goose Up
-- PostgreSQL's search documents gained markers of their ticket's id range
-- (its migration 00058); SQLite's FTS5 index reads a match list newest
-- first without them. This migration keeps the two databases' migrations
-- alike (a copy between them needs the same set).
SELECT 1;

-- +goose Down
SELECT 1;
