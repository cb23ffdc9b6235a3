package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// checklistFor makes the printers checklist as the administrator.
func (e *env) checklistFor(categoryID int64) checklistJSON {
	e.t.Helper()
	body := map[string]any{"category_id": categoryID, "items": []map[string]any{
		{"question": map[string]string{"en": "Does a test page print?", "ru": "Печатается ли пробная страница?"}, "kind": "yes_no"},
		{"question": map[string]string{"en": "What does the panel say?"}, "kind": "text"}}}
	return decode[checklistJSON](e.t, e.admin.do("POST", "/api/v1/checklists", body).want(e.t, http.StatusCreated))
}

// TestAuthz_Diagnosis is the checklists' read/write matrix: staff read
// and answer, administrators write, requesters reach nothing, not even on
// their own ticket.
func TestAuthz_Diagnosis(t *testing.T) {
	e := newEnv(t)
	printers := e.createCategory("Printers", 0)
	c := e.checklistFor(printers.ID)
	body := map[string]any{"category_id": printers.ID, "service_id": 0, "items": []map[string]any{
		{"question": map[string]string{"en": "Plugged in?"}, "kind": "yes_no"}}}
	own := e.alice.createTicket(map[string]any{"type": "incident", "title": "My printer", "category_id": printers.ID})
	url := fmt.Sprintf("/api/v1/checklists/%d", c.ID)
	answers := map[string]any{"answers": []string{"no", "E-13"}}
	cases := []struct {
		name         string
		c            *client
		method, path string
		body         any
		status       int
	}{
		{"requester lists checklists", e.alice, "GET", "/api/v1/checklists", nil, 403},
		{"requester reads a checklist", e.alice, "GET", url, nil, 403},
		{"requester reads the mode", e.alice, "GET", "/api/v1/diagnosis/mode", nil, 403},
		{"requester reads own ticket's diagnosis", e.alice, "GET", ticketURL(own, "/diagnosis"), nil, 403},
		{"requester answers own ticket's checklist", e.alice, "POST", ticketURL(own, "/diagnosis"), answers, 403},
		{"requester writes a checklist", e.alice, "POST", "/api/v1/checklists", body, 403},
		{"agent writes a checklist", e.agent, "POST", "/api/v1/checklists", body, 403},
		{"agent edits a checklist", e.agent, "PUT", url, body, 403},
		{"agent deletes a checklist", e.agent, "DELETE", url, nil, 403},
		{"agent sets the mode", e.agent, "PUT", "/api/v1/diagnosis/mode", map[string]any{"mode": "require"}, 403},
		{"agent lists checklists", e.agent, "GET", "/api/v1/checklists", nil, 200},
		{"agent reads the mode", e.agent, "GET", "/api/v1/diagnosis/mode", nil, 200},
		{"agent answers", e.agent, "POST", ticketURL(own, "/diagnosis"), answers, 201},
		{"line 2 reads the answers", e.l2, "GET", ticketURL(own, "/diagnosis"), nil, 200},
		{"manager reads a checklist", e.mgr, "GET", url, nil, 200},
		{"admin sets the mode", e.admin, "PUT", "/api/v1/diagnosis/mode", map[string]any{"mode": "require"}, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var opts []reqOpt
			if tc.status >= 400 {
				opts = append(opts, invalid)
			}
			tc.c.do(tc.method, tc.path, tc.body, opts...).want(t, tc.status)
		})
	}
	// The requester's own ticket shows nothing of the diagnosis.
	events := e.alice.do("GET", ticketURL(own, "/events"), nil).want(t, http.StatusOK)
	for _, bad := range []string{"diagnosis", "E-13"} {
		if strings.Contains(string(events.body), bad) {
			t.Errorf("the requester's history mentions %q: %s", bad, events.body)
		}
	}
}

