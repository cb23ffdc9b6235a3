-- Line-1 diagnosis checklists (issue 12, internal/diagnosis): the ordered
-- questions of a category, or of a category and a service (service_id 0
-- in scope_service: any service), items as JSON [{question: {en, ru},
-- kind}]; the answers recorded on a ticket, each with its questions as
-- asked and the timeline entry (an internal event) that shows it; and the
-- one row of what escalating an unanswered ticket takes (warn or require).

-- +goose Up
CREATE TABLE diagnosis_checklists (
	id INTEGER PRIMARY KEY,
	category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
	service_id BIGINT REFERENCES services (id) ON DELETE CASCADE,
	scope_service BIGINT NOT NULL,
	items TEXT NOT NULL,
	version INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX diagnosis_checklists_scope ON diagnosis_checklists (category_id, scope_service);

CREATE TABLE ticket_diagnoses (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	checklist_id BIGINT REFERENCES diagnosis_checklists (id) ON DELETE SET NULL,
	checklist_version INTEGER NOT NULL,
	event_id BIGINT NOT NULL,
	answers TEXT NOT NULL,
	answered_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	answered_by_name TEXT NOT NULL,
	answered_at BIGINT NOT NULL
);
CREATE INDEX ticket_diagnoses_ticket ON ticket_diagnoses (ticket_id, id);

CREATE TABLE diagnosis_settings (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	mode TEXT NOT NULL DEFAULT 'warn' CHECK (mode IN ('warn', 'require'))
);
INSERT INTO diagnosis_settings (id) VALUES (1);

-- +goose Down
DROP TABLE diagnosis_settings;
DROP TABLE ticket_diagnoses;
DROP TABLE diagnosis_checklists;
