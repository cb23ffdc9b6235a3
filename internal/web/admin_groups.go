package web

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: support groups with their lines and managers. The desk
// decides who may change them (administrators); others get 403.

func init() {
	registerArea("admin", func(s *server) {
		s.addNav(navItem{Path: "/admin/groups", Key: "nav.admin_groups", Who: staffOnly, Order: 50})
		s.get("/admin/groups", staffOnly, s.adminGroups)
		s.post("/admin/groups", staffOnly, s.adminCreateGroup)
		s.get("/admin/groups/{id}", staffOnly, s.adminGroup)
		s.post("/admin/groups/{id}", staffOnly, s.adminSaveGroup)
	})
}

// adminGroupsView lists the groups, and the people who may manage one.
type adminGroupsView struct {
	Groups   []*desk.Group
	Group    *desk.Group // the one being edited
	Managers []*desk.User
	Lines    []desk.Line
}

func (s *server) groupsView(rq *request) (adminGroupsView, error) {
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return adminGroupsView{}, err
	}
	page, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Roles: []desk.Role{desk.RoleManager, desk.RoleAdmin}, Limit: desk.MaxPageSize})
	if err != nil {
		return adminGroupsView{}, err
	}
	return adminGroupsView{Groups: groups, Managers: page.Users, Lines: []desk.Line{desk.Line1, desk.Line2, desk.Line3}}, nil
}

func (s *server) adminGroups(rq *request) error {
	v, err := s.groupsView(rq)
	if err != nil {
		return err
	}
	return rq.ok("admin_groups", v)
}

func (s *server) adminGroup(rq *request) error {
	v, err := s.groupsView(rq)
	if err != nil {
		return err
	}
	if v.Group, err = s.desk.Group(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	form := url.Values{"name": {v.Group.Name}, "line": {strconv.Itoa(int(v.Group.Line))}}
	if v.Group.Manager != nil {
		form.Set("manager", strconv.FormatInt(v.Group.Manager.ID, 10))
	}
	if v.Group.Active {
		form.Set("active", "on")
	}
	return rq.renderForm(200, "admin_group", v, form, nil)
}

func groupID(rq *request) int64 {
	id, _ := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	return id // 0 names no group: the desk answers not found
}

// groupForm reads the form's fields; a malformed number is a field error.
func groupForm(rq *request) (name string, line desk.Line, manager int64, errs map[string]string) {
	errs = map[string]string{}
	name = strings.TrimSpace(rq.r.PostFormValue("name"))
	l, err := strconv.Atoi(rq.r.PostFormValue("line"))
	if err != nil {
		errs["line"] = rq.lang.T("admin.err.line")
	}
	if m := rq.r.PostFormValue("manager"); m != "" {
		if manager, err = strconv.ParseInt(m, 10, 64); err != nil {
			errs["manager"] = rq.lang.T("admin.err.manager")
		}
	}
	return name, desk.Line(l), manager, errs
}

func (s *server) adminCreateGroup(rq *request) error {
	name, line, manager, errs := groupForm(rq)
	var err error
	if len(errs) == 0 {
		if _, err = s.desk.CreateGroup(rq.ctx, desk.GroupInput{Name: name, Line: line, ManagerID: manager}); err == nil {
			return rq.redirect("/admin/groups?done=group_saved")
		}
		if errs = adminFieldErrors(rq, err); errs == nil {
			return err
		}
	}
	v, verr := s.groupsView(rq)
	if verr != nil {
		return verr
	}
	return rq.renderForm(422, "admin_groups", v, rq.r.PostForm, errs)
}

func (s *server) adminSaveGroup(rq *request) error {
	name, line, manager, errs := groupForm(rq)
	active := rq.r.PostFormValue("active") == "on"
	if len(errs) == 0 {
		_, err := s.desk.UpdateGroup(rq.ctx, groupID(rq), desk.GroupPatch{Name: &name, Line: &line, ManagerID: &manager, Active: &active})
		if err == nil {
			return rq.redirect("/admin/groups?done=group_saved")
		}
		if errs = adminFieldErrors(rq, err); errs == nil {
			return err
		}
	}
	v, err := s.groupsView(rq)
	if err != nil {
		return err
	}
	if v.Group, err = s.desk.Group(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	return rq.renderForm(422, "admin_group", v, rq.r.PostForm, errs)
}

// adminFieldErrors translates a desk validation error field by field
// (admin.err.<field> when the catalogue has it, else the desk's words);
// nil when err is not one.
func adminFieldErrors(rq *request, err error) map[string]string {
	if de, ok := errors.AsType[*desk.Error](err); ok && de.Code == desk.ECONFLICT && de.Rule == "" &&
		slices.ContainsFunc(de.Fields, func(fe desk.FieldError) bool { return fe.Field == "name" && fe.Rule == desk.RuleTaken }) {
		return map[string]string{"name": rq.lang.T("admin.err.name_taken")}
	}
	errs := fieldErrors(rq, err)
	if m, ok := errs["default"]; ok { // the default group stays active on line 1
		errs["active"] = m
		delete(errs, "default")
	}
	for f := range errs {
		if k := "admin.err." + f; rq.lang.Has(k) {
			errs[f] = rq.lang.T(k)
		}
	}
	return errs
}
