package web

import (
	"errors"
	"net/url"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration: ticket categories (two levels) and business services. The
// desk decides who may change them (administrators); others get 403. What
// tickets refer to cannot be deleted, only retired.

func init() {
	registerArea("admin_catalog", func(s *server) {
		s.get("/admin/categories", staffOnly, s.adminCategories)
		s.post("/admin/categories", staffOnly, s.adminCreateCategory)
		s.get("/admin/categories/{id}", staffOnly, s.adminCategory)
		s.post("/admin/categories/{id}", staffOnly, s.adminSaveCategory)
		s.post("/admin/categories/{id}/delete", staffOnly, s.adminDeleteCategory)
		s.get("/admin/services", staffOnly, s.adminServices)
		s.post("/admin/services", staffOnly, s.adminCreateService)
		s.get("/admin/services/{id}", staffOnly, s.adminService)
		s.post("/admin/services/{id}", staffOnly, s.adminSaveService)
		s.post("/admin/services/{id}/delete", staffOnly, s.adminDeleteService)
	})
	registerArea("admin_catalog_nav", func(s *server) {
		s.addNav(navItem{Path: "/admin/categories", Key: "nav.admin_categories", Who: staffOnly, Order: 52, Admin: true})
		s.addNav(navItem{Path: "/admin/services", Key: "nav.admin_services", Who: staffOnly, Order: 53, Admin: true})
	})
}

// adminCatalogView has the categories or services, the groups that may take
// or own them, and the one being edited.
type adminCatalogView struct {
	Categories []*desk.Category
	Parents    []*desk.Category // top-level categories
	Category   *desk.Category
	Services   []*desk.Service
	Service    *desk.Service
	Groups     []*desk.Group
}

func (s *server) catalogView(rq *request) (adminCatalogView, error) {
	if _, err := requireAdminPage(rq); err != nil {
		return adminCatalogView{}, err
	}
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return adminCatalogView{}, err
	}
	cats, err := s.desk.Categories(rq.ctx)
	if err != nil {
		return adminCatalogView{}, err
	}
	svcs, err := s.desk.Services(rq.ctx)
	if err != nil {
		return adminCatalogView{}, err
	}
	v := adminCatalogView{Groups: groups, Services: svcs}
	// The tree: each top-level category followed by its subcategories.
	for _, c := range cats {
		if c.ParentID == 0 {
			v.Parents = append(v.Parents, c)
			v.Categories = append(v.Categories, c)
			for _, sub := range cats {
				if sub.ParentID == c.ID {
					v.Categories = append(v.Categories, sub)
				}
			}
		}
	}
	return v, nil
}

// formInt reads an optional id field: empty is 0, anything else not a
// number is that field's error.
func formInt(rq *request, field string, errs map[string]string) int64 {
	raw := rq.r.PostFormValue(field)
	if raw == "" {
		return 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		errs[field] = rq.lang.T("admin.catalog.err.choice")
	}
	return id
}

// inUseKeys are the messages of a refused delete by what still uses the
// entry (the rule's "by"); any other user gets the tickets' message.
var inUseKeys = map[any]string{
	"subcategories": "admin.catalog.err.has_subcategories",
	"sla_policies":  "admin.catalog.err.in_use_policies",
	"tickets":       "admin.catalog.err.in_use",
	nil:             "admin.catalog.err.in_use",
}

// catalogErrors translates a desk error field by field
// (admin.catalog.err.<field> when the catalogue has it); a refused delete
// becomes the form's error. nil when err is none of these.
func catalogErrors(rq *request, err error) map[string]string {
	switch desk.ErrorCode(err) {
	case desk.ECONFLICT:
		if de, ok := errors.AsType[*desk.Error](err); ok && de.Rule == desk.RuleInUse {
			return map[string]string{"": rq.lang.T(inUseKeys[de.Params["by"]])}
		}
		return map[string]string{"name": rq.lang.T("admin.catalog.err.name_taken")}
	}
	errs := fieldErrors(rq, err)
	for f := range errs {
		if k := "admin.catalog.err." + f; rq.lang.Has(k) {
			errs[f] = rq.lang.T(k)
		}
	}
	return errs
}

func (s *server) adminCategories(rq *request) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	return rq.renderForm(200, "admin_categories", v, url.Values{}, nil)
}

func (s *server) adminCategory(rq *request) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	if v.Category, err = s.desk.Category(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	return rq.renderForm(200, "admin_category", v, categoryForm(v.Category), nil)
}

// categoryForm is a stored category as its edit form shows it.
func categoryForm(c *desk.Category) url.Values {
	form := url.Values{"name": {c.Name}}
	if c.Group != nil {
		form.Set("group", strconv.FormatInt(c.Group.ID, 10))
	}
	if c.Retired {
		form.Set("retired", "on")
	}
	return form
}

