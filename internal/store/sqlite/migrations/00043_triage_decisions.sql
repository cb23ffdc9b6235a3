-- Automatic triage where it acts (issue 13). triage_settings is the one
-- row of what administrators set: the confidence (per cent, 0 = never)
-- above which a suggestion is applied by itself to a ticket from e-mail,
-- alerts or the portal, how often the model is retrained (microseconds),
-- when a retraining was asked for, and the lease of the instance training
-- now. triage_decisions are the fields the desk set itself, one row a
-- field of a ticket: the model's version and confidence (per mille), and
-- whether a person later confirmed it or corrected it to another value.
-- A field decided by the desk and neither confirmed nor corrected is never
-- trained on. Times are microseconds.

-- +goose Up
CREATE TABLE triage_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	auto_percent INTEGER NOT NULL DEFAULT 90 CHECK (auto_percent BETWEEN 0 AND 100),
	retrain_every BIGINT NOT NULL DEFAULT 86400000000,
	train_requested_at BIGINT,
	train_requested_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	claimed_until BIGINT NOT NULL DEFAULT 0,
	last_attempt_at BIGINT,
	last_error TEXT NOT NULL DEFAULT ''
);
INSERT INTO triage_settings (id) VALUES (1);

CREATE TABLE triage_decisions (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	field TEXT NOT NULL CHECK (field IN ('type', 'category', 'group', 'service')),
	value TEXT NOT NULL,
	confidence INTEGER NOT NULL,
	model_version BIGINT NOT NULL,
	decided_at BIGINT NOT NULL,
	confirmed_at BIGINT,
	confirmed_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	corrected_at BIGINT,
	corrected_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	corrected_to TEXT,
	PRIMARY KEY (ticket_id, field)
);
CREATE INDEX triage_decisions_decided ON triage_decisions (decided_at);

-- +goose Down
DROP TABLE triage_decisions;
DROP TABLE triage_settings;
