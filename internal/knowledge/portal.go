package knowledge

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// MaxShown bounds how many shown articles a new report keeps.
const MaxShown = 10

// Deflect records that a published public article answered a contact
// that would have become a ticket ("this solved it" in the portal). query
// is what the requester had typed (kept shortened).
func (s *Service) Deflect(ctx context.Context, articleID int64, query string) error {
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	a, err := s.Article(ctx, articleID)
	if err != nil {
		return err
	}
	if a.State != Published || a.Audience != Public {
		return desk.Errorf(desk.ENOTFOUND, "no article %d", articleID)
	}
	query = strings.ToValidUTF8(strings.TrimSpace(query), "")
	for utf8.RuneCountInString(query) > 500 {
		r := []rune(query)
		query = string(r[:500])
	}
	return s.store.RecordDeflection(ctx, Deflection{ArticleID: a.ID, RequesterID: u.ID, At: s.clock.Now(), Query: query})
}

// KeepShown links the articles the portal showed to a requester who went
// on and reported ticketRef anyway ("still need help"), as shown. Articles
// the actor may not read, and links the ticket already has, are skipped.
func (s *Service) KeepShown(ctx context.Context, ticketRef string, articleIDs []int64) error {
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	t, err := s.desk.Ticket(ctx, ticketRef)
	if err != nil {
		return err
	}
	links, err := s.store.TicketArticleLinks(ctx, t.ID)
	if err != nil {
		return err
	}
	slices.Sort(articleIDs)
	articleIDs = slices.Compact(articleIDs)
	for i, id := range articleIDs {
		if i == MaxShown {
			break
		}
		if slices.ContainsFunc(links, func(l Link) bool { return l.ArticleID == id }) {
			continue
		}
		a, err := s.store.Article(ctx, id)
		if desk.ErrorCode(err) == desk.ENOTFOUND || err == nil && !(Visible(u, a) && a.State == Published && a.Audience == Public) {
			continue
		}
		if err != nil {
			return err
		}
		if err := s.store.LinkArticle(ctx, Link{ArticleID: id, TicketID: t.ID, Kind: Shown, At: s.clock.Now(), By: u.ID}); err != nil {
			return fmt.Errorf("keep shown article %d on %s: %w", id, t.Number, err)
		}
	}
	return nil
}
