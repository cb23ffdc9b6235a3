-- +goose Up
-- A person's grammatical gender (issue 18), optional: Russian agrees the
-- verb after a name with it in the timeline («подтвердил» /
-- «подтвердила»); '' is unknown, and readers then use a construction
-- without a gendered verb. Chosen in the settings, like the language.
ALTER TABLE user_preferences ADD COLUMN grammatical_gender TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE user_preferences DROP COLUMN grammatical_gender;
