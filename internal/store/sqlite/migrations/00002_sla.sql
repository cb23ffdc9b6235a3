-- SLA policies and business calendars. Durations are whole minutes; list
-- columns are JSON arrays; a calendar's week and holidays are the JSON of
-- desk.CalendarDoc.

-- +goose Up
CREATE TABLE calendars (
	name TEXT PRIMARY KEY,
	zone TEXT NOT NULL,
	week TEXT NOT NULL,
	holidays TEXT NOT NULL
);

CREATE TABLE sla_policies (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	position INTEGER NOT NULL,
	types TEXT NOT NULL,
	priorities TEXT NOT NULL,
	service_ids TEXT NOT NULL,
	calendar TEXT NOT NULL,
	response_minutes INTEGER NOT NULL,
	resolution_minutes INTEGER NOT NULL,
	next_update_minutes INTEGER NOT NULL,
	pause_on TEXT NOT NULL,
	active BOOLEAN NOT NULL
);

INSERT INTO calendars (name, zone, week, holidays) VALUES ('business', 'UTC',
	'{"monday":"09:00-18:00","tuesday":"09:00-18:00","wednesday":"09:00-18:00","thursday":"09:00-18:00","friday":"09:00-18:00"}',
	'[]');

-- The support policy of a fresh installation: incidents P1 15 min / 4 h
-- round the clock; P2 1 h / 8 h, P3 3 h / 24 h, P4 3 h / 72 h and requests
-- 3 h / 5 business days (45 h) on business hours.
INSERT INTO sla_policies (name, position, types, priorities, service_ids, calendar, response_minutes,
	resolution_minutes, next_update_minutes, pause_on, active) VALUES
	('P1 incidents', 10, '["incident"]', '["P1"]', '[]', '24x7', 15, 240, 0, '["awaiting_requester"]', 1),
	('P2 incidents', 20, '["incident"]', '["P2"]', '[]', 'business', 60, 480, 0, '["awaiting_requester"]', 1),
	('P3 incidents', 30, '["incident"]', '["P3"]', '[]', 'business', 180, 1440, 0, '["awaiting_requester"]', 1),
	('P4 incidents', 40, '["incident"]', '["P4"]', '[]', 'business', 180, 4320, 0, '["awaiting_requester"]', 1),
	('Service requests', 50, '["request"]', '[]', '[]', 'business', 180, 2700, 0, '["awaiting_requester"]', 1);

-- +goose Down
DROP TABLE sla_policies;
DROP TABLE calendars;
