-- +goose Up
-- A major incident's own timeline entries the desk writes itself (issue
-- 18: the declaration, roles, children, updates, the cadence sweep's
-- warnings, misses and pages) are stored as a reason code with its params
-- (desk.ReasonCode, a JSON object of strings), worded in the reader's
-- language at display time; body keeps the English sentence. Rows written
-- before keep an empty code and are read back from their English
-- (desk.ParseReason).
ALTER TABLE major_entries ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE major_entries ADD COLUMN reason_params TEXT;

-- +goose Down
ALTER TABLE major_entries DROP COLUMN reason_params;
ALTER TABLE major_entries DROP COLUMN reason_code;
