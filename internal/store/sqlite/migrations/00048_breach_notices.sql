-- +goose Up
-- Notification records of security cases (issue 14, internal/breach
-- notice.go, desk/breach_notices.go): one row per version of a notice to
-- a regulator, the data subjects or partners. A draft is updated in place
-- (rev); a sent one (state 'sent', or 'not_notified' for the decision not
-- to notify the data subjects) is never changed again: a correction is a
-- new row of the same series. supplements names the first notice a
-- phased one follows. Times are unix microseconds.
CREATE TABLE breach_notices (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	lang TEXT NOT NULL,
	series BIGINT NOT NULL,
	version INTEGER NOT NULL,
	supplements BIGINT REFERENCES breach_notices (id),
	content TEXT NOT NULL,
	state TEXT NOT NULL CHECK (state IN ('draft', 'sent', 'not_notified')),
	sent_at BIGINT,
	sent_by BIGINT REFERENCES users (id),
	via TEXT NOT NULL,
	reference TEXT NOT NULL,
	delay_reasons TEXT NOT NULL,
	not_notify_ground TEXT NOT NULL,
	not_notify_reason TEXT NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	rev INTEGER NOT NULL,
	UNIQUE (series, version)
);
CREATE INDEX breach_notices_ticket ON breach_notices (ticket_id, id);

-- +goose Down
DROP TABLE breach_notices;
