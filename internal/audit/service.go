package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Store is where the log lives (internal/store/sqlstore).
type Store interface {
	ListAudit(ctx context.Context, f Filter) (*Page, error)
	VerifyAudit(ctx context.Context, given *Anchor) (*Report, error)
	SealAudit(ctx context.Context) (int64, error)
	AnchorAudit(ctx context.Context, minAge time.Duration) (*Anchor, error)
	LatestAuditAnchor(ctx context.Context) (*Anchor, error)
}

// CaseGate says which tickets are security cases the reader in ctx may not
// see (desk.Desk).
type CaseGate interface {
	HiddenCases(ctx context.Context, ticketIDs []int64) (map[int64]bool, error)
}

// Service is the audit log as the API and the web pages offer it: to
// administrators only. An entry about a security case the administrator
// is not on (its ticket, its evidence, anything naming the ticket) is
// listed with its kind, time, actor and record but without its detail
// (Entry.Redacted): that the case exists and was worked on is not hidden
// from the auditor, what was written about it is.
type Service struct {
	st    Store
	cases CaseGate
}

// NewService returns the service over st; cases decides which entries
// are redacted.
func NewService(st Store, cases CaseGate) *Service { return &Service{st: st, cases: cases} }

func admin(ctx context.Context) error {
	u := desk.ActorFrom(ctx)
	switch {
	case u == nil || !u.Active:
		return desk.Errorf(desk.EUNAUTHENTICATED, "authentication required")
	case u.Role != desk.RoleAdmin:
		return desk.Errorf(desk.EFORBIDDEN, "only administrators may read the audit log")
	}
	return nil
}

// List returns one page of entries matching f, newest first.
func (s *Service) List(ctx context.Context, f Filter) (*Page, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	p, err := s.st.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	return p, s.redact(ctx, p)
}

// redact empties the detail of the entries about security cases the
// reader does not see.
func (s *Service) redact(ctx context.Context, p *Page) error {
	var ids []int64
	for _, e := range p.Entries {
		if id := caseOf(e); id != 0 {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	hidden, err := s.cases.HiddenCases(ctx, ids)
	if err != nil {
		return err
	}
	for _, e := range p.Entries {
		if hidden[caseOf(e)] {
			e.Detail, e.Redacted = "{}", true
		}
	}
	return nil
}

// caseOf is the ticket an entry is about: its subject ticket/N, or the
// ticket its detail names; 0 for none.
func caseOf(e *Entry) int64 {
	if id, ok := strings.CutPrefix(e.Subject, "ticket/"); ok {
		n, _ := strconv.ParseInt(id, 10, 64)
		return n
	}
	if !strings.Contains(e.Detail, `"ticket"`) {
		return 0
	}
	var d struct {
		Ticket int64 `json:"ticket"`
	}
	_ = json.Unmarshal([]byte(e.Detail), &d) // a detail naming no ticket number is about none
	return d.Ticket
}

// Verify checks the whole chain, against given too when not nil.
func (s *Service) Verify(ctx context.Context, given *Anchor) (*Report, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	return s.st.VerifyAudit(ctx, given)
}

// Anchor chains what is pending and returns an anchor at the head, to be
// kept outside the desk; nil when the log is empty.
func (s *Service) Anchor(ctx context.Context) (*Anchor, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	if _, err := s.st.SealAudit(ctx); err != nil {
		return nil, err
	}
	return s.st.AnchorAudit(ctx, 0)
}

// LatestAnchor returns the newest anchor recorded, or nil.
func (s *Service) LatestAnchor(ctx context.Context) (*Anchor, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	return s.st.LatestAuditAnchor(ctx)
}
