-- Web sign-in (internal/web, desk/auth.go): argon2id password hashes,
-- browser sessions stored by the SHA-256 of their token (instances keep no
-- state), and failed sign-ins for throttling by e-mail address and client.
-- Times are microseconds.

-- +goose Up
CREATE TABLE user_passwords (
	user_id BIGINT PRIMARY KEY REFERENCES users (id),
	hash TEXT NOT NULL, -- PHC string: $argon2id$v=19$m=...,t=...,p=...$salt$key
	updated_at BIGINT NOT NULL
);

CREATE TABLE web_sessions (
	id INTEGER PRIMARY KEY,
	token_hash BLOB NOT NULL UNIQUE,
	user_id BIGINT NOT NULL REFERENCES users (id),
	created_at BIGINT NOT NULL,
	last_seen_at BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
CREATE INDEX web_sessions_expiry ON web_sessions (expires_at);

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL, -- email:<address> or client:<ip>
	at BIGINT NOT NULL
);
CREATE INDEX login_failures_key_at ON login_failures (key, at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE web_sessions;
DROP TABLE user_passwords;
