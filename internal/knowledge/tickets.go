package knowledge

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// LinkedArticle is an article linked to a ticket.
type LinkedArticle struct {
	Link
	Article *Article
}

// Link links an article to a ticket as solved_by or relevant (staff), or
// changes the kind of their link.
func (s *Service) Link(ctx context.Context, ticketRef string, articleID int64, kind LinkKind) (*LinkedArticle, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(LinkKinds, kind) {
		return nil, &desk.Error{Code: desk.EINVALID, Message: "invalid link", Fields: []desk.FieldError{desk.Invalid("kind",
			desk.RuleOneOf, desk.Params{"allowed": "solved_by, relevant"}, "must be solved_by or relevant")}}
	}
	t, a, err := s.ticketAndArticle(ctx, ticketRef, articleID)
	if err != nil {
		return nil, err
	}
	l := Link{ArticleID: a.ID, TicketID: t.ID, Kind: kind, At: s.clock.Now(), By: u.ID}
	if err := s.store.LinkArticle(ctx, l); err != nil {
		return nil, fmt.Errorf("link article %d to %s: %w", a.ID, t.Number, err)
	}
	return &LinkedArticle{Link: l, Article: a}, nil
}

// Unlink removes an article's link to a ticket (staff).
func (s *Service) Unlink(ctx context.Context, ticketRef string, articleID int64) error {
	if _, err := requireStaff(ctx); err != nil {
		return err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return err
	}
	return s.store.UnlinkArticle(ctx, articleID, t.ID)
}

func (s *Service) ticketAndArticle(ctx context.Context, ticketRef string, articleID int64) (*desk.Ticket, *Article, error) {
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Article(ctx, articleID)
	if err != nil {
		return nil, nil, err
	}
	return t, a, nil
}

// TicketArticles returns the articles linked to a ticket the actor may
// see, oldest link first; requesters see only the published public ones.
func (s *Service) TicketArticles(ctx context.Context, ticketRef string) ([]LinkedArticle, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return nil, err
	}
	links, err := s.store.TicketArticleLinks(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var out []LinkedArticle
	for _, l := range links {
		a, err := s.store.Article(ctx, l.ArticleID)
		if err != nil {
			return nil, err
		}
		if Visible(u, a) {
			out = append(out, LinkedArticle{Link: l, Article: a})
		}
	}
	return out, nil
}

// SendToRequester posts a published public article to the ticket's
// requester as a public comment (its title, its text and where to read
// it) and links it as relevant unless it is linked already (staff).
func (s *Service) SendToRequester(ctx context.Context, ticketRef string, articleID int64, lang string) (*desk.Event, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, a, err := s.ticketAndArticle(ctx, ticketRef, articleID)
	if err != nil {
		return nil, err
	}
	if a.State != Published || a.Audience != Public {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotAllowed, nil,
			"only a published public article can be sent to a requester; article %d is %s and %s", a.ID, a.State, a.Audience)
	}
	ev, _, err := s.desk.Comment(ctx, t.Number, desk.CommentInput{Body: s.commentBody(a, lang)})
	if err != nil {
		return nil, err
	}
	links, err := s.store.TicketArticleLinks(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(links, func(l Link) bool { return l.ArticleID == a.ID && l.Kind != Shown }) {
		err = s.store.LinkArticle(ctx, Link{ArticleID: a.ID, TicketID: t.ID, Kind: Relevant, At: s.clock.Now(), By: u.ID})
	}
	return ev, err
}

// commentBody is an article as a plain-text comment, shortened with a
// link to the whole when it would not fit.
func (s *Service) commentBody(a *Article, lang string) string {
	tr := a.Translation(lang)
	url := strings.TrimRight(s.desk.Config().PublicURL, "/") + fmt.Sprintf("/kb/%d", a.ID)
	body := tr.Title + "\n\n" + PlainTextKeepLines(tr.Body) + "\n\n" + url
	if len([]rune(body)) > desk.MaxTextLen {
		body = tr.Title + "\n\n" + url
	}
	return body
}

