-- E-mail messages tied to tickets: every inbound message that became a
-- ticket or comment (direction 'in'), and later every notification sent
-- (direction 'out'). The unique message_id makes a redelivered message a
-- no-op and lets replies thread by In-Reply-To/References.

-- +goose Up
CREATE TABLE mail_messages (
	id INTEGER PRIMARY KEY,
	message_id TEXT NOT NULL UNIQUE,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	event_id BIGINT REFERENCES events (id),
	direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
	received_at BIGINT NOT NULL
);
CREATE INDEX mail_messages_ticket ON mail_messages (ticket_id);

-- +goose Down
DROP TABLE mail_messages;
