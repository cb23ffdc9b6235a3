package desk

import (
	"context"
	"slices"
	"strings"
	"time"
)

// SavedFilter is a ticket filter a user keeps under a name, to open as a
// queue of their own. It belongs to its owner (UserID), who alone renames,
// reshares or deletes it; members of the groups it is shared with see and
// run it too.
type SavedFilter struct {
	ID         int64
	UserID     int64
	OwnerName  string // read from the store
	Name       string
	Filter     FilterSpec
	SharedWith []Ref // groups, by name; the store keeps the ids
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Shared reports whether the filter is shared with any of groups.
func (f *SavedFilter) Shared(groups []GroupRef) bool {
	for _, g := range groups {
		for _, r := range f.SharedWith {
			if r.ID == g.ID {
				return true
			}
		}
	}
	return false
}

// CanSeeFilter reports whether u may see and run f: their own, or shared
// with one of their groups.
func CanSeeFilter(u *User, f *SavedFilter) bool {
	return u != nil && u.Role.IsStaff() && (f.UserID == u.ID || f.Shared(u.Groups))
}

// CanChangeFilter reports whether u may rename, reshare or delete f: its
// owner only.
func CanChangeFilter(u *User, f *SavedFilter) bool {
	return u != nil && u.Role.IsStaff() && f.UserID == u.ID
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
	Channels     []Channel    `json:"channels,omitempty"`
	GroupIDs     []int64      `json:"group_ids,omitempty"`
	AssigneeID   *int64       `json:"assignee_id,omitempty"` // 0: unassigned
	AssignedToMe bool         `json:"assigned_to_me,omitempty"`
	RequesterID  *int64       `json:"requester_id,omitempty"`
	CategoryID   *int64       `json:"category_id,omitempty"`
	ServiceID    *int64       `json:"service_id,omitempty"`
	Query        string       `json:"query,omitempty"`
	// DueWithinMinutes selects tickets whose next SLA deadline is within
	// that many minutes from now; Breached those whose deadline passed.
	DueWithinMinutes int  `json:"due_within_minutes,omitempty"`
	Breached         bool `json:"breached,omitempty"`
	// CreatedFrom (inclusive) and CreatedTo (exclusive) bound when the
	// tickets were created; UpdatedFrom and UpdatedTo when last changed.
	CreatedFrom *time.Time `json:"created_from,omitempty"`
	CreatedTo   *time.Time `json:"created_to,omitempty"`
	UpdatedFrom *time.Time `json:"updated_from,omitempty"`
	UpdatedTo   *time.Time `json:"updated_to,omitempty"`
	Sort        TicketSort `json:"sort,omitempty"` // default SortSLA
	Desc        bool       `json:"desc,omitempty"`
	// Columns are the list's columns in order (see TicketColumns); none
	// means the default ones.
	Columns []string `json:"columns,omitempty"`
}

// TicketColumns are the columns a ticket list may show, in their default
// order; DefaultTicketColumns are those shown when none are chosen.
var (
	TicketColumns = []string{"number", "priority", "title", "state", "type", "channel", "requester",
		"group", "line", "assignee", "category", "service", "due", "created", "updated"}
	DefaultTicketColumns = []string{"number", "priority", "title", "state", "requester", "group", "assignee", "updated"}
)

// MaxSavedFilters bounds how many filters one user keeps.
const MaxSavedFilters = 100

// SavedFilterStore keeps saved filters.
type SavedFilterStore interface {
	// CreateSavedFilter assigns f.ID and stores the groups of SharedWith
	// (by id); a name the user already has (in any case) is ECONFLICT on
	// "name", an unknown group EINVALID on "shared_with".
	CreateSavedFilter(ctx context.Context, f *SavedFilter) error
	// UpdateSavedFilter stores Name, Filter, SharedWith and UpdatedAt of f.
	UpdateSavedFilter(ctx context.Context, f *SavedFilter) error
	DeleteSavedFilter(ctx context.Context, id int64) error
	// GetSavedFilter reads a filter with its owner's name and its groups.
	GetSavedFilter(ctx context.Context, id int64) (*SavedFilter, error)
	// ListSavedFilters returns by name the user's filters and those shared
	// with any of groupIDs.
	ListSavedFilters(ctx context.Context, userID int64, groupIDs []int64) ([]*SavedFilter, error)
}

// SavedFilterInput names and describes a filter. SharedWith names the
// groups (ids) it is shared with: the owner's own groups only.
type SavedFilterInput struct {
	Name       string
	Filter     FilterSpec
	SharedWith []int64
}

// TicketFilter turns the spec into the filter of a run by u at now.
func (fs FilterSpec) TicketFilter(u *User, now time.Time) TicketFilter {
	f := TicketFilter{States: fs.States, Types: fs.Types, Priorities: fs.Priorities, Lines: fs.Lines,
		Channels: fs.Channels, GroupIDs: fs.GroupIDs, AssigneeID: fs.AssigneeID, RequesterID: fs.RequesterID,
		CategoryID: fs.CategoryID, ServiceID: fs.ServiceID, Query: fs.Query, Sort: fs.Sort, Desc: fs.Desc,
		CreatedFrom: fs.CreatedFrom, CreatedTo: fs.CreatedTo, UpdatedFrom: fs.UpdatedFrom, UpdatedTo: fs.UpdatedTo}
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
	for _, c := range fs.Columns {
		v.enum("filter.columns", c, TicketColumns, false)
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
	names := map[string]string{"state": "states", "type": "types", "priority": "priorities", "line": "lines",
		"channel": "channels", "q": "query"}
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

// checkSharing refuses groups u is not a member of: a filter is shared
// with the owner's own groups only.
func checkSharing(u *User, ids []int64) ([]Ref, error) {
	var out []Ref
	for _, id := range ids {
		i := slices.IndexFunc(u.Groups, func(g GroupRef) bool { return g.ID == id })
		if i < 0 {
			return nil, fieldErr("shared_with", RuleNotAllowed, Params{"id": id}, "you can share a filter only with your own groups (not group %d)", id)
		}
		if !slices.ContainsFunc(out, func(r Ref) bool { return r.ID == id }) {
			out = append(out, Ref{ID: id, Name: u.Groups[i].Name})
		}
	}
	return out, nil
}

// SavedFilters returns by name the actor's saved filters and those shared
// with their groups (staff).
func (s *Desk) SavedFilters(ctx context.Context) ([]*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	var groups []int64
	for _, g := range u.Groups {
		groups = append(groups, g.ID)
	}
	all, err := s.store.ListSavedFilters(ctx, u.ID, groups)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(f *SavedFilter) bool { return !CanSeeFilter(u, f) }), nil
}

// SavedFilter returns a filter the actor may see (their own or shared with
// their groups); any other is reported as not found.
func (s *Desk) SavedFilter(ctx context.Context, id int64) (*SavedFilter, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	return s.visibleFilter(ctx, u, id)
}

func (s *Desk) visibleFilter(ctx context.Context, u *User, id int64) (*SavedFilter, error) {
	f, err := s.store.GetSavedFilter(ctx, id)
	if err != nil {
		return nil, err
	}
	if !CanSeeFilter(u, f) {
		return nil, Errorf(ENOTFOUND, "no saved filter %d", id)
	}
	return f, nil
}

// ownFilter returns a filter the actor owns; one shared with them is
// forbidden, any other not found.
func (s *Desk) ownFilter(ctx context.Context, u *User, id int64) (*SavedFilter, error) {
	f, err := s.visibleFilter(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !CanChangeFilter(u, f) {
		return nil, Refusef(EFORBIDDEN, RuleNotOwner, Params{"owner": f.OwnerName}, "only %s, who saved the filter, may change or delete it", f.OwnerName)
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
	shared, err := checkSharing(u, in.SharedWith)
	if err != nil {
		return nil, err
	}
	have, err := s.store.ListSavedFilters(ctx, u.ID, nil)
	if err != nil {
		return nil, err
	}
	if len(have) >= MaxSavedFilters {
		return nil, Refusef(ECONFLICT, RuleTooMany, Params{"max": MaxSavedFilters}, "you already keep %d saved filters: delete one first", MaxSavedFilters)
	}
	now := s.clock.Now()
	f := &SavedFilter{UserID: u.ID, OwnerName: u.Name, Name: in.Name, Filter: in.Filter, SharedWith: shared, CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateSavedFilter(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// UpdateSavedFilter replaces the name, filter and sharing of one of the
// actor's own filters.
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
	shared, err := checkSharing(u, in.SharedWith)
	if err != nil {
		return nil, err
	}
	f.Name, f.Filter, f.SharedWith, f.UpdatedAt = in.Name, in.Filter, shared, s.clock.Now()
	if err := s.store.UpdateSavedFilter(ctx, f); err != nil {
		return nil, err
	}
	return f, nil
}

// DeleteSavedFilter deletes one of the actor's own filters.
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

// RunSavedFilter returns one page of the tickets a filter the actor may
// see selects, as a queue: paged at the instant of the first page.
// "Assigned to me" means the actor running it.
func (s *Desk) RunSavedFilter(ctx context.Context, id int64, o QueueOptions) (*TicketPage, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	sf, err := s.visibleFilter(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.listAt(ctx, o, func(now time.Time) (TicketFilter, error) {
		f := sf.Filter.TicketFilter(u, now)
		f.Desc = sf.Filter.Desc
		return f, nil
	})
}
