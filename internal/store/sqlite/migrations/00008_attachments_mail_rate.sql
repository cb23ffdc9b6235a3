-- Files attached to tickets, by e-mail (inbound attachments and inline
-- images) or uploaded through the API. The content lives in the database,
-- so that every instance serves it (instances keep nothing on disk). Each
-- row belongs to the ticket event it came with; public copies that event's
-- visibility, so that a work note's files are never shown to requesters.
-- sha256 is the hex digest of content; size its length in bytes.
--
-- mail_rate counts the new tickets each sender address opened by e-mail in
-- fixed windows (window_start in microseconds), shared by every instance;
-- the limit is checked against this window and a weighted share of the
-- previous one. Old windows are deleted as new ones are written.

-- +goose Up
CREATE TABLE attachments (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	event_id BIGINT NOT NULL REFERENCES events (id),
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	inline BOOLEAN NOT NULL,
	content_id TEXT NOT NULL,
	public BOOLEAN NOT NULL,
	uploaded_by BIGINT REFERENCES users (id),
	created_at BIGINT NOT NULL,
	content BLOB NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id, id);
CREATE INDEX attachments_event ON attachments (event_id);

CREATE TABLE mail_rate (
	sender TEXT NOT NULL,
	window_start BIGINT NOT NULL,
	count INTEGER NOT NULL,
	PRIMARY KEY (sender, window_start)
);
CREATE INDEX mail_rate_window ON mail_rate (window_start);

-- +goose Down
DROP TABLE mail_rate;
DROP TABLE attachments;
