package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// matrixBody is a priority matrix with every cell set to p.
func matrixBody(p string) map[string]any {
	row := map[string]any{"high": p, "medium": p, "low": p}
	return map[string]any{"high": row, "medium": row, "low": row}
}

func TestUsers(t *testing.T) {
	e := newEnv(t)
	r := e.admin.do("POST", "/api/v1/users", map[string]any{"email": "Dana@Example.com", "name": " Dana ", "phone": "123", "role": "agent"})
	u := decode[userJSON](t, r.want(t, http.StatusCreated))
	want := userJSON{ID: u.ID, Email: "dana@example.com", Name: "Dana", Phone: "123", Role: "agent", Active: true,
		Groups: []desk.GroupRef{}, CreatedAt: u.CreatedAt}
	if diff := cmp.Diff(want, u); diff != "" || r.header.Get("Location") != "/api/v1/users/"+itoa(u.ID) {
		t.Errorf("created user (-want +got):\n%s\nLocation %s", diff, r.header.Get("Location"))
	}
	problemOf(t, e.admin.do("POST", "/api/v1/users", map[string]any{"email": "dana@example.com", "name": "D", "role": "agent"}).want(t, http.StatusConflict))
	if got := decode[userJSON](t, e.agent.get("/api/v1/users/"+itoa(u.ID)).want(t, http.StatusOK)); got.Email != u.Email {
		t.Errorf("GET user: %+v", got)
	}
	me := decode[userJSON](t, e.agent.get("/api/v1/users/me").want(t, http.StatusOK))
	if me.ID != e.agent.userID || len(me.Groups) != 1 || me.Groups[0].ID != e.sd.ID {
		t.Errorf("me = %+v, want the agent in the service desk", me)
	}
	patched := decode[userJSON](t, e.admin.do("PATCH", "/api/v1/users/"+itoa(u.ID), map[string]any{"role": "manager", "phone": ""}).want(t, http.StatusOK))
	if patched.Role != "manager" || patched.Phone != "" || patched.Name != "Dana" {
		t.Errorf("patched user: %+v", patched)
	}
	e.admin.do("DELETE", "/api/v1/users/"+itoa(u.ID), nil).want(t, http.StatusNoContent)
	if got := decode[userJSON](t, e.admin.get("/api/v1/users/"+itoa(u.ID)).want(t, http.StatusOK)); got.Active {
		t.Error("deleted user is still active")
	}
	problemOf(t, e.admin.do("DELETE", "/api/v1/users/"+itoa(e.admin.userID), nil).want(t, http.StatusConflict))
	problemOf(t, e.admin.get("/api/v1/users/999999").want(t, http.StatusNotFound))
	problemOf(t, e.admin.get("/api/v1/users/abc", invalid).want(t, http.StatusNotFound))
}

func TestUsers_ListPages(t *testing.T) {
	e := newEnv(t)
	var all []userJSON
	path := "/api/v1/users?limit=3"
	for {
		page := decode[userListJSON](t, e.agent.get(path).want(t, http.StatusOK))
		all = append(all, page.Users...)
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/users?limit=3&cursor=" + url.QueryEscape(*page.NextCursor)
	}
	if len(all) != 8 { // admin, manager, four agents, two requesters
		t.Errorf("walked %d users, want 8", len(all))
	}
	ids := map[int64]bool{}
	for _, u := range all {
		if ids[u.ID] {
			t.Fatalf("user %d on two pages", u.ID)
		}
		ids[u.ID] = true
	}
	agents := decode[userListJSON](t, e.agent.get("/api/v1/users?role=agent,manager&q=a").want(t, http.StatusOK))
	roles := map[desk.Role]bool{}
	for _, u := range agents.Users {
		roles[u.Role] = true
	}
	if !roles["agent"] || !roles["manager"] {
		t.Errorf("role filter agent,manager found roles %v in %d users, want both", roles, len(agents.Users))
	}
	for _, u := range agents.Users {
		if u.Role != "agent" && u.Role != "manager" {
			t.Errorf("role filter let %s (%s) through", u.Email, u.Role)
		}
	}
	p := problemOf(t, e.agent.get("/api/v1/users?role=king", invalid).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) == 0 || p.Errors[0].Field != "role" {
		t.Errorf("errors %v, want role", p.Errors)
	}
}

