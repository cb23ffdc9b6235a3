package web

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: users, their roles, support groups and passwords. The desk
// decides who may change them (administrators); others get 403.

func init() {
	registerArea("admin_users", func(s *server) {
		s.get("/admin/users", staffOnly, s.adminUsers)
		s.post("/admin/users", staffOnly, s.adminCreateUser)
		s.get("/admin/users/{id}", staffOnly, s.adminUser)
		s.post("/admin/users/{id}", staffOnly, s.adminSaveUser)
		s.post("/admin/users/{id}/password", staffOnly, s.adminSetPassword)
	})
	registerArea("admin_users_nav", func(s *server) {
		s.addNav(navItem{Path: "/admin/users", Key: "nav.admin_users", Who: staffOnly, Order: 51})
	})
}

// adminUsersView is one page of users, the form's choices, and the user
// being edited.
type adminUsersView struct {
	Users  []*desk.User
	Next   string // cursor of the next page
	User   *desk.User
	Roles  []desk.Role
	Groups []*desk.Group
}

// adminUsersPage is how many users one list page shows.
const adminUsersPage = 50

func (s *server) usersView(rq *request, list bool) (adminUsersView, error) {
	if _, err := requireAdminPage(rq); err != nil {
		return adminUsersView{}, err
	}
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return adminUsersView{}, err
	}
	v := adminUsersView{Roles: desk.Roles, Groups: groups}
	if list {
		page, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Limit: adminUsersPage, Cursor: rq.r.URL.Query().Get("after")})
		if err != nil {
			return adminUsersView{}, err
		}
		v.Users, v.Next = page.Users, page.NextCursor
	}
	return v, nil
}

// requireAdminPage refuses a page that only shows administrators' forms:
// the desk refuses their POSTs, but listing users is open to all staff, so
// the page itself says 403 to anyone else.
func requireAdminPage(rq *request) (*desk.User, error) {
	if rq.user == nil || rq.user.Role != desk.RoleAdmin {
		return nil, desk.Errorf(desk.EFORBIDDEN, "administrators only")
	}
	return rq.user, nil
}

func (s *server) adminUsers(rq *request) error {
	v, err := s.usersView(rq, true)
	if err != nil {
		return err
	}
	return rq.renderForm(200, "admin_users", v, url.Values{"role": {string(desk.RoleAgent)}}, nil)
}

func (s *server) adminUser(rq *request) error {
	v, err := s.usersView(rq, false)
	if err != nil {
		return err
	}
	if v.User, err = s.desk.User(rq.ctx, userID(rq)); err != nil {
		return err
	}
	form := url.Values{"role": {string(v.User.Role)}}
	for _, g := range v.User.Groups {
		form.Add("groups", strconv.FormatInt(g.ID, 10))
	}
	if v.User.Active {
		form.Set("active", "on")
	}
	return rq.renderForm(200, "admin_user", v, form, nil)
}

func userID(rq *request) int64 {
	id, _ := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	return id // 0 names no user: the desk answers not found
}

// userGroupsForm reads the chosen groups; that they exist and that only
// staff join groups is checked here too, so that a new user is not stored
// half-done.
func (s *server) userGroupsForm(rq *request, role desk.Role, errs map[string]string) ([]int64, error) {
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, raw := range rq.r.PostForm["groups"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || !slices.ContainsFunc(groups, func(g *desk.Group) bool { return g.ID == id }) {
			errs["groups"] = rq.lang.T("admin.user.err.groups")
			return nil, nil
		}
		ids = append(ids, id)
	}
	if len(ids) > 0 && !role.IsStaff() {
		errs["groups"] = rq.lang.T("admin.user.err.requester_groups")
	}
	return ids, nil
}

func (s *server) adminCreateUser(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	role := desk.Role(rq.r.PostFormValue("role"))
	errs := map[string]string{}
	groups, err := s.userGroupsForm(rq, role, errs)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		u, err := s.desk.CreateUser(rq.ctx, desk.UserInput{Name: strings.TrimSpace(rq.r.PostFormValue("name")),
			Email: strings.TrimSpace(rq.r.PostFormValue("email")), Role: role})
		if err == nil {
			if err = s.setUserGroups(rq, u, groups); err != nil {
				return err
			}
			return rq.redirect("/admin/users/" + strconv.FormatInt(u.ID, 10) + "?done=user_saved")
		}
		if errs = userFieldErrors(rq, err); errs == nil {
			return err
		}
	}
	v, err := s.usersView(rq, true)
	if err != nil {
		return err
	}
	return rq.renderForm(422, "admin_users", v, rq.r.PostForm, errs)
}

