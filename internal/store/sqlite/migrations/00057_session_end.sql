-- +goose Up
-- A web session may have an end of its own (desk.Session.EndsAt): a
-- session opened by single sign-on ends that long after sign-in (serve
-- --sso-session-max), so that a user whom the provider takes out of a
-- mapped group, or disables, loses what the mapping gave within that time
-- instead of keeping it for the desk's week-long session age. Microseconds;
-- 0: none (password sessions).
ALTER TABLE web_sessions ADD COLUMN ends_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE web_sessions DROP COLUMN ends_at;
