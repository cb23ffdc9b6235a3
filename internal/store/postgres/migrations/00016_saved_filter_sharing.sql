-- Saved filters shared with groups: members of a group see and run the
-- filters shared with it; only the owner changes them.

-- +goose Up
CREATE TABLE saved_filter_groups (
	filter_id BIGINT NOT NULL REFERENCES saved_filters (id) ON DELETE CASCADE,
	group_id BIGINT NOT NULL REFERENCES support_groups (id) ON DELETE CASCADE,
	PRIMARY KEY (filter_id, group_id)
);
CREATE INDEX saved_filter_groups_group ON saved_filter_groups (group_id, filter_id);

-- +goose Down
DROP TABLE saved_filter_groups;
