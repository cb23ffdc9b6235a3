-- +goose Up
-- Playbooks of security cases (issue 14, internal/playbook,
-- desk/playbook_case.go): templates an administrator edits (the steps as
-- JSON: phase, title, description, due_after_minutes), and the tasks a
-- template puts on a case when applied, each with its own due time,
-- assignee, and who marked it done when. Each write appends to the audit
-- log in its transaction, and a task's write is an internal event on its
-- case's timeline. Times are unix microseconds.
CREATE TABLE playbook_templates (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	lang TEXT NOT NULL,
	description TEXT NOT NULL,
	steps TEXT NOT NULL,
	active BOOLEAN NOT NULL,
	rev INTEGER NOT NULL,
	updated_by BIGINT REFERENCES users (id),
	updated_at BIGINT NOT NULL
);
CREATE TABLE playbook_tasks (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	template_id BIGINT REFERENCES playbook_templates (id),
	template_name TEXT NOT NULL,
	seq INTEGER NOT NULL,
	phase TEXT NOT NULL CHECK (phase IN ('detection_analysis', 'containment', 'eradication', 'recovery', 'post_incident')),
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	due_at BIGINT NOT NULL,
	assignee_id BIGINT REFERENCES users (id),
	done_at BIGINT,
	done_by BIGINT REFERENCES users (id),
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	rev INTEGER NOT NULL
);
CREATE INDEX playbook_tasks_ticket ON playbook_tasks (ticket_id, id);

-- +goose Down
DROP TABLE playbook_tasks;
DROP TABLE playbook_templates;
