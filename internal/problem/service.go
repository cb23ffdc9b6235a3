package problem

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Service is problem management's application layer: it authorises the
// actor in ctx (desk.WithActor), applies the rules and persists through
// the Store; tickets are read and changed through the desk. Problems are
// staff records: requesters see none of them.
type Service struct {
	store Store
	desk  *desk.Desk
	clock desk.Clock
}

// New returns problem management over st, changing tickets through d.
func New(st Store, d *desk.Desk, clock desk.Clock) *Service {
	return &Service{store: st, desk: d, clock: clock}
}

// staff returns the signed-in member of staff: problems are staff's
// records only.
func staff(ctx context.Context) (*desk.User, error) { return desk.RequireStaff(ctx) }

// Input is a new problem, or with Patch a change of one.
type Input struct {
	Title       string
	Description string
	RootCause   string
	Impact      desk.Level // "": medium
	GroupID     int64      // 0: the creator's first group, else the default
	CategoryID  int64
	ServiceID   int64
	References  []Reference
}

// Create records a new problem (staff).
func (s *Service) Create(ctx context.Context, in Input) (*Problem, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if in.Impact == "" {
		in.Impact = desk.LevelMedium
	}
	in.References = cleanRefs(in.References)
	var c checks
	c.text("title", in.Title, MaxTitleLen, true)
	c.text("description", in.Description, MaxTextLen, false)
	c.text("root_cause", in.RootCause, MaxTextLen, false)
	c.level("impact", in.Impact)
	c.refs(in.References)
	if err := c.err(); err != nil {
		return nil, err
	}
	now := s.clock.Now()
	p := &Problem{Title: strings.TrimSpace(in.Title), Description: in.Description, RootCause: in.RootCause,
		Impact: in.Impact, State: StateNew, References: in.References, CreatedBy: &desk.Ref{ID: u.ID, Name: u.Name},
		Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := s.refs(ctx, p, u, in.GroupID, in.CategoryID, in.ServiceID); err != nil {
		return nil, err
	}
	if err := s.store.CreateProblem(ctx, p); err != nil {
		return nil, fmt.Errorf("create problem: %w", err)
	}
	return p, nil
}

// refs sets the owner group, category and service, checking they exist.
func (s *Service) refs(ctx context.Context, p *Problem, u *desk.User, groupID, categoryID, serviceID int64) error {
	if groupID == 0 && len(u.Groups) > 0 && p.Group == nil {
		groupID = u.Groups[0].ID
	}
	var c checks
	if groupID != 0 {
		g, err := s.desk.Group(ctx, groupID)
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			c.add("group_id", desk.RuleUnknown, nil, "no group %d", groupID)
		} else if err != nil {
			return err
		} else {
			p.Group = &desk.Ref{ID: g.ID, Name: g.Name}
		}
	}
	if categoryID > 0 {
		cat, err := s.desk.Category(ctx, categoryID)
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			c.add("category_id", desk.RuleUnknown, nil, "no category %d", categoryID)
		} else if err != nil {
			return err
		} else {
			p.Category = &desk.Ref{ID: cat.ID, Name: cat.Name}
		}
	} else if categoryID < 0 {
		p.Category = nil
	}
	if serviceID > 0 {
		svc, err := s.desk.BusinessService(ctx, serviceID)
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			c.add("service_id", desk.RuleUnknown, nil, "no service %d", serviceID)
		} else if err != nil {
			return err
		} else {
			p.Service = &desk.Ref{ID: svc.ID, Name: svc.Name}
		}
	} else if serviceID < 0 {
		p.Service = nil
	}
	return c.err()
}

// Problem returns one problem (staff); ref is an id or a number.
func (s *Service) Problem(ctx context.Context, ref string) (*Problem, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	id, err := ParseRef(ref)
	if err != nil {
		return nil, err
	}
	return s.store.Problem(ctx, id)
}

// List returns a page of problems, newest first (staff).
func (s *Service) List(ctx context.Context, f Filter) (*Page, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, desk.MaxPageSize)
	f.Text = strings.ToLower(strings.TrimSpace(f.Text))
	return s.store.ListProblems(ctx, f)
}

// Patch changes a problem's fields; nil leaves a field alone. A category
// or service id of -1 clears it.
type Patch struct {
	Title       *string
	Description *string
	RootCause   *string
	Impact      *desk.Level
	GroupID     *int64
	CategoryID  *int64
	ServiceID   *int64
	Fix         *string
	References  *[]Reference
	// IfVersion, when non-zero, refuses the change with ESTALE unless the
	// problem is still at that version.
	IfVersion int
}

