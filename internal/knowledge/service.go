package knowledge

import (
	"context"
	"fmt"
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Service is the knowledge base's application layer: it authorises the
// actor in ctx (desk.WithActor), applies the rules and persists through
// the Store. Tickets are read and commented through the desk.
type Service struct {
	store Store
	desk  *desk.Desk
	clock desk.Clock
}

// New returns the knowledge base over st, reading tickets through d.
func New(st Store, d *desk.Desk, clock desk.Clock) *Service {
	return &Service{store: st, desk: d, clock: clock}
}

// actor returns the signed-in user, or EUNAUTHENTICATED.
func actor(ctx context.Context) (*desk.User, error) {
	u := desk.ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, desk.Errorf(desk.EUNAUTHENTICATED, "authentication required")
	}
	return u, nil
}

func requireStaff(ctx context.Context) (*desk.User, error) {
	u, err := actor(ctx)
	if err == nil && !u.Role.IsStaff() {
		err = desk.Errorf(desk.EFORBIDDEN, "only service-desk staff may do this")
	}
	return u, err
}

// CanWrite reports whether the actor may write articles: administrators,
// and staff holding the knowledge_editor permission.
func (s *Service) CanWrite(ctx context.Context) bool {
	_, err := s.requireWriter(ctx)
	return err == nil
}

func (s *Service) requireWriter(ctx context.Context) (*desk.User, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role == desk.RoleAdmin {
		return u, nil
	}
	ok, err := s.store.HasPermission(ctx, u.ID, PermissionEditor)
	if err != nil {
		return nil, fmt.Errorf("check knowledge editor: %w", err)
	}
	if !ok {
		return nil, desk.Errorf(desk.EFORBIDDEN, "only administrators and knowledge editors may write articles")
	}
	return u, nil
}

// Article returns one article the actor may read; others are not found.
func (s *Service) Article(ctx context.Context, id int64) (*Article, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if !Visible(u, a) {
		return nil, desk.Errorf(desk.ENOTFOUND, "no article %d", id)
	}
	return a, nil
}

// List returns a page of the articles the actor may read, newest first.
// Requesters get published public articles whatever the filter asks.
func (s *Service) List(ctx context.Context, f Filter) (*Page, error) {
	u, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Role.IsStaff() {
		f.States, f.Audiences = []State{Published}, []Audience{Public}
	}
	return s.store.ListArticles(ctx, f)
}

// Versions returns an article's versions, newest first (staff).
func (s *Service) Versions(ctx context.Context, id int64) ([]*Version, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if _, err := s.store.Article(ctx, id); err != nil {
		return nil, err
	}
	return s.store.ArticleVersions(ctx, id)
}

// Version returns one version of an article (staff).
func (s *Service) Version(ctx context.Context, id int64, number int) (*Version, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.ArticleVersion(ctx, id, number)
}

// Diff returns the line diff from version from to version to (staff).
func (s *Service) Diff(ctx context.Context, id int64, from, to int) ([]DiffLine, error) {
	a, err := s.Version(ctx, id, from)
	if err != nil {
		return nil, err
	}
	b, err := s.Version(ctx, id, to)
	if err != nil {
		return nil, err
	}
	return DiffLines(a.Content.Lines(), b.Content.Lines()), nil
}

// SetEditor grants or withdraws the knowledge_editor permission of a
// member of staff (administrators only).
func (s *Service) SetEditor(ctx context.Context, userID int64, on bool) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	u, err := s.desk.User(ctx, userID)
	if err != nil {
		return err
	}
	if on && !u.Role.IsStaff() {
		return desk.Refusef(desk.EINVALID, desk.RuleNotAllowed, nil, "%s is a requester: only staff may edit articles", u.Email)
	}
	return s.store.SetPermission(ctx, userID, PermissionEditor, on)
}

// Editors returns the users holding knowledge_editor (staff).
func (s *Service) Editors(ctx context.Context) ([]*desk.User, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	ids, err := s.store.PermissionHolders(ctx, PermissionEditor)
	if err != nil {
		return nil, err
	}
	out := make([]*desk.User, 0, len(ids))
	for _, id := range ids {
		u, err := s.desk.User(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *desk.User) int { return int(a.ID - b.ID) })
	return out, nil
}
