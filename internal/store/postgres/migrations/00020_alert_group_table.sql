-- +goose Up
-- What an alert incident shows of its group (issue 16): the labels of the
-- firing alerts it keeps (at most desk.MaxAlertMembers), how many alerts
-- of the last notification were not kept (and how many of those fire),
-- and the one timeline entry with the table of firing alerts, rewritten
-- in place like the repeat entry.
ALTER TABLE alert_groups ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
ALTER TABLE alert_groups ADD COLUMN unstored BIGINT NOT NULL DEFAULT 0;
ALTER TABLE alert_groups ADD COLUMN unstored_firing BIGINT NOT NULL DEFAULT 0;
ALTER TABLE alert_groups ADD COLUMN summary_event_id BIGINT REFERENCES events (id);

-- +goose Down
ALTER TABLE alert_groups DROP COLUMN summary_event_id;
ALTER TABLE alert_groups DROP COLUMN unstored_firing;
ALTER TABLE alert_groups DROP COLUMN unstored;
ALTER TABLE alert_groups DROP COLUMN labels;
