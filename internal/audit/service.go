package audit

import (
	"context"
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

// Service is the audit log as the API and the web pages offer it: to
// administrators only.
type Service struct{ st Store }

// NewService returns the service over st.
func NewService(st Store) *Service { return &Service{st: st} }

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
	return s.st.ListAudit(ctx, f)
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
