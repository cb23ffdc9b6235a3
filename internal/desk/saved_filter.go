package desk

import (
	"context"
	"strings"
	"time"
)

// SavedFilter is a ticket filter a user keeps under a name, to open as a
// queue of their own. It belongs to that user alone.
type SavedFilter struct {
	ID        int64
	UserID    int64
	Name      string
	Filter    FilterSpec
	CreatedAt time.Time
	UpdatedAt time.Time
}

// FilterSpec is the part of a ticket filter worth saving: what to select
// and how to sort, never a page position or whose visibility applies
// (always the user running it). Relative conditions (AssignedToMe,
// DueWithinMinutes, Breached) are evaluated when the filter runs.
type FilterSpec struct {
	States       []State      `json:"states,omitempty"`
	Types        []TicketType `json:"types,omitempty"`
	Priorities   []Priority   `json:"priorities,omitempty"`
	Lines        []Line       `json:"lines,omitempty"`
	GroupIDs     []int64      `json:"group_ids,omitempty"`
	AssigneeID   *int64       `json:"assignee_id,omitempty"` // 0: unassigned
	AssignedToMe bool         `json:"assigned_to_me,omitempty"`
	RequesterID  *int64       `json:"requester_id,omitempty"`
	CategoryID   *int64       `json:"category_id,omitempty"`
	ServiceID    *int64       `json:"service_id,omitempty"`
	Query        string       `json:"query,omitempty"`
	// DueWithinMinutes selects tickets whose next SLA deadline is within
	// that many minutes from now; Breached those whose deadline passed.
	DueWithinMinutes int        `json:"due_within_minutes,omitempty"`
	Breached         bool       `json:"breached,omitempty"`
	Sort             TicketSort `json:"sort,omitempty"` // default SortSLA
	Desc             bool       `json:"desc,omitempty"`
}

// MaxSavedFilters bounds how many filters one user keeps.
const MaxSavedFilters = 100

// SavedFilterStore keeps saved filters.
type SavedFilterStore interface {
	// CreateSavedFilter assigns f.ID; a name the user already has (in any
	// case) is ECONFLICT on "name".
	CreateSavedFilter(ctx context.Context, f *SavedFilter) error
	// UpdateSavedFilter stores Name, Filter and UpdatedAt of f.
	UpdateSavedFilter(ctx context.Context, f *SavedFilter) error
	DeleteSavedFilter(ctx context.Context, id int64) error
	GetSavedFilter(ctx context.Context, id int64) (*SavedFilter, error)
	// ListSavedFilters returns the user's filters by name.
	ListSavedFilters(ctx context.Context, userID int64) ([]*SavedFilter, error)
}

// SavedFilterInput names and describes a filter.
type SavedFilterInput struct {
	Name   string
	Filter FilterSpec
}

// TicketFilter turns the spec into the filter of a run by u at now.
func (fs FilterSpec) TicketFilter(u *User, now time.Time) TicketFilter {
	f := TicketFilter{States: fs.States, Types: fs.Types, Priorities: fs.Priorities, Lines: fs.Lines,
		GroupIDs: fs.GroupIDs, AssigneeID: fs.AssigneeID, RequesterID: fs.RequesterID,
		CategoryID: fs.CategoryID, ServiceID: fs.ServiceID, Query: fs.Query, Sort: fs.Sort, Desc: fs.Desc}
	if fs.AssignedToMe {
		f.AssigneeID = ptr(u.ID)
	}
	if fs.DueWithinMinutes > 0 {
		f.SLADueFrom, f.SLADueTo = ptr(now), ptr(now.Add(time.Duration(fs.DueWithinMinutes)*time.Minute))
	}
	if fs.Breached {
		f.SLADueFrom, f.SLADueTo = nil, ptr(now)
	}
	if f.Sort == "" {
		f.Sort = SortSLA
	}
	return f
}

