-- +goose Up
-- Reasons the desk itself gives (issue 18) are stored as a code with its
-- params (desk.ReasonCode, a JSON object of strings), worded in the
-- reader's language at display time; reason keeps the English sentence.
-- Rows written before keep an empty code and are read back from their
-- English sentence (desk.ParseReason).
ALTER TABLE events ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN reason_params TEXT;
ALTER TABLE pages ADD COLUMN reason_code TEXT NOT NULL DEFAULT '';
ALTER TABLE pages ADD COLUMN reason_params TEXT;

-- +goose Down
ALTER TABLE pages DROP COLUMN reason_params;
ALTER TABLE pages DROP COLUMN reason_code;
ALTER TABLE events DROP COLUMN reason_params;
ALTER TABLE events DROP COLUMN reason_code;
