package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type auditListOut struct {
	Entries []struct {
		Kind     string         `json:"kind"`
		Subject  string         `json:"subject"`
		Detail   map[string]any `json:"detail"`
		Redacted bool           `json:"redacted"`
	} `json:"entries"`
}

// TestSecurityAuthz_AuditRedacted: an administrator who is not on a
// security case reads the audit log's entries about it (its ticket, its
// evidence and the custody of it) with kind, time and record but without
// their details, so the evidence's places and hand-overs, written with the
// case's word, are nowhere in the answer; once the administrator grants
// themselves access the details are there.
func TestSecurityAuthz_AuditRedacted(t *testing.T) {
	e := newSecEnv(t)
	e.mark(t)
	e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/transfers", e.evID),
		map[string]any{"location": "Vault " + secWord, "note": "sealed"}).want(t, http.StatusOK)
	for _, path := range []string{"/api/v1/audit?limit=200", fmt.Sprintf("/api/v1/audit?subject=evidence%%2F%d", e.evID),
		fmt.Sprintf("/api/v1/audit?subject=ticket%%2F%d", e.tk.ID)} {
		r := e.admin.get(path).want(t, http.StatusOK)
		if strings.Contains(string(r.body), secWord) {
			t.Errorf("%s shows the case's word to a non-member admin: %s", path, r.body)
		}
		out := decode[auditListOut](t, r)
		redacted := 0
		for _, en := range out.Entries {
			about := en.Subject == fmt.Sprintf("evidence/%d", e.evID) || en.Subject == fmt.Sprintf("ticket/%d", e.tk.ID)
			if about && (!en.Redacted || len(en.Detail) != 0) {
				t.Errorf("%s: entry %s %s not redacted: %v", path, en.Kind, en.Subject, en.Detail)
			}
			if en.Redacted {
				redacted++
			}
		}
		if redacted == 0 {
			t.Errorf("%s lists no redacted entry: the case's entries are missing", path)
		}
	}
	// An ordinary ticket's entries keep their details.
	out := decode[auditListOut](t, e.admin.get(fmt.Sprintf("/api/v1/audit?subject=ticket%%2F%d", e.other.ID)).want(t, http.StatusOK))
	if len(out.Entries) == 0 || out.Entries[0].Redacted || out.Entries[0].Detail["events"] == nil {
		t.Errorf("an ordinary ticket's entries: %+v", out.Entries)
	}
	e.admin.do("POST", ticketURL(e.tk, "/security/access"), map[string]any{"reason": "audit of the case"}).want(t, http.StatusOK)
	r := e.admin.get(fmt.Sprintf("/api/v1/audit?subject=evidence%%2F%d", e.evID)).want(t, http.StatusOK)
	if !strings.Contains(string(r.body), "Vault "+secWord) || strings.Contains(string(r.body), `"redacted"`) {
		t.Errorf("after the grant the admin still reads redacted entries: %s", r.body)
	}
}
