-- +goose Up
-- A page has a purpose (desk.Page.Purpose): '' for its group's own
-- escalation on the ticket, 'major_update' for a major incident's missed
-- public update, 'stakeholder:<user id>' for a stakeholder of a major
-- incident. At most one page is active per ticket, group and purpose, so a
-- missed update and the stakeholders are paged beside the group's own page
-- instead of colliding with it. Missed-update pages started before are
-- given their purpose from their reason code.
ALTER TABLE pages ADD COLUMN purpose TEXT NOT NULL DEFAULT '';
UPDATE pages SET purpose = 'major_update' WHERE reason_code = 'major_page_update_miss';
DROP INDEX pages_active;
CREATE UNIQUE INDEX pages_active ON pages (ticket_id, group_id, purpose) WHERE state = 'active';

-- +goose Down
DROP INDEX pages_active;
CREATE UNIQUE INDEX pages_active ON pages (ticket_id, group_id) WHERE state = 'active';
ALTER TABLE pages DROP COLUMN purpose;