func TestUsers_Tokens(t *testing.T) {
	e := newEnv(t)
	r := e.alice.do("POST", "/api/v1/users/"+itoa(e.alice.userID)+"/tokens", map[string]any{"name": "laptop"}).want(t, http.StatusCreated)
	tok := decode[tokenJSON](t, r)
	if tok.Name != "laptop" || len(tok.Token) < 20 || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("token %+v, Cache-Control %q", tok, r.header.Get("Cache-Control"))
	}
	fresh := e.client(tok.Token)
	if me := decode[userJSON](t, fresh.get("/api/v1/users/me").want(t, http.StatusOK)); me.ID != e.alice.userID {
		t.Errorf("new token authenticates as %d, want %d", me.ID, e.alice.userID)
	}
	e.admin.do("POST", "/api/v1/users/"+itoa(e.bob.userID)+"/tokens", map[string]any{}).want(t, http.StatusCreated)

	// Listing shows no secrets; others' tokens are not one's business.
	path := "/api/v1/users/" + itoa(e.alice.userID) + "/tokens"
	list := decode[map[string][]map[string]any](t, e.alice.get(path).want(t, http.StatusOK))
	found := false
	for _, tk := range list["tokens"] {
		if _, leaked := tk["token"]; leaked {
			t.Errorf("token list shows a secret: %v", tk)
		}
		found = found || tk["name"] == "laptop"
	}
	if !found {
		t.Errorf("token list %v lacks laptop", list)
	}
	e.bob.get(path).want(t, http.StatusForbidden)
	e.bob.do("DELETE", path+"/"+itoa(tok.ID), nil).want(t, http.StatusForbidden)

	// A revoked token stops working at once.
	e.alice.do("DELETE", path+"/"+itoa(tok.ID), nil).want(t, http.StatusNoContent)
	fresh.get("/api/v1/users/me").want(t, http.StatusUnauthorized)
	e.alice.do("DELETE", path+"/"+itoa(tok.ID), nil).want(t, http.StatusNotFound)
}

func TestGroups(t *testing.T) {
	e := newEnv(t)
	r := e.admin.do("POST", "/api/v1/groups", map[string]any{"name": "Databases", "line": 2, "manager_id": e.mgr.userID})
	g := decode[groupJSON](t, r.want(t, http.StatusCreated))
	want := groupJSON{ID: g.ID, Name: "Databases", Line: 2, Manager: &desk.Ref{ID: e.mgr.userID, Name: "Mona Manager"},
		Active: true, CreatedAt: g.CreatedAt}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("created group (-want +got):\n%s", diff)
	}
	list := decode[map[string][]groupJSON](t, e.agent.get("/api/v1/groups").want(t, http.StatusOK))
	if len(list["groups"]) != 4 {
		t.Errorf("%d groups, want 4", len(list["groups"]))
	}
	gURL := "/api/v1/groups/" + itoa(g.ID)
	e.agent.get(gURL).want(t, http.StatusOK)
	g = decode[groupJSON](t, e.admin.do("PATCH", gURL, map[string]any{"name": "DBA", "manager_id": nil}).want(t, http.StatusOK))
	if g.Name != "DBA" || g.Manager != nil {
		t.Errorf("patched group: %+v", g)
	}
	e.admin.do("PUT", gURL+"/members/"+itoa(e.l2.userID), nil).want(t, http.StatusNoContent)
	e.admin.do("PUT", gURL+"/members/"+itoa(e.l2.userID), nil).want(t, http.StatusNoContent)
	problemOf(t, e.admin.do("PUT", gURL+"/members/"+itoa(e.alice.userID), nil).want(t, http.StatusUnprocessableEntity))
	members := decode[map[string][]userJSON](t, e.agent.get(gURL+"/members").want(t, http.StatusOK))
	if len(members["members"]) != 1 || members["members"][0].ID != e.l2.userID {
		t.Errorf("members %+v", members)
	}
	e.admin.do("DELETE", gURL+"/members/"+itoa(e.l2.userID), nil).want(t, http.StatusNoContent)
	e.admin.do("DELETE", gURL, nil).want(t, http.StatusNoContent)
	if got := decode[groupJSON](t, e.agent.get(gURL).want(t, http.StatusOK)); got.Active {
		t.Error("deleted group is still active")
	}
	problemOf(t, e.admin.do("PATCH", "/api/v1/groups/"+itoa(e.sd.ID), map[string]any{"default": false}).want(t, http.StatusConflict))
	problemOf(t, e.admin.do("POST", "/api/v1/groups", map[string]any{"name": "Bad", "line": 4}, invalid).want(t, http.StatusUnprocessableEntity))
}

