-- +goose Up
-- Search documents become the terms of package textan (stems per script,
-- references and e-mail addresses whole) instead of lower-cased words: a
-- title and a body column, tokenised on spaces only so that each term stays
-- one token. Documents cannot be built in SQL (stemming is in Go): the
-- table starts empty and the store's background reindex (ReindexSearch)
-- rewrites every existing ticket, newest first, in short transactions;
-- search_reindex.below is the id under which tickets still wait. New and
-- changed tickets are indexed by their own writes meanwhile.
-- PostgreSQL keeps its table and GIN index; the documents are tsvector
-- literals written by the store (title weight A), matched with tsquery
-- literals, never parsed by a text search configuration.
TRUNCATE ticket_search;
CREATE TABLE search_reindex (
	below BIGINT NOT NULL
);
INSERT INTO search_reindex (below) SELECT COALESCE(MAX(id), 0) + 1 FROM tickets;

-- +goose Down
DROP TABLE search_reindex;