// TestDiagnosis_EscalateOverHTTP: under require, an unanswered ticket is
// escalated only with a reason (422 naming diagnosis_skipped without
// one); answered, it goes up without one and line 2 reads the answers.
func TestDiagnosis_EscalateOverHTTP(t *testing.T) {
	e := newEnv(t)
	printers := e.createCategory("Printers", 0)
	c := e.checklistFor(printers.ID)
	e.admin.do("PUT", "/api/v1/diagnosis/mode", map[string]any{"mode": "require"}).want(t, http.StatusOK)
	up := func(tk ticketJSON, skipped string) *response {
		body := map[string]any{"kind": "functional", "group_id": e.net.ID, "reason": "Needs the network team"}
		if skipped != "" {
			body["diagnosis_skipped"] = skipped
		}
		return e.agent.do("POST", ticketURL(tk, "/escalations"), body, invalid)
	}
	tk := e.agent.createTicket(map[string]any{"type": "incident", "title": "Printer offline", "category_id": printers.ID,
		"requester": map[string]any{"name": "Alice Requester", "email": "alice@example.com"}})
	p := problemOf(t, up(tk, "").want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "diagnosis_skipped" || p.Errors[0].Rule != "required" {
		t.Errorf("refusal: %+v", p)
	}
	up(tk, "The caller had to leave").want(t, http.StatusOK)

	tk2 := e.agent.createTicket(map[string]any{"type": "incident", "title": "Printer blank pages", "category_id": printers.ID,
		"requester": map[string]any{"name": "Alice Requester", "email": "alice@example.com"}})
	bad := problemOf(t, e.agent.do("POST", ticketURL(tk2, "/diagnosis"), map[string]any{"answers": []string{"maybe", ""}}, invalid).
		want(t, http.StatusUnprocessableEntity))
	if len(bad.Errors) != 2 || bad.Errors[0].Field != "answers[0]" || bad.Errors[1].Field != "answers[1]" {
		t.Errorf("bad answers: %+v", bad.Errors)
	}
	e.agent.do("POST", ticketURL(tk2, "/diagnosis"), map[string]any{"answers": []string{"yes", "E-13 paper jam"}}).want(t, http.StatusCreated)
	up(tk2, "").want(t, http.StatusOK)
	got := decode[struct {
		Answered  bool `json:"answered"`
		Diagnoses []struct {
			Answers []struct{ Value string } `json:"answers"`
		} `json:"diagnoses"`
	}](t, e.l2.do("GET", ticketURL(tk2, "/diagnosis"), nil).want(t, http.StatusOK))
	if !got.Answered || len(got.Diagnoses) != 1 || got.Diagnoses[0].Answers[1].Value != "E-13 paper jam" {
		t.Errorf("line 2 reads %+v", got)
	}
	none := e.agent.createTicket(ticketIn("No category"))
	e.agent.do("POST", ticketURL(none, "/diagnosis"), map[string]any{"answers": []string{"yes"}}, invalid).want(t, http.StatusConflict)

	// An edit names the version it edits; the answers keep their questions.
	url := fmt.Sprintf("/api/v1/checklists/%d", c.ID)
	edit := map[string]any{"category_id": printers.ID, "items": []map[string]any{{"question": map[string]string{"ru": "Кабель подключён?"}, "kind": "yes_no"}}}
	got2 := decode[checklistJSON](t, e.admin.do("PUT", url, edit, withHeader("If-Match", etag(1))).want(t, http.StatusOK))
	if got2.Version != 2 || len(got2.Items) != 1 {
		t.Errorf("edited: %+v", got2)
	}
	e.admin.do("PUT", url, edit, withHeader("If-Match", etag(1)), invalid).want(t, http.StatusPreconditionFailed)
	e.admin.do("DELETE", url, nil).want(t, http.StatusNoContent)
	e.admin.do("GET", url, nil, invalid).want(t, http.StatusNotFound)
	kept := decode[struct {
		Checklist *checklistJSON `json:"checklist"`
		Diagnoses []struct {
			ChecklistID *int64 `json:"checklist_id"`
			Answers     []struct {
				Question map[string]string `json:"question"`
			} `json:"answers"`
		} `json:"diagnoses"`
	}](t, e.l2.do("GET", ticketURL(tk2, "/diagnosis"), nil).want(t, http.StatusOK))
	if kept.Checklist != nil || len(kept.Diagnoses) != 1 || kept.Diagnoses[0].ChecklistID != nil ||
		kept.Diagnoses[0].Answers[0].Question["en"] != "Does a test page print?" {
		t.Errorf("answers after the checklist's edit and deletion: %+v", kept)
	}
}