func TestCatalogue(t *testing.T) {
	e := newEnv(t)
	type item struct {
		ID      int64  `json:"id"`
		Name    string `json:"name"`
		Retired bool   `json:"retired"`
	}
	cases := []struct {
		coll   string
		create map[string]any
		ref    string // the ticket field that references it
	}{
		{"categories", map[string]any{"name": "Hardware", "group_id": e.sd.ID}, "category_id"},
		{"services", map[string]any{"name": "E-mail", "description": "Exchange", "owner_group_id": e.sd.ID}, "service_id"},
	}
	for _, tc := range cases {
		t.Run(tc.coll, func(t *testing.T) {
			base := "/api/v1/" + tc.coll
			used := decode[item](t, e.admin.do("POST", base, tc.create).want(t, http.StatusCreated))
			unused := decode[item](t, e.admin.do("POST", base, map[string]any{"name": "Unused " + tc.coll}).want(t, http.StatusCreated))
			body := ticketIn("Uses " + tc.coll)
			body[tc.ref] = used.ID
			e.agent.createTicket(body)
			list := decode[map[string][]item](t, e.alice.get(base).want(t, http.StatusOK))
			if diff := cmp.Diff([]item{used, unused}, list[tc.coll], cmpopts.SortSlices(func(a, b item) bool { return a.ID < b.ID })); diff != "" {
				t.Errorf("list (-want +got):\n%s", diff)
			}
			e.alice.get(fmt.Sprint(base, "/", used.ID)).want(t, http.StatusOK)
			got := decode[item](t, e.admin.do("PATCH", fmt.Sprint(base, "/", used.ID), map[string]any{"name": "Renamed", "retired": true}).want(t, http.StatusOK))
			if got.Name != "Renamed" || !got.Retired {
				t.Errorf("patched: %+v", got)
			}
			problemOf(t, e.admin.do("DELETE", fmt.Sprint(base, "/", used.ID), nil).want(t, http.StatusConflict))
			e.admin.do("DELETE", fmt.Sprint(base, "/", unused.ID), nil).want(t, http.StatusNoContent)
			problemOf(t, e.admin.get(fmt.Sprint(base, "/", unused.ID)).want(t, http.StatusNotFound))
			problemOf(t, e.admin.do("POST", base, map[string]any{"name": " "}).want(t, http.StatusUnprocessableEntity))
		})
	}
}

