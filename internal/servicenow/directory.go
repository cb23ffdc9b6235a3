package servicenow

import (
	"cmp"
	"context"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Directory maps the log's anonymised names (Group 56, Resolver 89,
// Caller 2403, Category 55 / Subcategory 170) to stored records, creating
// the ones the desk lacks: groups on line 1, callers as requesters,
// assignees and everyone who changed an incident as agents, assignees as
// members of the groups they worked in, and the two-level category tree.
// Records are found by name (people by their made-up e-mail), so a second
// import reuses them.
type Directory struct {
	defaultGroup desk.GroupRef
	groups       map[string]desk.GroupRef
	users        map[string]int64    // by name
	categories   map[[2]string]int64 // by {parent name, name}; "" parent for the top level
	members      map[[2]int64]bool   // {group id, user id}
}

func newDirectory(defaultGroup desk.GroupRef) *Directory {
	return &Directory{
		defaultGroup: defaultGroup,
		groups:       map[string]desk.GroupRef{},
		users:        map[string]int64{},
		categories:   map[[2]string]int64{},
		members:      map[[2]int64]bool{},
	}
}

// Group returns the group of that name; an incident with no assignment
// group sits with our default (service-desk) group.
func (d *Directory) Group(name string) desk.GroupRef {
	if name == "" {
		return d.defaultGroup
	}
	if g, ok := d.groups[name]; ok {
		return g
	}
	return desk.GroupRef{Name: name, Line: ImportedLine}
}

// User returns the person of that name, or nil for none.
func (d *Directory) User(name string) *desk.Ref {
	if name == "" {
		return nil
	}
	return &desk.Ref{ID: d.users[name], Name: name}
}

// Category returns the top-level category of that name, or nil.
func (d *Directory) Category(name string) *desk.Ref {
	if name == "" {
		return nil
	}
	return &desk.Ref{ID: d.categories[[2]string{"", name}], Name: name}
}

// Subcategory returns the subcategory under category, or nil.
func (d *Directory) Subcategory(category, name string) *desk.Ref {
	if category == "" || name == "" {
		return nil
	}
	return &desk.Ref{ID: d.categories[[2]string{category, name}], Name: name}
}

// loadDirectory reads what the desk already has: the default group, every
// group and the category tree. People are found as they are imported.
func loadDirectory(ctx context.Context, s *sqlstore.Store) (*Directory, error) {
	def, err := s.DefaultGroup(ctx)
	if err != nil {
		return nil, fmt.Errorf("default group: %w", err)
	}
	d := newDirectory(desk.GroupRef{ID: def.ID, Name: def.Name, Line: def.Line})
	groups, err := s.ListGroups(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range groups {
		d.groups[g.Name] = desk.GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
	}
	cats, err := s.ListCategories(ctx)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, c := range cats {
		names[c.ID] = c.Name
	}
	for _, c := range cats {
		parent := ""
		if c.ParentID != 0 {
			parent = names[c.ParentID]
		}
		if _, dup := d.categories[[2]string{parent, c.Name}]; !dup {
			d.categories[[2]string{parent, c.Name}] = c.ID
		}
	}
	return d, nil
}

// ensure stores whatever the incidents name that the directory lacks.
func (d *Directory) ensure(ctx context.Context, s *sqlstore.Store, incs []*Incident) error {
	steps := []func() error{
		func() error { return d.ensureGroups(ctx, s, incs) },
		func() error { return d.ensureUsers(ctx, s, incs) },
		func() error { return d.ensureCategories(ctx, s, incs) },
		func() error { return d.ensureMembers(ctx, s, incs) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (d *Directory) ensureGroups(ctx context.Context, s *sqlstore.Store, incs []*Incident) error {
	var missing []*desk.Group
	seen := map[string]bool{}
	eachRow(incs, func(r *Row) {
		if _, ok := d.groups[r.Group]; r.Group != "" && !ok && !seen[r.Group] {
			seen[r.Group] = true
			missing = append(missing, &desk.Group{Name: r.Group, Line: ImportedLine, Active: true})
		}
	})
	if len(missing) == 0 {
		return nil
	}
	if err := s.EnsureGroups(ctx, missing); err != nil {
		return err
	}
	for _, g := range missing {
		d.groups[g.Name] = desk.GroupRef{ID: g.ID, Name: g.Name, Line: g.Line}
	}
	return nil
}

func (d *Directory) ensureUsers(ctx context.Context, s *sqlstore.Store, incs []*Incident) error {
	byEmail := map[string]*desk.User{}
	byName := map[string]*desk.User{}
	var users []*desk.User
	want := func(name string, role desk.Role) {
		if _, ok := d.users[name]; name == "" || ok || byName[name] != nil {
			return
		}
		email := Email(name)
		u := byEmail[email]
		if u == nil {
			u = &desk.User{Email: email, Name: name, Role: role, Active: true}
			byEmail[email] = u
			users = append(users, u)
		}
		byName[name] = u
	}
	eachRow(incs, func(r *Row) {
		want(r.AssignedTo, desk.RoleAgent)
		want(r.UpdatedBy, desk.RoleAgent)
		want(r.OpenedBy, desk.RoleAgent)
		want(cmp.Or(r.Caller, UnknownCaller), desk.RoleRequester)
	})
	if len(users) == 0 {
		return nil
	}
	if err := s.ImportUsers(ctx, users); err != nil {
		return err
	}
	for name, u := range byName {
		d.users[name] = u.ID
	}
	return nil
}

func (d *Directory) ensureCategories(ctx context.Context, s *sqlstore.Store, incs []*Incident) error {
	var err error
	create := func(parent, name string) {
		key := [2]string{parent, name}
		if _, ok := d.categories[key]; err != nil || ok || name == "" {
			return
		}
		c := &desk.Category{Name: name, ParentID: d.categories[[2]string{"", parent}]}
		if err = s.CreateCategory(ctx, c); err == nil {
			d.categories[key] = c.ID
		}
	}
	eachRow(incs, func(r *Row) {
		if r.Category != "" {
			create("", r.Category)
			create(r.Category, r.Subcategory)
		}
	})
	return err
}

// ensureMembers makes every assignee a member of the groups the log shows
// them assigned in.
func (d *Directory) ensureMembers(ctx context.Context, s *sqlstore.Store, incs []*Incident) error {
	var missing [][2]int64
	eachRow(incs, func(r *Row) {
		if r.Group == "" || r.AssignedTo == "" {
			return
		}
		m := [2]int64{d.groups[r.Group].ID, d.users[r.AssignedTo]}
		if !d.members[m] {
			d.members[m] = true
			missing = append(missing, m)
		}
	})
	if len(missing) == 0 {
		return nil
	}
	if err := s.ImportGroupMembers(ctx, missing); err != nil {
		for _, m := range missing {
			delete(d.members, m)
		}
		return err
	}
	return nil
}

func eachRow(incs []*Incident, fn func(*Row)) {
	for _, inc := range incs {
		for i := range inc.Rows {
			fn(&inc.Rows[i])
		}
	}
}
