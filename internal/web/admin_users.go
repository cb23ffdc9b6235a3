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
		s.addNav(navItem{Path: "/admin/users", Key: "nav.admin_users", Who: staffOnly, Order: 51, Admin: true})
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
	// KBEditor: the knowledge_editor control is shown (staff, with a
	// knowledge base) and whether the user holds it (knowledge.go).
	KBEditor struct{ Shown, On bool }
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
// the desk refuses their POSTs, but what the pages list is open to all
// staff, so the page itself says 403 to anyone else — as the desk decides.
func requireAdminPage(rq *request) (*desk.User, error) {
	if err := desk.RequireAdmin(rq.ctx); err != nil {
		return nil, err
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
	if v.KBEditor.Shown, v.KBEditor.On, err = s.kbEditorOf(rq, v.User); err != nil {
		return err
	}
	form := userForm(v.User)
	p, err := s.desk.UserPreferences(rq.ctx, v.User.ID)
	if err != nil {
		return err
	}
	form.Set("grammatical_gender", string(p.Gender))
	return rq.renderForm(200, "admin_user", v, form, nil)
}

// postedGender reads the grammatical gender of the user form; one the
// desk does not know is a field error, found before anything is stored.
func postedGender(rq *request, errs map[string]string) desk.Gender {
	g := desk.Gender(rq.r.PostFormValue("grammatical_gender"))
	if g != "" && !slices.Contains(desk.Genders, g) {
		errs["grammatical_gender"] = rq.lang.T("gender.err")
	}
	return g
}

// setGender stores the gender chosen in the user form: a preference of the
// user's (desk.Preferences), kept next to their language.
func (s *server) setGender(rq *request, userID int64, g desk.Gender) error {
	_, err := s.desk.SetUserPreferences(rq.ctx, userID, desk.PreferencesPatch{Gender: &g})
	return err
}

// userForm is the edit form filled from the stored user.
func userForm(u *desk.User) url.Values {
	form := url.Values{"name": {u.Name}, "email": {u.Email}, "phone": {u.Phone},
		"organization": {u.Organization}, "role": {string(u.Role)}}
	for _, g := range u.Groups {
		form.Add("groups", strconv.FormatInt(g.ID, 10))
	}
	if u.VIP {
		form.Set("vip", "on")
	}
	if u.Active {
		form.Set("active", "on")
	}
	return form
}

func userID(rq *request) int64 {
	id, _ := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	return id // 0 names no user: the desk answers not found
}

// postedUser reads the fields the create and edit forms share; a group id
// that is not a number is a field error (the desk checks the rest).
func postedUser(rq *request, errs map[string]string) (in desk.UserInput) {
	f := func(name string) string { return strings.TrimSpace(rq.r.PostFormValue(name)) }
	in = desk.UserInput{Name: f("name"), Email: f("email"), Phone: f("phone"), Organization: f("organization"),
		VIP: rq.r.PostFormValue("vip") == "on", Role: desk.Role(rq.r.PostFormValue("role")), Groups: []int64{}}
	for _, raw := range rq.r.PostForm["groups"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			errs["groups"] = rq.lang.T("admin.user.err.groups")
			continue
		}
		in.Groups = append(in.Groups, id)
	}
	return in
}

// adminCreateUser stores the user with their groups in one step.
func (s *server) adminCreateUser(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	in := postedUser(rq, errs)
	gender := postedGender(rq, errs)
	if len(errs) == 0 {
		u, err := s.desk.CreateUser(rq.ctx, in)
		if err == nil {
			if err := s.setGender(rq, u.ID, gender); err != nil {
				return err
			}
			return rq.redirect("/admin/users/" + strconv.FormatInt(u.ID, 10) + "?done=user_saved")
		}
		if errs = userFieldErrors(rq, err, in.Role, true); errs == nil {
			return err
		}
	}
	v, err := s.usersView(rq, true)
	if err != nil {
		return err
	}
	return rq.renderForm(422, "admin_users", v, rq.r.PostForm, errs)
}

// adminSaveUser saves every field and the memberships in one desk call:
// either all of it is stored or none.
func (s *server) adminSaveUser(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	in := postedUser(rq, errs)
	gender := postedGender(rq, errs)
	active := rq.r.PostFormValue("active") == "on"
	if len(errs) == 0 {
		u, err := s.desk.UpdateUser(rq.ctx, userID(rq), desk.UserPatch{Name: &in.Name, Email: &in.Email,
			Phone: &in.Phone, Organization: &in.Organization, VIP: &in.VIP, Role: &in.Role, Active: &active,
			Groups: &in.Groups})
		if err == nil {
			if err := s.setGender(rq, u.ID, gender); err != nil {
				return err
			}
			return rq.redirect("/admin/users/" + strconv.FormatInt(u.ID, 10) + "?done=user_saved")
		}
		if errs = userFieldErrors(rq, err, in.Role, active); errs == nil {
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
	if v.KBEditor.Shown, v.KBEditor.On, err = s.kbEditorOf(rq, v.User); err != nil {
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
		if errs = userFieldErrors(rq, err, "", true); errs == nil {
			return err
		}
	}
	// The password fields never come back; the other form shows the user.
	u, err := s.desk.User(rq.ctx, userID(rq))
	if err != nil {
		return err
	}
	return s.renderUser(rq, userForm(u), errs)
}

// userFieldErrors translates a desk error about a user field by field
// (admin.user.err.<field> when the catalogue has it); nil when err is not
// one. role and active are what was posted, to place the conflicts.
func userFieldErrors(rq *request, err error, role desk.Role, active bool) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) {
		return nil
	}
	named := func(f string) bool {
		return slices.ContainsFunc(de.Fields, func(fe desk.FieldError) bool { return fe.Field == f })
	}
	// Refusing to demote oneself names no field: it is the role, unless
	// the role stayed and the user was deactivated.
	self := "role"
	if role == desk.RoleAdmin && !active {
		self = "active"
	}
	switch {
	case de.Code == desk.ECONFLICT && named("email"):
		return map[string]string{"email": rq.lang.T("admin.user.err.email_taken")}
	case de.Code == desk.ECONFLICT && de.Rule == desk.RuleSelf:
		return map[string]string{self: rq.lang.T("admin.user.err.self")}
	case de.Code == desk.ECONFLICT && named("role"):
		return map[string]string{"role": rq.lang.T("admin.user.err.last_admin")}
	case de.Code == desk.ECONFLICT && named("active"):
		return map[string]string{"active": rq.lang.T("admin.user.err.last_admin")}
	}
	errs := fieldErrors(rq, err)
	for f := range errs {
		if k := "admin.user.err." + f; rq.lang.Has(k) {
			errs[f] = rq.lang.T(k, desk.MinPasswordLen) // only the password message has an argument
		}
	}
	if _, ok := errs["groups"]; ok && !role.IsStaff() {
		errs["groups"] = rq.lang.T("admin.user.err.requester_groups")
	}
	return errs
}
