package web

import (
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// Self-service in the portal: while a requester writes a report, the
// published public articles matching it are shown beside the form (on
// "Find answers" without JavaScript, as they type with it); "This solved
// it" records a deflected contact and no ticket, sending the report keeps
// the articles shown on the new ticket, and the requester's ticket page
// lists the public articles linked to it.
func init() {
	registerArea("knowledge_portal", func(s *server) {
		if s.opts.Knowledge == nil {
			return
		}
		s.get("/report/suggest", signedIn, s.kbSuggest)
		s.post("/report/solved", signedIn, s.kbSolved)
	})
}

// kbReportHits is how many articles the report form shows.
const kbReportHits = 5

// kbReport is the articles beside the report form.
type kbReport struct {
	Q    string // what they typed: title and details
	Hits []kbRow
}

// kbReportText is what a report's matching reads: its title and details.
func kbReportText(title, details string) string {
	return strings.TrimSpace(strings.TrimSpace(title) + "\n" + strings.TrimSpace(details))
}

// kbReportPanel finds the published public articles matching what the
// form holds; nil without a knowledge base.
func (s *server) kbReportPanel(rq *request, title, details string) (*kbReport, error) {
	if s.opts.Knowledge == nil {
		return nil, nil
	}
	p := &kbReport{Q: kbReportText(title, details)}
	var err error
	p.Hits, err = s.kbPublicMatches(rq, p.Q)
	return p, err
}

// kbPublicMatches ranks the published public articles holding any of the
// words of text, whoever asks (staff reporting for themselves too).
func (s *server) kbPublicMatches(rq *request, text string) ([]kbRow, error) {
	if len(text) > knowledge.MaxQueryLen {
		text = strings.ToValidUTF8(text[:knowledge.MaxQueryLen], "")
	}
	hits, err := s.opts.Knowledge.Search(rq.ctx, knowledge.Query{Text: text, Lang: rq.lang.code, Any: true,
		States: []knowledge.State{knowledge.Published}, Audiences: []knowledge.Audience{knowledge.Public}, Limit: kbReportHits})
	if err != nil {
		return nil, err
	}
	return kbHitRows(hits), nil
}

// kbSuggestJSON is one suggestion for the report form's script: its title
// and snippet as escaped HTML with the hits in <mark>.
type kbSuggestJSON struct {
	ID      int64  `json:"id"`
	Lang    string `json:"lang"`
	Title   string `json:"title_html"`
	Snippet string `json:"snippet_html"`
}

// kbSuggest answers the report form's script as the requester types.
func (s *server) kbSuggest(rq *request) error {
	q := rq.r.URL.Query()
	rows, err := s.kbPublicMatches(rq, kbReportText(q.Get("title"), q.Get("description")))
	if err != nil {
		return err
	}
	out := make([]kbSuggestJSON, 0, len(rows))
	for _, r := range rows {
		out = append(out, kbSuggestJSON{ID: r.A.ID, Lang: r.Lang, Title: string(r.Title), Snippet: string(r.Snippet)})
	}
	return rq.json(200, map[string]any{"articles": out})
}

// kbSolved records a deflected contact: the article answered what the
// requester was about to report, so no ticket is made.
func (s *server) kbSolved(rq *request) error {
	id, _ := strconv.ParseInt(rq.r.PostFormValue("article_id"), 10, 64)
	if err := s.opts.Knowledge.Deflect(rq.ctx, id, rq.r.PostFormValue("q")); err != nil {
		return err
	}
	return rq.redirect("/kb/" + strconv.FormatInt(id, 10) + "?done=kb_deflected")
}

// kbKeepShown links the articles the form showed to the ticket reported
// anyway ("still need help").
func (s *server) kbKeepShown(rq *request, number string, raw []string) error {
	if s.opts.Knowledge == nil || len(raw) == 0 {
		return nil
	}
	var ids []int64
	for _, r := range raw {
		if id, err := strconv.ParseInt(r, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return s.opts.Knowledge.KeepShown(rq.ctx, number, ids)
}

// kbPortalTicket is the published public articles linked to a ticket, for
// its requester's page (the knowledge service leaves out the others).
func (s *server) kbPortalTicket(rq *request, t *desk.Ticket) ([]kbRow, error) {
	if s.opts.Knowledge == nil {
		return nil, nil
	}
	linked, err := s.opts.Knowledge.TicketArticles(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	var out []kbRow
	for _, l := range linked {
		if l.Article.State == knowledge.Published && l.Article.Audience == knowledge.Public {
			out = append(out, kbArticleRow(l.Article, rq.lang.code))
		}
	}
	return out, nil
}
