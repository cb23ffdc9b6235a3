-- Article search (issue 12): one term's articles read best first from an
-- index and cut at the limit, instead of summing and sorting the rows of
-- a common word in every article (knowledge_list.go, searchOneTerm).

-- +goose Up
CREATE INDEX article_terms_rank ON article_terms (term, weight DESC, article_id DESC);

-- +goose Down
DROP INDEX article_terms_rank;
