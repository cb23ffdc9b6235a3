-- Single sign-on (issue 16): the administrators' rules that map an
-- identity provider's claims (OpenID Connect) or directory groups (LDAP) to
-- a role and support groups; the external identities linked to users; the
-- sign-ins under way (one row per OpenID Connect authorisation request,
-- taken exactly once by the callback, so that a state cannot be replayed);
-- and the sign-on settings. Times are microseconds.

-- +goose Up
CREATE TABLE sso_rules (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	claim TEXT NOT NULL,
	value TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '',
	group_id BIGINT REFERENCES support_groups (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL
);

CREATE TABLE sso_identities (
	provider TEXT NOT NULL,
	subject TEXT NOT NULL,
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at BIGINT NOT NULL,
	last_sign_in BIGINT NOT NULL,
	PRIMARY KEY (provider, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

CREATE TABLE sso_logins (
	state_hash TEXT PRIMARY KEY,
	nonce TEXT NOT NULL,
	verifier TEXT NOT NULL,
	next TEXT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE TABLE sso_settings (
	name TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- +goose Down
DROP TABLE sso_settings;
DROP TABLE sso_logins;
DROP TABLE sso_identities;
DROP TABLE sso_rules;
