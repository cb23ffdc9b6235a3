-- Knowledge base (issue 12): articles in English and Russian (one column
-- pair per language; an empty title means no translation), every edit kept
-- as a version with the whole content as JSON, and the search terms of
-- package knowledge (textan stems with weights) in a plain table, so that
-- both databases find and rank the same articles.

-- +goose Up
CREATE TABLE articles (
	id INTEGER PRIMARY KEY,
	file_key TEXT UNIQUE,
	title_en TEXT NOT NULL DEFAULT '',
	body_en TEXT NOT NULL DEFAULT '',
	title_ru TEXT NOT NULL DEFAULT '',
	body_ru TEXT NOT NULL DEFAULT '',
	category_id BIGINT REFERENCES categories (id) ON DELETE SET NULL,
	keywords TEXT NOT NULL DEFAULT '',
	audience TEXT NOT NULL CHECK (audience IN ('public', 'internal')),
	state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'retired')),
	owner_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	review_at BIGINT,
	version INTEGER NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL
);
CREATE INDEX articles_state ON articles (state, audience, id);
CREATE INDEX articles_category ON articles (category_id, state);

CREATE TABLE article_services (
	article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	service_id BIGINT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
	PRIMARY KEY (article_id, service_id)
);

CREATE TABLE article_versions (
	article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	version INTEGER NOT NULL,
	author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	author_name TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	note TEXT NOT NULL,
	content TEXT NOT NULL,
	PRIMARY KEY (article_id, version)
);

CREATE TABLE article_terms (
	term TEXT NOT NULL,
	article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	weight INTEGER NOT NULL,
	PRIMARY KEY (term, article_id)
);
CREATE INDEX article_terms_article ON article_terms (article_id);

-- +goose Down
DROP TABLE article_terms;
DROP TABLE article_versions;
DROP TABLE article_services;
DROP TABLE articles;