// setUserGroups makes the user a member of exactly the given groups.
func (s *server) setUserGroups(rq *request, u *desk.User, ids []int64) error {
	for _, g := range u.Groups {
		if !slices.Contains(ids, g.ID) {
			if err := s.desk.SetGroupMember(rq.ctx, g.ID, u.ID, false); err != nil {
				return err
			}
		}
	}
	for _, id := range ids {
		if !slices.ContainsFunc(u.Groups, func(g desk.GroupRef) bool { return g.ID == id }) {
			if err := s.desk.SetGroupMember(rq.ctx, id, u.ID, true); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *server) adminSaveUser(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	role := desk.Role(rq.r.PostFormValue("role"))
	active := rq.r.PostFormValue("active") == "on"
	errs := map[string]string{}
	groups, err := s.userGroupsForm(rq, role, errs)
	if err != nil {
		return err
	}
	if len(errs) == 0 {
		u, err := s.desk.UpdateUser(rq.ctx, userID(rq), desk.UserPatch{Role: &role, Active: &active})
		if err == nil {
			if err = s.setUserGroups(rq, u, groups); err != nil {
				return err
			}
			return rq.redirect("/admin/users/" + strconv.FormatInt(u.ID, 10) + "?done=user_saved")
		}
		if errs = userFieldErrors(rq, err); errs == nil {
			return err
		}
	}
	return s.renderUser(rq, rq.r.PostForm, errs)
}

// renderUser shows the edit page again with the posted form and its errors.
func (s *server) renderUser(rq *request, form url.Values, errs map[string]string) error {
	v, err := s.usersView(rq, false)
	if err != nil {
		return err
	}
	if v.User, err = s.desk.User(rq.ctx, userID(rq)); err != nil {
		return err
	}
	return rq.renderForm(422, "admin_user", v, form, errs)
}

func (s *server) adminSetPassword(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	pw := rq.r.PostFormValue("password")
	errs := map[string]string{}
	if pw != rq.r.PostFormValue("password2") {
		errs["password2"] = rq.lang.T("admin.user.err.password2")
	} else {
		err := s.desk.SetPassword(rq.ctx, userID(rq), pw)
		if err == nil {
			return rq.redirect("/admin/users/" + strconv.FormatInt(userID(rq), 10) + "?done=password_set")
		}
		if errs = userFieldErrors(rq, err); errs == nil {
			return err
		}
	}
	// The password fields never come back; the other form shows the user.
	u, err := s.desk.User(rq.ctx, userID(rq))
	if err != nil {
		return err
	}
	form := url.Values{"role": {string(u.Role)}}
	for _, g := range u.Groups {
		form.Add("groups", strconv.FormatInt(g.ID, 10))
	}
	if u.Active {
		form.Set("active", "on")
	}
	return s.renderUser(rq, form, errs)
}

// userFieldErrors translates a desk error about a user field by field
// (admin.user.err.<field> when the catalogue has it); nil when err is not one.
func userFieldErrors(rq *request, err error) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) {
		return nil
	}
	switch {
	case de.Code == desk.ECONFLICT && slices.ContainsFunc(de.Fields, func(f desk.FieldError) bool { return f.Field == "email" }):
		return map[string]string{"email": rq.lang.T("admin.user.err.email_taken")}
	case de.Code == desk.ECONFLICT && strings.Contains(de.Message, "yourself"):
		return map[string]string{"role": rq.lang.T("admin.user.err.self")}
	}
	errs := fieldErrors(rq, err)
	for f := range errs {
		if k := "admin.user.err." + f; rq.lang.Has(k) {
			errs[f] = rq.lang.T(k, desk.MinPasswordLen) // only the password message has an argument
		}
	}
	return errs
}
