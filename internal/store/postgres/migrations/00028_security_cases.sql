-- +goose Up
-- Security cases (issue 14): a ticket flagged security is seen only by the
-- members of a security group and the people named on the case
-- (security_members), never by other staff, administrators included; an
-- administrator may grant themselves access with a reason, which is a
-- 'granted' row. Rows are never deleted while the ticket exists.
ALTER TABLE tickets ADD COLUMN security BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE support_groups ADD COLUMN security BOOLEAN NOT NULL DEFAULT FALSE;
CREATE TABLE security_members (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	kind TEXT NOT NULL,
	reason TEXT NOT NULL,
	added_by BIGINT REFERENCES users (id),
	added_at BIGINT NOT NULL,
	PRIMARY KEY (ticket_id, user_id)
);
CREATE INDEX security_members_user ON security_members (user_id, ticket_id);
CREATE INDEX tickets_security ON tickets (id) WHERE security;

-- +goose Down
DROP INDEX tickets_security;
DROP TABLE security_members;
ALTER TABLE support_groups DROP COLUMN security;
ALTER TABLE tickets DROP COLUMN security;