// Update changes a problem (staff). A closed problem is final.
func (s *Service) Update(ctx context.Context, ref string, in Patch) (*Problem, error) {
	u, p, err := s.forChange(ctx, ref, in.IfVersion)
	if err != nil {
		return nil, err
	}
	var c checks
	set := func(field string, dst *string, src *string, max int, required bool) {
		if src != nil {
			c.text(field, *src, max, required)
			*dst = strings.TrimSpace(*src)
		}
	}
	set("title", &p.Title, in.Title, MaxTitleLen, true)
	set("description", &p.Description, in.Description, MaxTextLen, false)
	set("root_cause", &p.RootCause, in.RootCause, MaxTextLen, false)
	set("fix", &p.Fix, in.Fix, MaxTextLen, false)
	if in.Impact != nil {
		c.level("impact", *in.Impact)
		p.Impact = *in.Impact
	}
	if in.References != nil {
		p.References = cleanRefs(*in.References)
		c.refs(p.References)
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	var gid, cid, sid int64
	if in.GroupID != nil {
		gid = *in.GroupID
	}
	if in.CategoryID != nil {
		cid = *in.CategoryID
	}
	if in.ServiceID != nil {
		sid = *in.ServiceID
	}
	if err := s.refs(ctx, p, u, gid, cid, sid); err != nil {
		return nil, err
	}
	return p, s.save(ctx, p)
}

// forChange loads a problem the actor may change, checking the version.
func (s *Service) forChange(ctx context.Context, ref string, ifVersion int) (*desk.User, *Problem, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, nil, err
	}
	id, err := ParseRef(ref)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.store.Problem(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if ifVersion != 0 && ifVersion != p.Version {
		return nil, nil, desk.Errorf(desk.ESTALE, "problem %s changed since version %d (now %d): reload it", p.Number(), ifVersion, p.Version)
	}
	if p.State == StateClosed {
		return nil, nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(p.State), "problem": p.Number()},
			"problem %s is closed and cannot change", p.Number())
	}
	return u, p, nil
}

func (s *Service) save(ctx context.Context, p *Problem) error {
	p.UpdatedAt = s.clock.Now()
	if err := s.store.SaveProblem(ctx, p); err != nil {
		return fmt.Errorf("save problem %s: %w", p.Number(), err)
	}
	return nil
}

// Move changes a problem's state (staff): a known error needs its
// workaround (PublishWorkaround records one), a resolution its fix
// (Resolve also offers to resolve the incidents); closing is final.
func (s *Service) Move(ctx context.Context, ref string, to State, ifVersion int) (*Problem, error) {
	_, p, err := s.forChange(ctx, ref, ifVersion)
	if err != nil {
		return nil, err
	}
	if err := s.enter(p, to); err != nil {
		return nil, err
	}
	return p, s.save(ctx, p)
}

// enter moves p to to, checking what the state needs.
func (s *Service) enter(p *Problem, to State) error {
	if !CanMove(p.State, to) {
		e := desk.Refusef(desk.ECONFLICT, desk.RuleTransition, desk.Params{"from": string(p.State), "to": string(to), "problem": p.Number()},
			"a problem cannot move from %s to %s", p.State, to)
		e.Allowed = []string{}
		for _, m := range Moves(p.State) {
			e.Allowed = append(e.Allowed, string(m))
		}
		return e
	}
	now := s.clock.Now()
	switch to {
	case StateKnownError:
		if strings.TrimSpace(p.Workaround) == "" {
			return desk.InvalidFields(desk.Invalid("workaround", desk.RuleRequired, nil, "a known error needs its workaround: publish one"))
		}
		if p.KnownErrorAt == nil {
			p.KnownErrorAt = &now
		}
	case StateResolved:
		if strings.TrimSpace(p.Fix) == "" {
			return desk.InvalidFields(desk.Invalid("fix", desk.RuleRequired, nil, "is required to resolve a problem: describe the permanent fix"))
		}
		p.ResolvedAt = &now
	case StateClosed:
		p.ClosedAt = &now
	case StateInvestigating:
		p.ResolvedAt = nil
	}
	p.State = to
	return nil
}

// since is a time as far back as d from now.
func (s *Service) since(d time.Duration) time.Time { return s.clock.Now().Add(-d) }
