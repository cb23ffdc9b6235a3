-- The triage report's reuse rate (issue 13) counts the tickets resolved in
-- some days: an index on when a ticket was resolved, for resolved ones
-- only, keeps that a range read instead of a scan of every ticket.

-- +goose Up
CREATE INDEX tickets_resolved_at ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;

-- +goose Down
DROP INDEX tickets_resolved_at;