func (s *server) adminCreateCategory(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	parent, group := formInt(rq, "parent", errs), formInt(rq, "group", errs)
	if len(errs) == 0 {
		_, err := s.desk.CreateCategory(rq.ctx, desk.CategoryInput{Name: rq.r.PostFormValue("name"), ParentID: parent, GroupID: group})
		if err == nil {
			return rq.redirect("/admin/categories?done=category_saved")
		}
		if errs = catalogErrors(rq, err); errs == nil {
			return err
		}
	}
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	return rq.renderForm(422, "admin_categories", v, rq.r.PostForm, errs)
}

func (s *server) adminSaveCategory(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	group := formInt(rq, "group", errs)
	name, retired := rq.r.PostFormValue("name"), rq.r.PostFormValue("retired") == "on"
	if len(errs) == 0 {
		_, err := s.desk.UpdateCategory(rq.ctx, groupID(rq), desk.CategoryPatch{Name: &name, GroupID: &group, Retired: &retired})
		if err == nil {
			return rq.redirect("/admin/categories?done=category_saved")
		}
		if errs = catalogErrors(rq, err); errs == nil {
			return err
		}
	}
	return s.renderCategory(rq, rq.r.PostForm, errs)
}

func (s *server) renderCategory(rq *request, form url.Values, errs map[string]string) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	if v.Category, err = s.desk.Category(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	if form == nil { // after a refused delete: the stored category
		form = categoryForm(v.Category)
	}
	return rq.renderForm(422, "admin_category", v, form, errs)
}

func (s *server) adminDeleteCategory(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	err := s.desk.DeleteCategory(rq.ctx, groupID(rq))
	if err == nil {
		return rq.redirect("/admin/categories?done=category_deleted")
	}
	errs := catalogErrors(rq, err)
	if errs == nil {
		return err
	}
	return s.renderCategory(rq, nil, errs)
}

func (s *server) adminServices(rq *request) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	return rq.renderForm(200, "admin_services", v, url.Values{}, nil)
}

// serviceForm is a stored service as its edit form shows it.
func serviceForm(svc *desk.Service) url.Values {
	form := url.Values{"name": {svc.Name}, "description": {svc.Description}}
	if svc.OwnerGroup != nil {
		form.Set("owner_group", strconv.FormatInt(svc.OwnerGroup.ID, 10))
	}
	if svc.Retired {
		form.Set("retired", "on")
	}
	return form
}

func (s *server) adminService(rq *request) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	if v.Service, err = s.desk.BusinessService(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	return rq.renderForm(200, "admin_service", v, serviceForm(v.Service), nil)
}

func (s *server) adminCreateService(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	owner := formInt(rq, "owner_group", errs)
	if len(errs) == 0 {
		_, err := s.desk.CreateService(rq.ctx, desk.ServiceInput{Name: rq.r.PostFormValue("name"),
			Description: rq.r.PostFormValue("description"), OwnerGroupID: owner})
		if err == nil {
			return rq.redirect("/admin/services?done=service_saved")
		}
		if errs = catalogErrors(rq, err); errs == nil {
			return err
		}
	}
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	return rq.renderForm(422, "admin_services", v, rq.r.PostForm, errs)
}

func (s *server) adminSaveService(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	errs := map[string]string{}
	owner := formInt(rq, "owner_group", errs)
	name, descr := rq.r.PostFormValue("name"), rq.r.PostFormValue("description")
	retired := rq.r.PostFormValue("retired") == "on"
	if len(errs) == 0 {
		_, err := s.desk.UpdateService(rq.ctx, groupID(rq), desk.ServicePatch{Name: &name, Description: &descr,
			OwnerGroupID: &owner, Retired: &retired})
		if err == nil {
			return rq.redirect("/admin/services?done=service_saved")
		}
		if errs = catalogErrors(rq, err); errs == nil {
			return err
		}
	}
	return s.renderService(rq, rq.r.PostForm, errs)
}

func (s *server) renderService(rq *request, form url.Values, errs map[string]string) error {
	v, err := s.catalogView(rq)
	if err != nil {
		return err
	}
	if v.Service, err = s.desk.BusinessService(rq.ctx, groupID(rq)); err != nil {
		return err
	}
	if form == nil { // after a refused delete: the stored service
		form = serviceForm(v.Service)
	}
	return rq.renderForm(422, "admin_service", v, form, errs)
}

func (s *server) adminDeleteService(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	err := s.desk.DeleteService(rq.ctx, groupID(rq))
	if err == nil {
		return rq.redirect("/admin/services?done=service_deleted")
	}
	errs := catalogErrors(rq, err)
	if errs == nil {
		return err
	}
	return s.renderService(rq, nil, errs)
}
