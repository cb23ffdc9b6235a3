package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

func TestWeb_AdminCategoriesRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	csrf := a.csrf("/admin/categories")

	// No name: the choices come back with the error next to the name.
	p := a.post("/admin/categories", url.Values{"csrf": {csrf}, "name": {"  "}, "group": {"1"}})
	wantForm(t, p, "name", "Give a name", `<option value="1" selected>`)
	p = a.post("/admin/categories", url.Values{"csrf": {csrf}, "name": {"Printers"}, "group": {"999"}})
	wantForm(t, p, "group", "Choose an existing group.", `value="Printers"`)
	if p = a.post("/admin/categories", url.Values{"csrf": {csrf}, "name": {"Printers"}, "group": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.300s", p.status, p.body)
	}
	cats, _ := e.d.Categories(ctx)
	var printers *desk.Category
	for _, c := range cats {
		if c.Name == "Printers" {
			printers = c
		}
	}
	if printers == nil || printers.Group == nil || printers.Group.ID != 1 {
		t.Fatalf("stored: %+v", printers)
	}
	pid := fmt.Sprint(printers.ID)
	if p = a.post("/admin/categories", url.Values{"csrf": {csrf}, "name": {"Paper jam"}, "parent": {pid}}); p.status != http.StatusSeeOther {
		t.Fatalf("create subcategory: %d", p.status)
	}
	if p = a.get("/admin/categories?done=category_saved"); !strings.Contains(p.body, "— <a") || !strings.Contains(p.body, "Paper jam") ||
		!strings.Contains(p.body, "The category is saved.") {
		t.Error("the list does not show the subcategory under its parent")
	}

	// Edit: rename, no group, retired; an empty name keeps the input.
	path := "/admin/categories/" + pid
	p = a.post(path, url.Values{"csrf": {csrf}, "name": {""}, "group": {"1"}, "retired": {"on"}})
	wantForm(t, p, "name", "Give a name", `name="retired" checked`)
	if p = a.post(path, url.Values{"csrf": {csrf}, "name": {"Printing"}, "retired": {"on"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d", p.status)
	}
	if c, _ := e.d.Category(ctx, printers.ID); c.Name != "Printing" || c.Group != nil || !c.Retired {
		t.Fatalf("after edit: %+v", c)
	}

	// Delete is refused while subcategories exist, then while a ticket uses it.
	p = a.post(path+"/delete", url.Values{"csrf": {csrf}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "It has subcategories") {
		t.Fatalf("delete with subcategories: %d", p.status)
	}
	cats, _ = e.d.Categories(ctx)
	for _, c := range cats {
		if c.ParentID == printers.ID {
			if p = a.post(fmt.Sprintf("/admin/categories/%d/delete", c.ID), url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
				t.Fatalf("delete subcategory: %d", p.status)
			}
		}
	}
	a.post(path, url.Values{"csrf": {csrf}, "name": {"Printing"}})
	if _, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Printer", Channel: desk.ChannelPortal, CategoryID: printers.ID}, ""); err != nil {
		t.Fatal(err)
	}
	p = a.post(path+"/delete", url.Values{"csrf": {csrf}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Tickets refer to it") || !strings.Contains(p.body, `value="Printing"`) {
		t.Fatalf("delete in use: %d", p.status)
	}
	if _, err := e.d.Category(ctx, printers.ID); err != nil {
		t.Fatal("a category in use was deleted")
	}
}

func TestWeb_AdminServicesRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	csrf := a.csrf("/admin/services")

	p := a.post("/admin/services", url.Values{"csrf": {csrf}, "name": {""}, "description": {"Mail for everyone"}, "owner_group": {"1"}})
	wantForm(t, p, "name", "Give a name", "Mail for everyone</textarea>", `<option value="1" selected>`)
	p = a.post("/admin/services", url.Values{"csrf": {csrf}, "name": {"E-mail"}, "owner_group": {"x"}})
	wantForm(t, p, "owner_group", "Choose from the list.", `value="E-mail"`)
	if p = a.post("/admin/services", url.Values{"csrf": {csrf}, "name": {"E-mail"}, "description": {"Mail"}, "owner_group": {"1"}}); p.status != http.StatusSeeOther {
		t.Fatalf("create: %d %.300s", p.status, p.body)
	}
	svcs, _ := e.d.Services(ctx)
	var mail *desk.Service
	for _, s := range svcs {
		if s.Name == "E-mail" {
			mail = s
		}
	}
	if mail == nil || mail.Description != "Mail" || mail.OwnerGroup == nil || mail.OwnerGroup.ID != 1 {
		t.Fatalf("stored: %+v", mail)
	}
	path := fmt.Sprintf("/admin/services/%d", mail.ID)
	p = a.post(path, url.Values{"csrf": {csrf}, "name": {"Mail"}, "description": {"All mail"}, "owner_group": {"999"}})
	wantForm(t, p, "owner_group", "Choose an existing group.", `value="Mail"`, "All mail</textarea>")
	if p = a.post(path, url.Values{"csrf": {csrf}, "name": {"Mail"}, "description": {"All mail"}, "retired": {"on"}}); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d", p.status)
	}
	if s, _ := e.d.BusinessService(ctx, mail.ID); s.Name != "Mail" || s.Description != "All mail" || s.OwnerGroup != nil || !s.Retired {
		t.Fatalf("after edit: %+v", s)
	}
	a.post(path, url.Values{"csrf": {csrf}, "name": {"Mail"}})
	if _, _, err := e.d.CreateTicket(desk.WithActor(context.Background(), e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "No mail", Channel: desk.ChannelPortal, ServiceID: mail.ID}, ""); err != nil {
		t.Fatal(err)
	}
	p = a.post(path+"/delete", url.Values{"csrf": {csrf}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Tickets refer to it") {
		t.Fatalf("delete in use: %d", p.status)
	}
	// An unused service goes.
	other, err := e.d.CreateService(ctx, desk.ServiceInput{Name: "Fax"})
	if err != nil {
		t.Fatal(err)
	}
	// One an SLA policy names stays until the policy lets go of it.
	policy := &desk.SLAPolicy{Name: "Fax", Calendar: "24x7", Response: time.Hour, Resolution: 8 * time.Hour,
		ServiceIDs: []int64{other.ID}, Active: true}
	if err := e.d.SaveSLAPolicy(ctx, policy); err != nil {
		t.Fatal(err)
	}
	p = a.post(fmt.Sprintf("/admin/services/%d/delete", other.ID), url.Values{"csrf": {csrf}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "An SLA policy names it") {
		t.Fatalf("delete named by a policy: %d", p.status)
	}
	if err := e.d.DeleteSLAPolicy(ctx, policy.ID); err != nil {
		t.Fatal(err)
	}
	if p = a.post(fmt.Sprintf("/admin/services/%d/delete", other.ID), url.Values{"csrf": {csrf}}); p.status != http.StatusSeeOther {
		t.Fatalf("delete: %d", p.status)
	}
	if _, err := e.d.BusinessService(ctx, other.ID); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("the deleted service is still there: %v", err)
	}
}

// TestWeb_AdminCatalogAgentRefused: an agent may neither see nor change categories and services.
func TestWeb_AdminCatalogAgentRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := desk.WithActor(context.Background(), e.lena)
	lena := e.client()
	lena.signIn("lena@example.com")
	csrf := lena.csrf("/agent")
	for _, path := range []string{"/admin/categories", "/admin/services"} {
		if p := lena.get(path); p.status != http.StatusForbidden {
			t.Errorf("GET %s: %d", path, p.status)
		}
		if p := lena.post(path, url.Values{"csrf": {csrf}, "name": {"Mine"}}); p.status != http.StatusForbidden {
			t.Errorf("POST %s: %d", path, p.status)
		}
	}
	cats, _ := e.d.Categories(ctx)
	svcs, _ := e.d.Services(ctx)
	for _, c := range cats {
		if c.Name == "Mine" {
			t.Error("the agent created a category")
		}
	}
	for _, s := range svcs {
		if s.Name == "Mine" {
			t.Error("the agent created a service")
		}
	}
}
