-- Knowledge base use (issue 12): articles linked to tickets (solved_by,
-- relevant, or shown in the portal to a requester who reported anyway),
-- contacts the portal's articles answered without a ticket, and user
-- permissions beyond the role (knowledge_editor).

-- +goose Up
CREATE TABLE article_ticket_links (
	ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
	article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('solved_by', 'relevant', 'shown')),
	created_at BIGINT NOT NULL,
	created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
	PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX article_ticket_links_article ON article_ticket_links (article_id);
CREATE INDEX article_ticket_links_created ON article_ticket_links (created_at);

CREATE TABLE article_deflections (
	id INTEGER PRIMARY KEY,
	article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	requester_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
	created_at BIGINT NOT NULL,
	query TEXT NOT NULL
);
CREATE INDEX article_deflections_created ON article_deflections (created_at);

CREATE TABLE user_permissions (
	user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	permission TEXT NOT NULL,
	PRIMARY KEY (user_id, permission)
);

-- +goose Down
DROP TABLE user_permissions;
DROP TABLE article_deflections;
DROP TABLE article_ticket_links;
