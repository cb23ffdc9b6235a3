package web

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// Articles on the agent's ticket page: those linked to the ticket, those
// matching it (its text, ranked first when they share its category or
// service) once it has a category, or those a search beside them finds;
// linking one (solved by, relevant), sending a public one to the
// requester as a comment, and turning a resolution into a draft.
func init() {
	registerArea("knowledge_ticket", func(s *server) {
		if s.opts.Knowledge == nil {
			return
		}
		s.post("/tickets/{ref}/kb/link", staffOnly, s.kbTicketLink)
		s.post("/tickets/{ref}/kb/unlink", staffOnly, s.kbTicketUnlink)
		s.post("/tickets/{ref}/kb/send", staffOnly, s.kbTicketSend)
		s.post("/tickets/{ref}/kb/draft", staffOnly, s.kbTicketDraft)
	})
}

// kbSuggestions is how many matching articles the ticket page shows.
const kbSuggestions = 5

// kbTicket is the articles panel of the agent's ticket page.
type kbTicket struct {
	Linked    []knowledge.LinkedArticle
	Matches   []kbRow // suggestions, or the results of Q
	Q         string  // the panel's own search
	Suggested bool    // Matches are suggestions (the ticket has a category)
	CanWrite  bool    // may make an article from the resolution
	Kinds     []knowledge.LinkKind
}

// LinkedKind returns the kind an article is linked with, or "".
func (k *kbTicket) LinkedKind(id int64) knowledge.LinkKind {
	for _, l := range k.Linked {
		if l.ArticleID == id {
			return l.Kind
		}
	}
	return ""
}

// kbTicketPanel loads the panel; nil without a knowledge base.
func (s *server) kbTicketPanel(rq *request, t *desk.Ticket) (*kbTicket, error) {
	kb := s.opts.Knowledge
	if kb == nil {
		return nil, nil
	}
	p := &kbTicket{Q: strings.TrimSpace(rq.r.URL.Query().Get("kbq")), CanWrite: kb.CanWrite(rq.ctx), Kinds: knowledge.LinkKinds}
	var err error
	if p.Linked, err = kb.TicketArticles(rq.ctx, t.Number); err != nil {
		return nil, err
	}
	var hits []knowledge.Hit
	switch {
	case p.Q != "":
		hits, err = kb.Search(rq.ctx, knowledge.Query{Text: p.Q, Lang: rq.lang.code, States: []knowledge.State{knowledge.Published},
			Limit: kbSuggestions})
	case t.Category != nil:
		p.Suggested = true
		hits, err = kb.SuggestFor(rq.ctx, t, rq.lang.code, 4*kbSuggestions)
		hits = kbPreferSame(hits, t)
	}
	if err != nil {
		return nil, err
	}
	if len(hits) > kbSuggestions {
		hits = hits[:kbSuggestions]
	}
	p.Matches = kbHitRows(hits)
	return p, nil
}

// kbPreferSame ranks first, keeping the search's order otherwise, the
// articles of the ticket's category (or subcategory) or service.
func kbPreferSame(hits []knowledge.Hit, t *desk.Ticket) []knowledge.Hit {
	same := func(h knowledge.Hit) int {
		a := h.Article
		if a.Category != nil && (t.Category != nil && a.Category.ID == t.Category.ID || t.Subcategory != nil && a.Category.ID == t.Subcategory.ID) {
			return 0
		}
		if t.Service != nil && slices.ContainsFunc(a.Services, func(r desk.Ref) bool { return r.ID == t.Service.ID }) {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(hits, func(a, b knowledge.Hit) int { return same(a) - same(b) })
	return hits
}

func (rq *request) formArticle() int64 { return rq.formID("article_id") }

func (s *server) kbTicketLink(rq *request) error {
	return s.ticketAction(rq, "kb_link", func(int) error {
		_, err := s.opts.Knowledge.Link(rq.ctx, rq.ref(), rq.formArticle(), knowledge.LinkKind(rq.r.PostFormValue("kind")))
		return err
	})
}

func (s *server) kbTicketUnlink(rq *request) error {
	return s.ticketAction(rq, "kb_unlink", func(int) error {
		return s.opts.Knowledge.Unlink(rq.ctx, rq.ref(), rq.formArticle())
	})
}

// kbTicketSend posts a public article to the requester as a public
// comment, in the language the ticket is written in when the article has
// it (the requester's preferences are theirs and the administrators').
func (s *server) kbTicketSend(rq *request) error {
	return s.ticketAction(rq, "kb_send", func(int) error {
		t, err := s.desk.Ticket(rq.ctx, rq.ref())
		if err != nil {
			return err
		}
		_, err = s.opts.Knowledge.SendToRequester(rq.ctx, rq.ref(), rq.formArticle(), kbTextLang(t.Title+" "+t.Description))
		return err
	})
}

// kbTicketDraft turns the resolution into a draft article linked to the
// ticket and opens it in the editor; a refusal (a restricted ticket, one
// not resolved) comes back on the ticket page.
func (s *server) kbTicketDraft(rq *request) error {
	a, err := s.opts.Knowledge.DraftFromTicket(rq.ctx, rq.ref())
	if err == nil {
		return rq.redirect("/kb/" + strconv.FormatInt(a.ID, 10) + "/edit?done=kb_drafted")
	}
	if c := desk.ErrorCode(err); c != desk.ECONFLICT && c != desk.EINVALID {
		return err
	}
	return s.ticketAction(rq, "kb_draft", func(int) error { return err })
}

// kbTextLang is "ru" for text mostly in Cyrillic letters, else "en".
func kbTextLang(text string) string {
	cyr, lat := 0, 0
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.Is(unicode.Latin, r):
			lat++
		}
	}
	if cyr > lat {
		return "ru"
	}
	return "en"
}
