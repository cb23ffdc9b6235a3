-- +goose Up
-- Evidence of security cases and its chain of custody (issue 14,
-- internal/evidence). An item is a file kept here (evidence_files) or a
-- reference to evidence kept elsewhere (location), with its SHA-256, who
-- collected it, when and from where, and its current custodian: a member
-- of staff (custodian_id) or an outside party (custodian_name). Custody
-- entries are only ever inserted; each write also appends to the audit log
-- in its transaction.
CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	ticket_id BIGINT NOT NULL REFERENCES tickets (id),
	kind TEXT NOT NULL CHECK (kind IN ('file', 'reference')),
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	file_name TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	location TEXT NOT NULL,
	collected_by TEXT NOT NULL,
	collected_at BIGINT NOT NULL,
	collected_from TEXT NOT NULL,
	custodian_id BIGINT REFERENCES users (id),
	custodian_name TEXT NOT NULL,
	has_file BOOLEAN NOT NULL,
	created_by BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	version INTEGER NOT NULL
);
CREATE INDEX evidence_ticket ON evidence (ticket_id, id);
CREATE TABLE evidence_files (
	evidence_id BIGINT PRIMARY KEY REFERENCES evidence (id),
	content BLOB NOT NULL
);
CREATE TABLE evidence_custody (
	id INTEGER PRIMARY KEY,
	evidence_id BIGINT NOT NULL REFERENCES evidence (id),
	at BIGINT NOT NULL,
	actor_id BIGINT NOT NULL REFERENCES users (id),
	action TEXT NOT NULL,
	from_text TEXT NOT NULL,
	to_text TEXT NOT NULL,
	note TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	address TEXT NOT NULL
);
CREATE INDEX evidence_custody_item ON evidence_custody (evidence_id, id);

-- +goose Down
DROP TABLE evidence_custody;
DROP TABLE evidence_files;
DROP TABLE evidence;