func (in SavedFilterInput) validate() error {
	var v validation
	v.text("name", in.Name, MaxNameLen, true)
	fs := in.Filter
	if fs.AssignedToMe && fs.AssigneeID != nil {
		v.add("filter.assigned_to_me", RuleConflicts, Params{"with": "assignee_id"}, "cannot be combined with assignee_id")
	}
	if fs.DueWithinMinutes < 0 || fs.DueWithinMinutes > int(MaxBreachWindow/time.Minute) {
		v.add("filter.due_within_minutes", RuleOutOfRange, Params{"min": 0, "max": int(MaxBreachWindow / time.Minute)}, "must be from 0 to %d", int(MaxBreachWindow/time.Minute))
	}
	if fs.Breached && fs.DueWithinMinutes > 0 {
		v.add("filter.breached", RuleConflicts, Params{"with": "due_within_minutes"}, "cannot be combined with due_within_minutes")
	}
	if err := v.err(); err != nil {
		return err
	}
	if err := checkFilter(fs.TicketFilter(&User{}, time.Time{})); err != nil {
		return prefixFields(specFields(err), "filter")
	}
	return nil
}

// specFields renames the fields of checkFilter's errors to the spec's
// JSON names (state → states).
func specFields(err error) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	names := map[string]string{"state": "states", "type": "types", "priority": "priorities", "line": "lines", "q": "query"}
	out := *e
	out.Fields = make([]FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields[i] = f
	}
	return &out
}

// SavedFilters returns the actor's saved filters by name (staff).
func (s *Desk) SavedFilters(ctx context.Context) ([]*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.ListSavedFilters(ctx, u.ID)
}

// SavedFilter returns one of the actor's filters; another user's is
// reported as not found.
func (s *Desk) SavedFilter(ctx context.Context, id int64) (*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	return s.ownFilter(ctx, u, id)
}

func (s *Desk) ownFilter(ctx context.Context, u *User, id int64) (*SavedFilter, error) {
	f, err := s.store.GetSavedFilter(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.UserID != u.ID {
		return nil, Errorf(ENOTFOUND, "no saved filter %d", id)
	}
	return f, nil
}

// CreateSavedFilter saves a filter for the actor (staff).
func (s *Desk) CreateSavedFilter(ctx context.Context, in SavedFilterInput) (*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, err
	}
	have, err := s.store.ListSavedFilters(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	if len(have) >= MaxSavedFilters {
		return nil, Refusef(ECONFLICT, RuleTooMany, Params{"max": MaxSavedFilters}, "you already keep %d saved filters: delete one first", MaxSavedFilters)
	}
	now := s.clock.Now()
	f := &SavedFilter{UserID: u.ID, Name: in.Name, Filter: in.Filter, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateSavedFilter(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// UpdateSavedFilter replaces the name and filter of one of the actor's.
func (s *Desk) UpdateSavedFilter(ctx context.Context, id int64, in SavedFilterInput) (*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.ownFilter(ctx, u, id)
	if err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := in.validate(); err != nil {
		return nil, err
	}
	f.Name, f.Filter, f.UpdatedAt = in.Name, in.Filter, s.clock.Now()
	if err := s.store.UpdateSavedFilter(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// DeleteSavedFilter deletes one of the actor's filters.
func (s *Desk) DeleteSavedFilter(ctx context.Context, id int64) error {
	u, err := requireStaff(ctx)
	if err != nil {
		return err
	}
	if _, err := s.ownFilter(ctx, u, id); err != nil {
		return err
	}
	return s.store.DeleteSavedFilter(ctx, id)
}

// RunSavedFilter returns one page of the tickets one of the actor's
// filters selects, as a queue: paged at the instant of the first page.
func (s *Desk) RunSavedFilter(ctx context.Context, id int64, o QueueOptions) (*TicketPage, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	sf, err := s.ownFilter(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.listAt(ctx, o, func(now time.Time) (TicketFilter, error) {
		f := sf.Filter.TicketFilter(u, now)
		f.Desc = sf.Filter.Desc
		return f, nil
	})
}
