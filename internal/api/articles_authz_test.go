package api

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAuthz_Articles is the knowledge base's read/write matrix: who may
// read drafts, internal and retired articles, their versions and the
// report, who may write, and who may link articles to whose tickets.
func TestAuthz_Articles(t *testing.T) {
	e := newEnv(t)
	e.admin.do("PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.l2.userID), nil).want(t, http.StatusNoContent)
	pub := e.admin.publishArticle(e.admin.createArticle(articleIn("Public", "text", "public")))
	internal := e.admin.publishArticle(e.admin.createArticle(articleIn("Internal", "text", "internal")))
	draft := e.admin.createArticle(articleIn("Draft", "text", "public"))
	retired := e.admin.publishArticle(e.admin.createArticle(articleIn("Retired", "text", "public")))
	e.admin.do("POST", articleURL(retired, "/retire"), nil).want(t, http.StatusOK)
	bobs := e.bob.createTicket(map[string]any{"type": "incident", "title": "Bob's printer"})
	body := articleIn("x", "y", "public")
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
	}{
		{"requester reads public", e.alice, "GET", articleURL(pub, ""), nil, 200},
		{"requester reads internal", e.alice, "GET", articleURL(internal, ""), nil, 404},
		{"requester reads draft", e.alice, "GET", articleURL(draft, ""), nil, 404},
		{"requester reads retired", e.alice, "GET", articleURL(retired, ""), nil, 404},
		{"requester reads versions", e.alice, "GET", articleURL(pub, "/versions"), nil, 403},
		{"requester reads a version", e.alice, "GET", articleURL(pub, "/versions/1"), nil, 403},
		{"requester reads a diff", e.alice, "GET", articleURL(pub, "/diff?from=1&to=2"), nil, 403},
		{"requester reads the report", e.alice, "GET", "/api/v1/reports/knowledge?from=2000-01-01&to=2100-01-01", nil, 403},
		{"requester lists editors", e.alice, "GET", "/api/v1/knowledge-editors", nil, 403},
		{"requester writes", e.alice, "POST", "/api/v1/articles", body, 403},
		{"requester edits", e.alice, "PUT", articleURL(pub, ""), body, 403},
		{"requester publishes", e.alice, "POST", articleURL(draft, "/publish"), nil, 403},
		{"requester links to another's ticket", e.alice, "POST", ticketURL(bobs, "/articles"), map[string]any{"article_id": pub.ID, "kind": "relevant"}, 403},
		{"requester reads another's ticket's articles", e.alice, "GET", ticketURL(bobs, "/articles"), nil, 404},
		{"requester deflects by a draft", e.alice, "POST", articleURL(draft, "/deflections"), map[string]any{}, 404},
		{"agent reads draft", e.agent, "GET", articleURL(draft, ""), nil, 200},
		{"agent reads internal", e.agent, "GET", articleURL(internal, ""), nil, 200},
		{"agent reads versions", e.agent, "GET", articleURL(draft, "/versions"), nil, 200},
		{"agent writes", e.agent, "POST", "/api/v1/articles", body, 403},
		{"agent edits", e.agent, "PUT", articleURL(draft, ""), body, 403},
		{"agent retires", e.agent, "POST", articleURL(pub, "/retire"), nil, 403},
		{"agent drafts from a ticket", e.agent, "POST", ticketURL(bobs, "/article-draft"), nil, 403},
		{"agent grants the permission", e.agent, "PUT", fmt.Sprintf("/api/v1/knowledge-editors/%d", e.agent.userID), nil, 403},
		{"agent links", e.agent, "POST", ticketURL(bobs, "/articles"), map[string]any{"article_id": internal.ID, "kind": "relevant"}, 201},
		{"agent sends an internal article", e.agent, "POST", fmt.Sprintf("%s/%d/send", ticketURL(bobs, "/articles"), internal.ID), nil, 409},
		{"editor writes", e.l2, "POST", "/api/v1/articles", body, 201},
		{"editor edits", e.l2, "PUT", articleURL(draft, ""), body, 200},
		{"editor retires", e.l2, "POST", articleURL(pub, "/retire"), nil, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOpt
			if tc.status >= 400 {
				opts = append(opts, invalid)
			}
			tc.c.do(tc.method, tc.path, tc.body, opts...).want(t, tc.status)
		})
	}
}
