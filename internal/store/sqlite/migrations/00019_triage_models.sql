-- The triage model (internal/triage): learnt from the desk's own resolved
-- and closed tickets, one row per training. The newest version is the one
-- in use, so every instance suggests with the same model. summary is JSON:
-- per field, the labels, the tickets trained on and held back, and the
-- accuracy measured on the held-back ones. Times are microseconds.

-- +goose Up
CREATE TABLE triage_models (
	version BIGINT PRIMARY KEY,
	trained_at BIGINT NOT NULL,
	model BLOB NOT NULL,
	summary TEXT NOT NULL
);

-- +goose Down
DROP TABLE triage_models;
