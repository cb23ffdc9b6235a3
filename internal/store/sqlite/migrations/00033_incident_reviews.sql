-- Post-incident reviews (issue 15): one per major incident, prefilled when
-- it is resolved; components and the timeline are JSON; action items are
-- tracked until done and may become tickets. Times are microseconds;
-- due_on is the due date's midnight UTC.

-- +goose Up
CREATE TABLE incident_reviews (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	major_id BIGINT NOT NULL UNIQUE REFERENCES major_incidents (id) ON DELETE CASCADE,
	state TEXT NOT NULL,
	summary TEXT NOT NULL,
	components TEXT NOT NULL DEFAULT '[]',
	duration_seconds BIGINT NOT NULL,
	children INTEGER NOT NULL,
	requesters INTEGER NOT NULL,
	detected_by TEXT NOT NULL,
	declare_seconds BIGINT NOT NULL,
	timeline TEXT NOT NULL DEFAULT '[]',
	causes TEXT NOT NULL DEFAULT '',
	went_well TEXT NOT NULL DEFAULT '',
	went_badly TEXT NOT NULL DEFAULT '',
	created_at BIGINT NOT NULL,
	published_at BIGINT,
	version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE review_action_items (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	review_id BIGINT NOT NULL REFERENCES incident_reviews (id) ON DELETE CASCADE,
	text TEXT NOT NULL,
	owner_id BIGINT NOT NULL REFERENCES users (id),
	due_on BIGINT NOT NULL,
	done_at BIGINT,
	ticket_id BIGINT REFERENCES tickets (id) ON DELETE SET NULL
);
CREATE INDEX review_action_items_open ON review_action_items (due_on) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE review_action_items;
DROP TABLE incident_reviews;
