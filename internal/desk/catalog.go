package desk

import (
	"context"
	"fmt"
	"strings"
)

// GroupInput creates a group; GroupPatch changes one (nil leaves alone).
type GroupInput struct {
	Name      string
	Line      Line
	ManagerID int64
	Default   bool
	Security  bool // handles security cases (security administrators only)
}

// GroupPatch changes a group; ManagerID 0 removes the manager.
type GroupPatch struct {
	Name      *string
	Line      *Line
	ManagerID *int64
	Default   *bool
	Active    *bool
	Security  *bool // security administrators only (security.go)
}

// CreateGroup adds a support group (admins only).
func (s *Desk) CreateGroup(ctx context.Context, in GroupInput) (*Group, error) {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	if in.Security && !securityAdmin(admin) {
		return nil, Errorf(EFORBIDDEN, "only a member of a security group may create one")
	}
	g := &Group{Name: in.Name, Line: in.Line, Default: in.Default, Active: true, Security: in.Security}
	if err := s.checkGroup(ctx, g, in.ManagerID); err != nil {
		return nil, err
	}
	if err := s.store.CreateGroup(ctx, g); err != nil {
		return nil, fmt.Errorf("create group: %w", err)
	}
	return g, nil
}

// UpdateGroup changes a group (admins only). Groups are deactivated, never
// deleted; the default group stays active and on line 1.
func (s *Desk) UpdateGroup(ctx context.Context, id int64, p GroupPatch) (*Group, error) {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.store.GetGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.Security != nil && *p.Security != g.Security && !securityAdmin(admin) {
		return nil, Errorf(EFORBIDDEN, "only a member of a security group may flag a group as security or unflag one")
	}
	setIf(&g.Security, p.Security)
	wasDefault := g.Default
	setIf(&g.Name, p.Name)
	setIf(&g.Line, p.Line)
	setIf(&g.Default, p.Default)
	setIf(&g.Active, p.Active)
	if wasDefault && !g.Default {
		return nil, Refusef(ECONFLICT, RuleDefaultGroup, nil, "make another group the default instead of unsetting it")
	}
	managerID := refID(g.Manager)
	setIf(&managerID, p.ManagerID)
	if err := s.checkGroup(ctx, g, managerID); err != nil {
		return nil, err
	}
	if err := s.store.UpdateGroup(ctx, g); err != nil {
		return nil, fmt.Errorf("update group %d: %w", id, err)
	}
	return g, nil
}

func (s *Desk) checkGroup(ctx context.Context, g *Group, managerID int64) error {
	var v validation
	g.Name = strings.TrimSpace(g.Name)
	v.text("name", g.Name, MaxNameLen, true)
	if !g.Line.Valid() {
		v.add("line", RuleOneOf, Params{"allowed": []string{"1", "2", "3"}}, "must be 1, 2 or 3")
	}
	if g.Default && (g.Line != Line1 || !g.Active) {
		v.add("default", RuleNotAllowed, nil, "the default group must be an active line-1 group")
	}
	g.Manager = nil
	if managerID != 0 {
		m, err := s.store.GetUser(ctx, managerID)
		if err == nil && m.Active && (m.Role == RoleManager || m.Role == RoleAdmin) {
			g.Manager = &Ref{ID: m.ID, Name: m.Name}
		} else if err == nil || ErrorCode(err) == ENOTFOUND {
			v.add("manager_id", RuleNotAllowed, nil, "user %d is not an active manager or admin", managerID)
		} else {
			return err
		}
	}
	return v.err()
}

// Group returns one group; Groups lists them all (staff only).
func (s *Desk) Group(ctx context.Context, id int64) (*Group, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.GetGroup(ctx, id)
}

// Groups lists every group (staff only).
func (s *Desk) Groups(ctx context.Context) ([]*Group, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.ListGroups(ctx)
}

// GroupMembers lists a group's members (staff only).
func (s *Desk) GroupMembers(ctx context.Context, groupID int64) ([]*User, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if _, err := s.store.GetGroup(ctx, groupID); err != nil {
		return nil, err
	}
	return s.store.GroupMembers(ctx, groupID)
}

// SetGroupMember adds or removes a staff member (admins only).
func (s *Desk) SetGroupMember(ctx context.Context, groupID, userID int64, member bool) error {
	admin, err := requireAdmin(ctx)
	if err != nil {
		return err
	}
	g, err := s.store.GetGroup(ctx, groupID)
	if err != nil {
		return err
	}
	if g.Security && !securityAdmin(admin) {
		return Errorf(EFORBIDDEN, "only a member of a security group may change who is in one")
	}
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return err
	}
	if member && !u.Role.IsStaff() {
		return fieldError("user_id", RuleNotAllowed, nil, "%s is a requester; only staff join support groups", u.Email)
	}
	return s.store.SetGroupMember(ctx, groupID, userID, member)
}

// CategoryInput creates a category (ParentID 0) or a subcategory.
type CategoryInput struct {
	Name     string
	ParentID int64
	GroupID  int64 // line-1 group that takes new tickets of this category
}

// CategoryPatch changes a category; GroupID 0 removes the routing group.
type CategoryPatch struct {
	Name    *string
	GroupID *int64
	Retired *bool
}

// Categories lists the category tree (anyone signed in: the portal needs it).
func (s *Desk) Categories(ctx context.Context) ([]*Category, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return s.store.ListCategories(ctx)
}

// Category returns one category.
func (s *Desk) Category(ctx context.Context, id int64) (*Category, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return s.store.GetCategory(ctx, id)
}

