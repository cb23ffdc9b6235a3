-- A user's organisation and VIP flag, and SLA policies that match on them.
-- The defaults keep existing users (no organisation, not VIP) and policies
-- (any organisation, any requester) as they were.

-- +goose Up
ALTER TABLE users ADD COLUMN organization TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN vip BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sla_policies ADD COLUMN organizations TEXT NOT NULL DEFAULT '[]'; -- JSON array
ALTER TABLE sla_policies ADD COLUMN vip_only BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE sla_policies DROP COLUMN vip_only;
ALTER TABLE sla_policies DROP COLUMN organizations;
ALTER TABLE users DROP COLUMN vip;
ALTER TABLE users DROP COLUMN organization;