func TestCategories_Tree(t *testing.T) {
	e := newEnv(t)
	hw := e.createCategory("Hardware", 0)
	printers := e.createCategory("Printers", hw.ID)
	if printers.ParentID == nil || *printers.ParentID != hw.ID || hw.ParentID != nil {
		t.Errorf("parent ids: hardware %v, printers %v", hw.ParentID, printers.ParentID)
	}
	p := problemOf(t, e.admin.do("POST", "/api/v1/categories", map[string]any{"name": "Toner", "parent_id": printers.ID}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "parent_id" {
		t.Errorf("three levels: errors %v", p.Errors)
	}
	body := ticketIn("Jam")
	body["subcategory_id"] = printers.ID
	tk := e.agent.createTicket(body)
	if refName(tk.Category) != "Hardware" || refName(tk.Subcategory) != "Printers" {
		t.Errorf("category %v subcategory %v", tk.Category, tk.Subcategory)
	}
	list := decode[ticketListJSON](t, e.agent.get("/api/v1/tickets?category="+itoa(hw.ID)).want(t, http.StatusOK))
	if len(list.Tickets) != 1 {
		t.Errorf("category filter: %d tickets", len(list.Tickets))
	}
}

func TestPriorityMatrix(t *testing.T) {
	e := newEnv(t)
	got := decode[map[string]map[string]string](t, e.alice.get("/api/v1/priority-matrix").want(t, http.StatusOK))
	want := map[string]map[string]string{
		"high":   {"high": "P1", "medium": "P2", "low": "P3"},
		"medium": {"high": "P2", "medium": "P3", "low": "P4"},
		"low":    {"high": "P3", "medium": "P4", "low": "P4"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("default matrix (-want +got):\n%s", diff)
	}
	want["low"]["low"] = "P3"
	put := decode[map[string]map[string]string](t, e.admin.do("PUT", "/api/v1/priority-matrix", want).want(t, http.StatusOK))
	if diff := cmp.Diff(want, put); diff != "" {
		t.Errorf("PUT answer (-want +got):\n%s", diff)
	}
	body := ticketIn("Minor")
	body["impact"], body["urgency"] = "low", "low"
	if tk := e.agent.createTicket(body); tk.Priority != "P3" {
		t.Errorf("new ticket low×low priority %s, want P3 from the new matrix", tk.Priority)
	}
	partial := map[string]any{"high": map[string]any{"high": "P1"}, "medium": want["medium"]}
	p := problemOf(t, e.admin.do("PUT", "/api/v1/priority-matrix", partial, invalid).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 5 || p.Errors[0].Field != "high.medium" {
		t.Errorf("partial matrix: errors %v, want the 5 missing cells", p.Errors)
	}
	problemOf(t, e.admin.do("PUT", "/api/v1/priority-matrix", matrixBody("P9"), invalid).want(t, http.StatusUnprocessableEntity))
	bad := matrixBody("P1")
	bad["critical"] = want["high"]
	problemOf(t, e.admin.do("PUT", "/api/v1/priority-matrix", bad, invalid).want(t, http.StatusBadRequest))
}

func TestHealth(t *testing.T) {
	e := newEnv(t)
	e.anon.get("/healthz").want(t, http.StatusOK)
	e.anon.get("/readyz").want(t, http.StatusOK)
	if err := e.store.Close(); err != nil {
		t.Fatal(err)
	}
	problemOf(t, e.anon.get("/readyz").want(t, http.StatusServiceUnavailable))
	e.anon.get("/healthz").want(t, http.StatusOK)
	// With the database gone, requests fail as internal errors: a generic
	// problem for the client, the real error in the log.
	p := problemOf(t, e.agent.get("/api/v1/users/me").want(t, http.StatusInternalServerError))
	if p.Type != problemTypePrefix+"internal" || strings.Contains(p.Detail, "closed") {
		t.Errorf("internal problem shows %+v", p)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "request failed") || !strings.Contains(logs, "closed") {
		t.Errorf("the real error is not logged:\n%s", logs)
	}
}

// TestLogs_NoSecrets checks that tokens, issued or presented, never reach
// the log, and that request bodies do not either.
func TestLogs_NoSecrets(t *testing.T) {
	e := newEnv(t)
	tok := decode[tokenJSON](t, e.admin.do("POST", "/api/v1/users/"+itoa(e.agent.userID)+"/tokens", map[string]any{"name": "ci"}).want(t, http.StatusCreated))
	e.client(tok.Token).get("/api/v1/users/me").want(t, http.StatusOK)
	e.client("tdk_wrong-token-value").get("/api/v1/users/me").want(t, http.StatusUnauthorized)
	e.agent.createTicket(ticketIn("Body text that stays private"))
	e.agent.get("/api/v1/tickets?q=confidential-search").want(t, http.StatusOK)
	logs := e.logs.String()
	for _, secret := range []string{tok.Token, e.agent.token, e.admin.token, "tdk_wrong-token-value", "stays private", "confidential-search"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
	if !strings.Contains(logs, "http request") {
		t.Error("no access log records")
	}
}

// TestUsers_GroupsInOneSave: a user's fields and memberships change in one
// PATCH, all or nothing.
func TestUsers_GroupsInOneSave(t *testing.T) {
	e := newEnv(t)
	r := e.admin.do("POST", "/api/v1/users", map[string]any{"email": "gina@example.com", "name": "Gina", "role": "agent",
		"groups": []int64{e.net.ID, e.sd.ID}})
	u := decode[userJSON](t, r.want(t, http.StatusCreated))
	if len(u.Groups) != 2 || u.Groups[0].ID != e.sd.ID || u.Groups[1].ID != e.net.ID {
		t.Fatalf("created with groups %+v", u.Groups)
	}
	path := "/api/v1/users/" + itoa(u.ID)
	u = decode[userJSON](t, e.admin.do("PATCH", path, map[string]any{"name": "Gina N", "groups": []int64{e.net.ID}}).want(t, http.StatusOK))
	if u.Name != "Gina N" || len(u.Groups) != 1 || u.Groups[0].ID != e.net.ID {
		t.Fatalf("patched: %+v", u)
	}
	// Refused saves store nothing: neither the name nor the groups.
	problemOf(t, e.admin.do("PATCH", path, map[string]any{"name": "X", "email": "alice@example.com", "groups": []int64{}}).want(t, http.StatusConflict))
	p := problemOf(t, e.admin.do("PATCH", path, map[string]any{"name": "X", "groups": []int64{e.sd.ID, 999999}}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "groups" {
		t.Errorf("unknown group: errors %+v, want one on groups", p.Errors)
	}
	problemOf(t, e.admin.do("PATCH", path, map[string]any{"role": "requester"}).want(t, http.StatusUnprocessableEntity))
	problemOf(t, e.admin.do("PATCH", path, map[string]any{"groups": nil}, invalid).want(t, http.StatusUnprocessableEntity))
	if got := decode[userJSON](t, e.admin.get(path).want(t, http.StatusOK)); got.Name != "Gina N" || got.Role != "agent" ||
		len(got.Groups) != 1 || got.Groups[0].ID != e.net.ID {
		t.Fatalf("a refused PATCH changed the user: %+v", got)
	}
	u = decode[userJSON](t, e.admin.do("PATCH", path, map[string]any{"role": "requester", "groups": []int64{}}).want(t, http.StatusOK))
	if u.Role != "requester" || len(u.Groups) != 0 {
		t.Fatalf("to a requester without groups: %+v", u)
	}
}
