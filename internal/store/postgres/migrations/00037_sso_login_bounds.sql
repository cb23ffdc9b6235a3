-- Bounds on the OpenID Connect sign-ins under way (issue 16): anyone may
-- start one (GET /sso/oidc/start writes a row), so each row names the
-- client address (an IPv6 client by its /64) that started it, counted
-- against a limit per client and a cap on the whole table, and expired
-- rows are found by their expiry for the background sweep that forgets
-- them. Rows of before this migration have no client ('') and expire
-- within ten minutes like any other.

-- +goose Up
ALTER TABLE sso_logins ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX sso_logins_client ON sso_logins (client, expires_at);
CREATE INDEX sso_logins_expires ON sso_logins (expires_at);

-- +goose Down
DROP INDEX sso_logins_expires;
DROP INDEX sso_logins_client;
ALTER TABLE sso_logins DROP COLUMN client;
