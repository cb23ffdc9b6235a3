-- Per-user notification preferences and ticket calls (issue 5, outbound).
--
-- user_preferences holds what a user chose; a missing row or an empty
-- column means the desk's default (language, time zone). muted is the
-- comma-separated list of notification kinds the user turned off; the
-- staff-critical kinds (sla_breached, page) are refused by the desk.
--
-- ticket_calls are the line-2 one-to-one sessions (phone or video) staff
-- schedule with a requester; canceled_at is set when a call is called off,
-- and sequence counts the changes sent as iCalendar SEQUENCE. Times are
-- microseconds; duration is in seconds.

-- +goose Up
CREATE TABLE user_preferences (
	user_id BIGINT PRIMARY KEY REFERENCES users (id),
	language TEXT NOT NULL DEFAULT '',
	time_zone TEXT NOT NULL DEFAULT '',
	muted TEXT NOT NULL DEFAULT '',
	updated_at BIGINT NOT NULL
);

CREATE TABLE ticket_calls (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	start_at BIGINT NOT NULL,
	duration INTEGER NOT NULL,
	kind TEXT NOT NULL,
	phone TEXT NOT NULL DEFAULT '',
	meeting_url TEXT NOT NULL DEFAULT '',
	note TEXT NOT NULL DEFAULT '',
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	canceled_at BIGINT,
	canceled_by BIGINT REFERENCES users (id),
	sequence INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ticket_calls_ticket ON ticket_calls (ticket_id, start_at);

-- +goose Down
DROP TABLE ticket_calls;
DROP TABLE user_preferences;
