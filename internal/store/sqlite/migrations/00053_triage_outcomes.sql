-- What line 1 did with the triage model's suggestions on the register form
-- (issue 13): one row a field of a ticket registered while the model
-- suggested a value for it, with the value suggested and the value the
-- agent registered, both as the form holds them (the type or level as
-- written, a category, group or service by id; '' for none), whether the
-- agent took the suggestion, the model's version and confidence (per
-- mille), who registered it and when (microseconds). The triage report's
-- acceptance rate per field is read from here.

-- +goose Up
CREATE TABLE triage_outcomes (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	field TEXT NOT NULL CHECK (field IN ('type', 'category', 'group', 'service', 'impact', 'urgency')),
	suggested TEXT NOT NULL,
	chosen TEXT NOT NULL,
	accepted BOOLEAN NOT NULL,
	confidence INTEGER NOT NULL,
	model_version BIGINT NOT NULL,
	agent_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	at BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, field)
);
CREATE INDEX triage_outcomes_at ON triage_outcomes (at);

-- +goose Down
DROP TABLE triage_outcomes;