// PlainTextKeepLines is Markdown with its line breaks kept and nothing
// else touched: a comment is shown as text, so its marks stay readable.
func PlainTextKeepLines(md string) string {
	return strings.TrimSpace(strings.ReplaceAll(md, "\r\n", "\n"))
}

// RuleRestricted refuses to write up a restricted ticket's resolution: its
// details are for its group only, and an article is read more widely.
const RuleRestricted desk.Rule = "kb_restricted"

// DraftFromTicket turns a resolved or closed ticket's resolution into a
// draft article prefilled from it (title, symptoms, resolution notes,
// category, service), linked to the ticket as solved_by (writers). A
// restricted ticket is refused.
func (s *Service) DraftFromTicket(ctx context.Context, ticketRef string) (*Article, error) {
	if _, err := s.requireWriter(ctx); err != nil {
		return nil, err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return nil, err
	}
	if t.Security {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleSecurityCase, nil,
			"ticket %s is a security case: its resolution is never written up as an article", t.Number)
	}
	if t.Restricted {
		return nil, desk.Refusef(desk.ECONFLICT, RuleRestricted, nil,
			"ticket %s is restricted: its resolution is not written up as an article", t.Number)
	}
	if t.State != desk.StateResolved && t.State != desk.StateClosed {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotResolved, desk.Params{"state": string(t.State)},
			"ticket %s is %s: only a resolved or closed ticket has a resolution to write up", t.Number, t.State)
	}
	in := draftInput(t)
	a, err := s.Create(ctx, in)
	if err != nil {
		return nil, err
	}
	u := desk.ActorFrom(ctx)
	err = s.store.LinkArticle(ctx, Link{ArticleID: a.ID, TicketID: t.ID, Kind: SolvedBy, At: s.clock.Now(), By: u.ID})
	return a, err
}

// draftInput is the article a ticket's resolution suggests, in the
// ticket's language (Russian when its text is mostly Cyrillic).
func draftInput(t *desk.Ticket) Input {
	lang := "en"
	if cyrillic(t.Title + t.Description + t.ResolutionNotes) {
		lang = "ru"
	}
	h := map[string][3]string{"en": {"Symptoms", "Resolution", "From ticket"}, "ru": {"Симптомы", "Решение", "По заявке"}}[lang]
	symptoms := strings.TrimSpace(t.Symptoms)
	if symptoms == "" {
		symptoms = strings.TrimSpace(t.Description)
	}
	if symptoms == "" {
		symptoms = t.Title
	}
	notes := strings.TrimSpace(t.ResolutionNotes)
	if notes == "" {
		notes = "—"
	}
	body := fmt.Sprintf("## %s\n\n%s\n\n## %s\n\n%s\n\n_%s %s_\n", h[0], symptoms, h[1], notes, h[2], t.Number)
	if len(body) > MaxBodyBytes {
		body = strings.ToValidUTF8(body[:MaxBodyBytes], "")
	}
	title := t.Title
	if r := []rune(title); len(r) > MaxTitleLen {
		title = string(r[:MaxTitleLen])
	}
	in := Input{Translations: []Translation{{Lang: lang, Title: title, Body: body}}, Audience: Internal,
		Note: "from the resolution of " + t.Number}
	if t.Subcategory != nil {
		in.CategoryID = t.Subcategory.ID
	} else if t.Category != nil {
		in.CategoryID = t.Category.ID
	}
	if t.Service != nil {
		in.ServiceIDs = []int64{t.Service.ID}
	}
	return in
}

// cyrillic reports whether most letters of s are Cyrillic.
func cyrillic(s string) bool {
	cyr, lat := 0, 0
	for _, r := range s {
		switch {
		case r >= 'а' && r <= 'я' || r >= 'А' && r <= 'Я' || r == 'ё' || r == 'Ё':
			cyr++
		case r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			lat++
		}
	}
	return cyr > lat
}
