-- +goose Up
-- The job runner merges the search index's segments in the background
-- (sqlstore.MergeSearchIndex, FTS5's 'merge' command). 'merge' folds the
-- segments of a level only when the level holds usermerge of them (4 by
-- default, as automerge): at 2 it folds every level of two or more, so
-- an index written ticket by ticket keeps about one segment a level
-- instead of three or four (issue 13, docs/benchmarks.md).
INSERT INTO ticket_search (ticket_search, rank) VALUES ('usermerge', 2);

-- +goose Down
INSERT INTO ticket_search (ticket_search, rank) VALUES ('usermerge', 4);
