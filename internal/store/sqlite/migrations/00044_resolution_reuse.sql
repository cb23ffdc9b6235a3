-- "Use this resolution" (issue 13): a resolved ticket's resolution copied
-- into another ticket's reply or resolution, with the one it came from,
-- counted like an article's reuse. Times are microseconds.

-- +goose Up
CREATE TABLE resolution_reuses (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	source_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	used_at BIGINT NOT NULL,
	used_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	PRIMARY KEY (ticket_id, source_id)
);
CREATE INDEX resolution_reuses_source ON resolution_reuses (source_id);
CREATE INDEX resolution_reuses_used ON resolution_reuses (used_at);

-- +goose Down
DROP TABLE resolution_reuses;