// CreateCategory adds a category or a subcategory (admins only).
func (s *Desk) CreateCategory(ctx context.Context, in CategoryInput) (*Category, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	c := &Category{Name: strings.TrimSpace(in.Name), ParentID: in.ParentID}
	var v validation
	v.text("name", c.Name, MaxNameLen, true)
	if in.ParentID != 0 {
		p, err := s.store.GetCategory(ctx, in.ParentID)
		if ErrorCode(err) == ENOTFOUND || (err == nil && p.ParentID != 0) {
			v.add("parent_id", RuleUnknown, nil, "no top-level category %d (the tree has two levels)", in.ParentID)
		} else if err != nil {
			return nil, err
		}
	}
	if err := s.routingGroup(ctx, &c.Group, in.GroupID, &v); err != nil {
		return nil, err
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.store.CreateCategory(ctx, c); err != nil {
		return nil, fmt.Errorf("create category: %w", err)
	}
	return c, nil
}

// routingGroup resolves an optional group reference into dst.
func (s *Desk) routingGroup(ctx context.Context, dst **Ref, id int64, v *validation) error {
	*dst = nil
	if id == 0 {
		return nil
	}
	g, err := s.store.GetGroup(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		v.add("group_id", RuleUnknown, nil, "no group %d", id)
		return nil
	}
	if err != nil {
		return err
	}
	*dst = &Ref{ID: g.ID, Name: g.Name}
	return nil
}

// UpdateCategory renames, re-routes or retires a category (admins only).
func (s *Desk) UpdateCategory(ctx context.Context, id int64, p CategoryPatch) (*Category, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	c, err := s.store.GetCategory(ctx, id)
	if err != nil {
		return nil, err
	}
	setIf(&c.Name, trimmed(p.Name))
	setIf(&c.Retired, p.Retired)
	var v validation
	v.text("name", c.Name, MaxNameLen, true)
	if p.GroupID != nil {
		if err := s.routingGroup(ctx, &c.Group, *p.GroupID, &v); err != nil {
			return nil, err
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if err := s.store.UpdateCategory(ctx, c); err != nil {
		return nil, fmt.Errorf("update category %d: %w", id, err)
	}
	return c, nil
}

// DeleteCategory removes a category nothing refers to (admins only); one in
// use can only be retired.
func (s *Desk) DeleteCategory(ctx context.Context, id int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteCategory(ctx, id)
}

// ServiceInput creates an affected business service.
type ServiceInput struct {
	Name         string
	Description  string
	OwnerGroupID int64
}

// ServicePatch changes a service; OwnerGroupID 0 removes the owner.
type ServicePatch struct {
	Name         *string
	Description  *string
	OwnerGroupID *int64
	Retired      *bool
}

// Services lists business services (anyone signed in).
func (s *Desk) Services(ctx context.Context) ([]*Service, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return s.store.ListServices(ctx)
}

// BusinessService returns one service.
func (s *Desk) BusinessService(ctx context.Context, id int64) (*Service, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	return s.store.GetService(ctx, id)
}

// CreateService adds a business service (admins only).
func (s *Desk) CreateService(ctx context.Context, in ServiceInput) (*Service, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	svc := &Service{Name: strings.TrimSpace(in.Name), Description: in.Description}
	if err := s.checkService(ctx, svc, in.OwnerGroupID); err != nil {
		return nil, err
	}
	if err := s.store.CreateService(ctx, svc); err != nil {
		return nil, fmt.Errorf("create service: %w", err)
	}
	return svc, nil
}

func (s *Desk) checkService(ctx context.Context, svc *Service, ownerID int64) error {
	var v validation
	v.text("name", svc.Name, MaxNameLen, true)
	v.text("description", svc.Description, MaxTextLen, false)
	if err := s.routingGroup(ctx, &svc.OwnerGroup, ownerID, &v); err != nil {
		return err
	}
	if v.fields != nil && v.fields[len(v.fields)-1].Field == "group_id" {
		v.fields[len(v.fields)-1].Field = "owner_group_id"
	}
	return v.err()
}

// UpdateService changes or retires a service (admins only).
func (s *Desk) UpdateService(ctx context.Context, id int64, p ServicePatch) (*Service, error) {
	if _, err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	svc, err := s.store.GetService(ctx, id)
	if err != nil {
		return nil, err
	}
	setIf(&svc.Name, trimmed(p.Name))
	setIf(&svc.Description, p.Description)
	setIf(&svc.Retired, p.Retired)
	owner := refID(svc.OwnerGroup)
	setIf(&owner, p.OwnerGroupID)
	if err := s.checkService(ctx, svc, owner); err != nil {
		return nil, err
	}
	if err := s.store.UpdateService(ctx, svc); err != nil {
		return nil, fmt.Errorf("update service %d: %w", id, err)
	}
	return svc, nil
}

// DeleteService removes a service no ticket refers to (admins only).
func (s *Desk) DeleteService(ctx context.Context, id int64) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteService(ctx, id)
}

// Matrix returns the priority matrix (anyone signed in).
func (s *Desk) Matrix(ctx context.Context) (Matrix, error) {
	if _, err := actor(ctx); err != nil {
		return Matrix{}, err
	}
	return s.store.GetMatrix(ctx)
}

// SetMatrix replaces the priority matrix (admins only). Existing tickets
// keep their priority until their impact or urgency changes.
func (s *Desk) SetMatrix(ctx context.Context, m Matrix) error {
	if _, err := requireAdmin(ctx); err != nil {
		return err
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.store.SetMatrix(ctx, m)
}
