-- Register for a caller (issue 11): the requester lookup as you type, and
-- the channels walk_in and chat.
--
-- users.lookup_terms is a JSON array of the words a user is found by
-- (desk.LookupTerms: lower-cased words of the name, e-mail, phone digits
-- and organisation), written by the store on every write of a user;
-- triggers copy it into user_lookup, one row per word, whose index on
-- (term, user_id) answers "a word beginning with ..." as a range scan in
-- word order (COLLATE "C": byte order, as SQLite compares, so a range
-- [word, word || U+10FFFF) holds exactly the words beginning with it).
-- Existing users have NULL until the store fills them in after migrating
-- (Store.Migrate), as the words are made in Go.

-- +goose Up
ALTER TABLE users ADD COLUMN lookup_terms TEXT;
CREATE INDEX users_lookup_missing ON users (id) WHERE lookup_terms IS NULL;

CREATE TABLE user_lookup (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	term TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (user_id, term)
);
CREATE INDEX user_lookup_term ON user_lookup (term, user_id);

-- +goose StatementBegin
CREATE FUNCTION users_lookup_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		DELETE FROM user_lookup WHERE user_id = NEW.id;
	END IF;
	IF NEW.lookup_terms IS NOT NULL THEN
		INSERT INTO user_lookup (user_id, term)
		SELECT DISTINCT NEW.id, w FROM jsonb_array_elements_text(NEW.lookup_terms::jsonb) AS w;
	END IF;
	RETURN NULL;
END $$;
-- +goose StatementEnd

CREATE TRIGGER users_lookup_insert AFTER INSERT ON users
	FOR EACH ROW WHEN (NEW.lookup_terms IS NOT NULL) EXECUTE FUNCTION users_lookup_sync();
CREATE TRIGGER users_lookup_update AFTER UPDATE OF lookup_terms ON users
	FOR EACH ROW WHEN (OLD.lookup_terms IS DISTINCT FROM NEW.lookup_terms) EXECUTE FUNCTION users_lookup_sync();

-- The channels a ticket may come by (desk.Channels); NOT VALID: rows
-- already stored were checked by the desk and are not read again.
ALTER TABLE tickets ADD CONSTRAINT tickets_channel
	CHECK (channel IN ('portal', 'email', 'phone', 'api', 'monitoring', 'walk_in', 'chat')) NOT VALID;

-- +goose Down
ALTER TABLE tickets DROP CONSTRAINT tickets_channel;
DROP TRIGGER users_lookup_update ON users;
DROP TRIGGER users_lookup_insert ON users;
DROP FUNCTION users_lookup_sync();
DROP TABLE user_lookup;
DROP INDEX users_lookup_missing;
ALTER TABLE users DROP COLUMN lookup_terms;
