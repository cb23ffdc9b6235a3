-- Register for a caller (issue 11): the requester lookup as you type, and
-- the channels walk_in and chat.
--
-- users.lookup_terms is a JSON array of the words a user is found by
-- (desk.LookupTerms: lower-cased words of the name, e-mail, phone digits
-- and organisation), written by the store on every write of a user;
-- triggers copy it into user_lookup, one row per word, whose index on
-- (term, user_id) answers "a word beginning with ..." as a range scan in
-- word order. Existing users have NULL until the store fills them in
-- after migrating (Store.Migrate), as the words are made in Go.

-- +goose Up
ALTER TABLE users ADD COLUMN lookup_terms TEXT;
CREATE INDEX users_lookup_missing ON users (id) WHERE lookup_terms IS NULL;

CREATE TABLE user_lookup (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	term TEXT NOT NULL,
	PRIMARY KEY (user_id, term)
);
CREATE INDEX user_lookup_term ON user_lookup (term, user_id);

-- +goose StatementBegin
CREATE TRIGGER users_lookup_insert AFTER INSERT ON users WHEN NEW.lookup_terms IS NOT NULL BEGIN
	INSERT INTO user_lookup (user_id, term) SELECT DISTINCT NEW.id, value FROM json_each(NEW.lookup_terms);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_lookup_update AFTER UPDATE OF lookup_terms ON users
WHEN OLD.lookup_terms IS NOT NEW.lookup_terms BEGIN
	DELETE FROM user_lookup WHERE user_id = NEW.id;
	INSERT INTO user_lookup (user_id, term) SELECT DISTINCT NEW.id, value FROM json_each(NEW.lookup_terms);
END;
-- +goose StatementEnd

-- The channels a ticket may come by (desk.Channels). SQLite cannot add a
-- CHECK to an existing table, so triggers refuse anything else.
-- +goose StatementBegin
CREATE TRIGGER tickets_channel_insert BEFORE INSERT ON tickets
WHEN NEW.channel NOT IN ('portal', 'email', 'phone', 'api', 'monitoring', 'walk_in', 'chat') BEGIN
	SELECT RAISE(ABORT, 'CHECK constraint failed: tickets_channel');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER tickets_channel_update BEFORE UPDATE OF channel ON tickets
WHEN NEW.channel NOT IN ('portal', 'email', 'phone', 'api', 'monitoring', 'walk_in', 'chat') BEGIN
	SELECT RAISE(ABORT, 'CHECK constraint failed: tickets_channel');
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER tickets_channel_update;
DROP TRIGGER tickets_channel_insert;
DROP TRIGGER users_lookup_update;
DROP TRIGGER users_lookup_insert;
DROP TABLE user_lookup;
DROP INDEX users_lookup_missing;
ALTER TABLE users DROP COLUMN lookup_terms;
