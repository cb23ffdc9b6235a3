package devgen

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// directory is what generated tickets refer to.
type directory struct {
	groups     []*desk.Group
	cumWeight  []int             // cumulative weights for picking a group: line 1 is busiest
	agents     map[int64][]int64 // group id → member agents
	requesters []int64
	categories []category
	services   []int64
}

type category struct {
	id   int64
	subs []int64
}

const agentsPerGroup = 3

func buildDirectory(ctx context.Context, s *sqlstore.Store, r *rand.Rand, requesters int) (*directory, error) {
	d := &directory{agents: map[int64][]int64{}}
	steps := []func() error{
		func() error { return d.makeGroups(ctx, s) },
		func() error { return d.makeAgents(ctx, s) },
		func() error { return d.makeRequesters(ctx, s, r, requesters) },
		func() error { return d.makeCategories(ctx, s) },
		func() error { return d.makeServices(ctx, s) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// makeGroups takes the default group and creates (or finds by name) the
// others. The default group weighs most: it is the first-line desk.
func (d *directory) makeGroups(ctx context.Context, s *sqlstore.Store) error {
	existing, err := s.ListGroups(ctx)
	if err != nil {
		return err
	}
	byName := map[string]*desk.Group{}
	for _, g := range existing {
		byName[g.Name] = g
	}
	def, err := s.DefaultGroup(ctx)
	if err != nil {
		return err
	}
	d.add(def, 25)
	for _, gn := range groupNames {
		g, ok := byName[gn.name]
		if !ok {
			g = &desk.Group{Name: gn.name, Line: desk.Line(gn.line), Active: true}
			if err := s.CreateGroup(ctx, g); err != nil {
				return err
			}
		}
		d.add(g, []int{0, 8, 4, 2}[g.Line])
	}
	return nil
}

func (d *directory) add(g *desk.Group, weight int) {
	total := weight
	if n := len(d.cumWeight); n > 0 {
		total += d.cumWeight[n-1]
	}
	d.groups, d.cumWeight = append(d.groups, g), append(d.cumWeight, total)
}

func (d *directory) makeAgents(ctx context.Context, s *sqlstore.Store) error {
	var users []*desk.User
	for i := range d.groups {
		for k := range agentsPerGroup {
			users = append(users, &desk.User{
				Email: fmt.Sprintf("agent.%02d.%d@tierdesk.example", i, k),
				Name:  fmt.Sprintf("Agent %d-%d", i, k), Role: desk.RoleAgent, Active: true,
			})
		}
	}
	if err := s.ImportUsers(ctx, users); err != nil {
		return err
	}
	for i, g := range d.groups {
		for _, u := range users[i*agentsPerGroup : (i+1)*agentsPerGroup] {
			if err := s.SetGroupMember(ctx, g.ID, u.ID, true); err != nil {
				return err
			}
			d.agents[g.ID] = append(d.agents[g.ID], u.ID)
		}
	}
	return nil
}

func (d *directory) makeRequesters(ctx context.Context, s *sqlstore.Store, r *rand.Rand, n int) error {
	users := make([]*desk.User, n)
	for i := range users {
		users[i] = &desk.User{
			Email: fmt.Sprintf("user%05d@corp.example", i),
			Name:  pick(r, firstNames) + " " + pick(r, lastNames),
			Phone: fmt.Sprintf("+7 495 %03d-%02d-%02d", r.IntN(1000), r.IntN(100), r.IntN(100)),
			Role:  desk.RoleRequester, Active: true,
		}
	}
	if err := s.ImportUsers(ctx, users); err != nil {
		return err
	}
	for _, u := range users {
		d.requesters = append(d.requesters, u.ID)
	}
	return nil
}

// makeCategories creates the category tree, reusing categories found by
// parent and name.
func (d *directory) makeCategories(ctx context.Context, s *sqlstore.Store) error {
	existing, err := s.ListCategories(ctx)
	if err != nil {
		return err
	}
	ids := map[[2]any]int64{}
	for _, c := range existing {
		ids[[2]any{c.ParentID, c.Name}] = c.ID
	}
	find := func(parent int64, name string) (int64, error) {
		if id, ok := ids[[2]any{parent, name}]; ok {
			return id, nil
		}
		c := &desk.Category{Name: name, ParentID: parent}
		err := s.CreateCategory(ctx, c)
		return c.ID, err
	}
	for _, top := range sortedKeys(categoryTree) {
		c := category{}
		if c.id, err = find(0, top); err != nil {
			return err
		}
		for _, sub := range categoryTree[top] {
			id, err := find(c.id, sub)
			if err != nil {
				return err
			}
			c.subs = append(c.subs, id)
		}
		d.categories = append(d.categories, c)
	}
	return nil
}

func (d *directory) makeServices(ctx context.Context, s *sqlstore.Store) error {
	existing, err := s.ListServices(ctx)
	if err != nil {
		return err
	}
	byName := map[string]int64{}
	for _, sv := range existing {
		byName[sv.Name] = sv.ID
	}
	for i, name := range serviceNames {
		id, ok := byName[name]
		if !ok {
			owner := d.groups[1+i%(len(d.groups)-1)]
			sv := &desk.Service{Name: name, OwnerGroup: &desk.Ref{ID: owner.ID}}
			if err := s.CreateService(ctx, sv); err != nil {
				return err
			}
			id = sv.ID
		}
		d.services = append(d.services, id)
	}
	return nil
}

// group picks a group by weight.
func (d *directory) group(r *rand.Rand) *desk.Group {
	x := r.IntN(d.cumWeight[len(d.cumWeight)-1])
	for i, w := range d.cumWeight {
		if x < w {
			return d.groups[i]
		}
	}
	return d.groups[0]
}
