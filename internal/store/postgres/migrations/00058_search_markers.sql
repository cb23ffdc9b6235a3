-- +goose Up
-- Search documents carry markers of their ticket's id range (lexemes
-- '~a<id >> 12>', '~b<id >> 16>' and '~c<id >> 20>', which no query term
-- can be or start with: terms start with a letter or digit), so that the newest matches of
-- a common word are read from the GIN index as the intersection of the
-- word with the newest ranges' markers instead of by testing documents
-- newest first (see search.go). Documents are written by the store in Go:
-- every existing one is rewritten by the background reindex
-- (search_reindex, migration 00018), newest first; until a range is
-- rewritten, searches that would need its markers read it the old way.
UPDATE search_reindex SET below = (SELECT COALESCE(MAX(id), 0) + 1 FROM tickets);

-- +goose Down
SELECT 1;
