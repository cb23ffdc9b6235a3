-- +goose Up
-- SQLite's migration 00073 sets how its full-text index is merged in the
-- background; a GIN index has no segments. This migration keeps the two
-- databases' migrations alike (a copy between them needs the same set).
SELECT 1;

-- +goose Down
SELECT 1;
