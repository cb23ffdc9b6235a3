package knowledge

import (
	"context"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Create stores a new draft article as version 1 (writers). The owner is
// the writer unless the input names another member of staff.
func (s *Service) Create(ctx context.Context, in Input) (*Article, error) {
	u, err := s.requireWriter(ctx)
	if err != nil {
		return nil, err
	}
	if in.OwnerID == 0 {
		in.OwnerID = u.ID
	}
	c, err := s.content(ctx, &in)
	if err != nil {
		return nil, err
	}
	c.State = Draft
	now := s.clock.Now()
	a := &Article{Content: *c, Version: 1, CreatedAt: now, UpdatedAt: now}
	v := s.version(u, a, in.Note, "created")
	if err := s.store.CreateArticle(ctx, a, v, IndexTerms(&a.Content)); err != nil {
		return nil, fmt.Errorf("create article: %w", err)
	}
	return a, nil
}

// Update replaces an article's content (its state stays) as a new version
// (writers). in.IfVersion, when set, must be the stored version.
func (s *Service) Update(ctx context.Context, id int64, in Input) (*Article, error) {
	u, err := s.requireWriter(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.current(ctx, id, in.IfVersion)
	if err != nil {
		return nil, err
	}
	if in.OwnerID == 0 && a.Owner != nil {
		in.OwnerID = a.Owner.ID
	}
	c, err := s.content(ctx, &in)
	if err != nil {
		return nil, err
	}
	c.State = a.State
	return s.save(ctx, u, a, *c, in.Note, "edited")
}

// SetState publishes, retires or takes back an article to draft as a new
// version (writers).
func (s *Service) SetState(ctx context.Context, id int64, to State, ifVersion int, note string) (*Article, error) {
	u, err := s.requireWriter(ctx)
	if err != nil {
		return nil, err
	}
	a, err := s.current(ctx, id, ifVersion)
	if err != nil {
		return nil, err
	}
	if err := checkMove(a.State, to); err != nil {
		return nil, err
	}
	var c checker
	c.text("note", note, MaxNoteLen, false)
	if err := c.err(); err != nil {
		return nil, err
	}
	content := a.Content
	content.State = to
	return s.save(ctx, u, a, content, note, string(to))
}

// current loads an article for a change, refusing a stale ifVersion.
func (s *Service) current(ctx context.Context, id int64, ifVersion int) (*Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifVersion != 0 && ifVersion != a.Version {
		return nil, desk.Errorf(desk.ESTALE, "article %d is at version %d, not %d: reload it and edit again", id, a.Version, ifVersion)
	}
	return a, nil
}

func (s *Service) save(ctx context.Context, u *desk.User, a *Article, c Content, note, defaultNote string) (*Article, error) {
	next := *a
	next.Content = c
	next.Version = a.Version + 1
	next.UpdatedAt = s.clock.Now()
	v := s.version(u, &next, note, defaultNote)
	if err := s.store.SaveArticle(ctx, &next, v, IndexTerms(&next.Content)); err != nil {
		return nil, fmt.Errorf("save article %d: %w", a.ID, err)
	}
	return &next, nil
}

func (s *Service) version(u *desk.User, a *Article, note, defaultNote string) *Version {
	if note == "" {
		note = defaultNote
	}
	return &Version{ArticleID: a.ID, Number: a.Version, Author: desk.Ref{ID: u.ID, Name: u.Name},
		At: a.UpdatedAt, Note: note, Content: a.Content}
}

// content validates the input and resolves its references into the
// content a version keeps (with the names as they are now).
func (s *Service) content(ctx context.Context, in *Input) (*Content, error) {
	in.Normalize()
	if err := in.Validate(); err != nil {
		return nil, err
	}
	c := &Content{Key: in.Key, Translations: in.Translations, Keywords: in.Keywords, Audience: in.Audience, ReviewAt: in.ReviewAt}
	var chk checker
	if in.CategoryID != 0 {
		cat, err := s.desk.Category(ctx, in.CategoryID)
		if err := refErr(&chk, "category_id", err); err != nil {
			return nil, err
		}
		if cat != nil {
			c.Category = &desk.Ref{ID: cat.ID, Name: cat.Name}
		}
	}
	for _, id := range in.ServiceIDs {
		svc, err := s.desk.BusinessService(ctx, id)
		if err := refErr(&chk, "service_ids", err); err != nil {
			return nil, err
		}
		if svc != nil {
			c.Services = append(c.Services, desk.Ref{ID: svc.ID, Name: svc.Name})
		}
	}
	if in.OwnerID != 0 {
		o, err := s.desk.User(ctx, in.OwnerID)
		if err := refErr(&chk, "owner_id", err); err != nil {
			return nil, err
		}
		if o != nil && !o.Role.IsStaff() {
			chk.add("owner_id", desk.RuleNotAllowed, nil, "the owner must be a member of staff")
		} else if o != nil {
			c.Owner = &desk.Ref{ID: o.ID, Name: o.Name}
		}
	}
	return c, chk.err()
}

// refErr turns a reference that names nothing into a field error (kept
// in chk), and passes any other failure on.
func refErr(chk *checker, field string, err error) error {
	switch desk.ErrorCode(err) {
	case "":
		return nil
	case desk.ENOTFOUND:
		chk.add(field, desk.RuleUnknown, nil, "names nothing that exists")
		return nil
	}
	return err
}
