package api

import (
	"github.com/tierdesk/tierdesk/internal/desk"
)

type userJSON struct {
	ID           int64           `json:"id"`
	Email        string          `json:"email"`
	Name         string          `json:"name"`
	Phone        string          `json:"phone"`
	Organization string          `json:"organization"`
	VIP          bool            `json:"vip"`
	Role         desk.Role       `json:"role"`
	Active       bool            `json:"active"`
	Groups       []desk.GroupRef `json:"groups"`
	CreatedAt    string          `json:"created_at"`
}

func userView(u *desk.User) userJSON {
	groups := u.Groups
	if groups == nil {
		groups = []desk.GroupRef{}
	}
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Phone: u.Phone, Organization: u.Organization,
		VIP: u.VIP, Role: u.Role, Active: u.Active, Groups: groups, CreatedAt: rfc3339(u.CreatedAt)}
}

type groupJSON struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Line      desk.Line `json:"line"`
	Manager   *desk.Ref `json:"manager"`
	Default   bool      `json:"default"`
	Active    bool      `json:"active"`
	Security  bool      `json:"security"`
	CreatedAt string    `json:"created_at"`
}

func groupView(g *desk.Group) groupJSON {
	return groupJSON{ID: g.ID, Name: g.Name, Line: g.Line, Manager: g.Manager, Default: g.Default,
		Active: g.Active, Security: g.Security, CreatedAt: rfc3339(g.CreatedAt)}
}

type categoryJSON struct {
	ID       int64     `json:"id"`
	Name     string    `json:"name"`
	ParentID *int64    `json:"parent_id"`
	Group    *desk.Ref `json:"group"`
	Retired  bool      `json:"retired"`
}

func categoryView(c *desk.Category) categoryJSON {
	v := categoryJSON{ID: c.ID, Name: c.Name, Group: c.Group, Retired: c.Retired}
	if c.ParentID != 0 {
		v.ParentID = &c.ParentID
	}
	return v
}

type serviceJSON struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	OwnerGroup  *desk.Ref `json:"owner_group"`
	Retired     bool      `json:"retired"`
}

func serviceView(s *desk.Service) serviceJSON {
	return serviceJSON{ID: s.ID, Name: s.Name, Description: s.Description, OwnerGroup: s.OwnerGroup, Retired: s.Retired}
}

// views maps a slice of domain values to their wire forms.
func views[T, V any](in []T, view func(T) V) []V {
	out := make([]V, len(in))
	for i, v := range in {
		out[i] = view(v)
	}
	return out
}
