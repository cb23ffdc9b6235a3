package desk

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Acknowledging and resolving pages, and reading them.

// AcknowledgePage acknowledges the ticket's running pages (staff): their
// escalation stops and queued deliveries are canceled. ECONFLICT when no
// page is running. A stakeholder's page keeps running: it asks that one
// person to know, and is theirs to acknowledge (EndPage, or its link).
func (s *Desk) AcknowledgePage(ctx context.Context, ref string) ([]*Page, error) {
	return s.endPagesBy(ctx, ref, 0, PageAcknowledged)
}

// ResolvePage ends the ticket's running pages as resolved (staff), but
// stakeholders' (as AcknowledgePage): the alarm is over; the ticket
// itself follows its own lifecycle.
func (s *Desk) ResolvePage(ctx context.Context, ref string) ([]*Page, error) {
	return s.endPagesBy(ctx, ref, 0, PageResolved)
}

// EndPage acknowledges or resolves one running page of the ticket (staff),
// whatever it pages for: the on-call page's row of that page.
// ECONFLICT when that page is not running.
func (s *Desk) EndPage(ctx context.Context, ref string, pageID int64, state PageState) ([]*Page, error) {
	if state != PageAcknowledged && state != PageResolved {
		return nil, fieldError("action", RuleOneOf, Params{"allowed": []string{"acknowledge", "resolve"}}, "must be acknowledge or resolve")
	}
	if pageID <= 0 {
		return nil, fieldError("page", RuleInvalidFmt, Params{"format": "id"}, "is not a page id")
	}
	return s.endPagesBy(ctx, ref, pageID, state)
}

func (s *Desk) endPagesBy(ctx context.Context, ref string, pageID int64, state PageState) ([]*Page, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	e := PageEnd{TicketID: t.ID, PageID: pageID, KeepStakeholders: pageID == 0, State: state, By: &Ref{ID: u.ID, Name: u.Name}}
	pages, err := s.endPages(ctx, e, ReasonEndedBy, "name", u.Name)
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, Refusef(ECONFLICT, RuleNoPage, nil, "no page is running on %s", t.Number)
	}
	return pages, nil
}

func (s *Desk) endPages(ctx context.Context, e PageEnd, code ReasonCode, params ...string) ([]*Page, error) {
	e.At = s.clock.Now()
	return s.store.EndPages(ctx, withEndEvent(e, code, params...))
}

// UpdatePostedPageEnd ends ticketID's missed-update page (resolved), as
// by, at: posting the update answers what the page asked for. The major
// incident's store applies it in the update's own transaction.
func UpdatePostedPageEnd(ticketID int64, by *Ref, at time.Time) PageEnd {
	e := PageEnd{TicketID: ticketID, Purpose: PurposeMajorUpdate, State: PageResolved, By: by, At: at}
	return withEndEvent(e, ReasonMajorUpdatePageEnd, "name", by.Name)
}

// withEndEvent sets e.Event: each page ended gets its state and a timeline
// entry saying why (code, params) and who (e.By, when set).
func withEndEvent(e PageEnd, code ReasonCode, params ...string) PageEnd {
	e.Event = func(p *Page) Event {
		endPage(p, e.State, e.By, e.At)
		ev := pageEndEvent(p, code, params...)
		ev.At = e.At
		if e.By != nil {
			ev.Actor = e.By
		}
		return ev
	}
	return e
}

// pagesAfterSave ends pages a ticket change settles: a staff member taking
// the ticket in a paged group acknowledges that group's own page (not a
// missed-update or stakeholder page, Page.Purpose), and a ticket
// leaving the open states resolves its pages. It runs after the change
// committed; if it fails, the pager settles the page at its next step.
func (s *Desk) pagesAfterSave(ctx context.Context, t *Ticket, u *User) {
	switch {
	case !t.State.IsOpen():
		_, _ = s.endPages(ctx, PageEnd{TicketID: t.ID, State: PageResolved}, ReasonTicketLeftOpen, "state", string(t.State))
	case t.Assignee != nil && u != nil && u.Role.IsStaff():
		_, _ = s.endPages(ctx, PageEnd{TicketID: t.ID, GroupID: t.Group.ID, Keep: ReasonBreachPage, OwnOnly: true, State: PageAcknowledged,
			By: &Ref{ID: u.ID, Name: u.Name}}, ReasonTakenBy, "name", t.Assignee.Name)
	}
}

// PageLinkView is what a signed page link shows.
type PageLinkView struct {
	Page   *Page
	Ticket *Ticket
	User   *Ref // the paged user the link acts as
	Done   bool // the page has ended: nothing left to do
}

// PageLink checks a signed link and returns what it points at; nothing
// changes (a GET on the link). Bad or expired links are EUNAUTHENTICATED.
func (s *Desk) PageLink(ctx context.Context, token string) (*PageLinkView, error) {
	key, err := s.pagingKey(ctx)
	if err != nil {
		return nil, err
	}
	l, err := parsePageLink(key, token, s.clock.Now())
	if err != nil {
		return nil, err
	}
	p, err := s.store.GetPage(ctx, l.PageID)
	if err != nil {
		return nil, err
	}
	t, err := s.store.GetTicket(ctx, p.TicketID)
	if err != nil {
		return nil, err
	}
	return &PageLinkView{Page: p, Ticket: t, User: s.userRef(ctx, l.UserID), Done: p.State != PageActive}, nil
}

// ActOnPageLink acknowledges or resolves the page of a signed link as the
// paged user (a POST on the link). A page already ended is ECONFLICT.
func (s *Desk) ActOnPageLink(ctx context.Context, token string, state PageState) (*PageLinkView, error) {
	if state != PageAcknowledged && state != PageResolved {
		return nil, fieldError("action", RuleOneOf, Params{"allowed": []string{"acknowledge", "resolve"}}, "must be acknowledge or resolve")
	}
	v, err := s.PageLink(ctx, token)
	if err != nil {
		return nil, err
	}
	pages, err := s.endPages(ctx, PageEnd{TicketID: v.Ticket.ID, PageID: v.Page.ID, State: state, By: v.User},
		ReasonEndedByLink, "name", v.User.Name)
	if err != nil {
		return nil, err
	}
	if len(pages) == 0 {
		return nil, Refusef(ECONFLICT, RulePageEnded, nil, "page %d of %s has already ended (%s)", v.Page.ID, v.Ticket.Number, v.Page.State)
	}
	v.Page, v.Done = pages[0], true
	return v, nil
}

// PageWithDeliveries is a page with its deliveries.
type PageWithDeliveries struct {
	*Page
	Deliveries []*PageDelivery
}

// TicketPages returns the ticket's pages, oldest first (staff).
func (s *Desk) TicketPages(ctx context.Context, ref string) ([]PageWithDeliveries, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, err
	}
	pages, err := s.store.TicketPages(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	out := make([]PageWithDeliveries, len(pages))
	for i, p := range pages {
		ds, err := s.store.PageDeliveries(ctx, p.ID)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", p.ID, err)
		}
		out[i] = PageWithDeliveries{Page: p, Deliveries: ds}
	}
	return out, nil
}

// FailedPageDeliveries lists deliveries that failed for good, newest first
// (admins); cursor is the previous page's last id ("" first).
func (s *Desk) FailedPageDeliveries(ctx context.Context, cursor string, limit int) ([]*PageDelivery, string, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, "", err
	}
	if limit <= 0 || limit > MaxPageSize {
		return nil, "", fieldError("limit", RuleOutOfRange, Params{"min": 1, "max": MaxPageSize}, "must be between 1 and %d", MaxPageSize)
	}
	var before int64
	if cursor != "" {
		n, err := strconv.ParseInt(cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, "", fieldError("cursor", RuleInvalidFmt, Params{"format": "cursor"}, "is not a cursor this list returned")
		}
		before = n
	}
	ds, err := s.store.FailedPageDeliveries(ctx, before, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(ds) > limit {
		ds = ds[:limit]
		next = strconv.FormatInt(ds[limit-1].ID, 10)
	}
	return ds, next, nil
}
