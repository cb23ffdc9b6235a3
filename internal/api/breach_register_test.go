package api

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

type registerOut struct {
	Breaches []struct {
		Ticket, Facts, Effects, Remedial, Regime string
		Notices                                  []struct{ Kind, State string }
	}
}

// TestBreach_Register: the register lists the breaches of the cases the
// caller sees, notified or not, as JSON and CSV: the security group's
// member finds the case with its facts, effects, remedial action and
// notices; an administrator who is not a member and a line-1 agent find
// an empty register (until the administrator grants themselves access),
// the requester is refused; a CSV cell that looks like a formula is
// defused.
func TestBreach_Register(t *testing.T) {
	e := newSecEnv(t)
	e.agent.do("POST", ticketURL(e.tk, "/security"), map[string]any{"reason": "account compromised"}).want(t, http.StatusOK)
	url := ticketURL(e.tk, "/breach")
	aware := time.Now().Add(-5 * time.Hour).Truncate(time.Second)
	e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": aware.Format(time.RFC3339), "reason": "SOC"}).want(t, http.StatusOK)
	e.sec.do("PUT", url+"/regime", map[string]any{"regime": "gdpr", "reason": "EU customers"}).want(t, http.StatusOK)
	e.sec.do("POST", url+"/notices", map[string]any{"kind": "gdpr_authority", "lang": "en", "nature": "=HYPERLINK(\"x\")",
		"subject_categories": "customers", "subjects_approx": 40, "record_categories": "e-mail", "records_approx": 40,
		"contact_name": "DPO", "contact_details": "dpo@example.com", "consequences": "spam to contacts", "measures": "password reset",
		"sent": map[string]any{"sent_at": aware.Add(time.Hour).Format(time.RFC3339), "via": "portal"}}).want(t, http.StatusCreated)

	got := decode[registerOut](t, e.sec.get("/api/v1/breach/register").want(t, http.StatusOK))
	if len(got.Breaches) != 1 || got.Breaches[0].Ticket != e.tk.Number || got.Breaches[0].Effects != "spam to contacts" ||
		got.Breaches[0].Remedial != "password reset" || len(got.Breaches[0].Notices) != 1 || got.Breaches[0].Notices[0].State != "sent" {
		t.Fatalf("member's register %+v", got)
	}
	for name, c := range map[string]*client{"admin": e.admin, "line 1": e.agent} {
		if got := decode[registerOut](t, c.get("/api/v1/breach/register").want(t, http.StatusOK)); len(got.Breaches) != 0 {
			t.Errorf("%s finds %+v", name, got)
		}
		body := string(c.get("/api/v1/breach/register?format=csv").want(t, http.StatusOK).body)
		if strings.Count(body, "\n") != 1 || strings.Contains(body, e.tk.Number) {
			t.Errorf("%s's CSV:\n%s", name, body)
		}
	}
	e.alice.get("/api/v1/breach/register").want(t, http.StatusForbidden)
	e.sec.get("/api/v1/breach/register?format=xml", invalid).want(t, http.StatusUnprocessableEntity)

	r := e.sec.get("/api/v1/breach/register?format=csv").want(t, http.StatusOK)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("CSV headers %v", r.header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("CSV %v:\n%s", err, r.body)
	}
	col := map[string]string{}
	for i, h := range rows[0] {
		col[h] = rows[1][i]
	}
	if col["facts"] != `'=HYPERLINK("x")` || col["regime"] != "gdpr" || col["subjects_approx"] != "40" ||
		!strings.Contains(col["notices"], "gdpr_authority v1 sent") || !strings.Contains(col["clocks"], "gdpr_authority_72h met") {
		t.Errorf("CSV row %v", col)
	}

	// The administrator grants themselves access: the case is theirs to read.
	e.admin.do("POST", ticketURL(e.tk, "/security/access"), map[string]any{"reason": "audit of the register"}).want(t, http.StatusOK)
	if got := decode[registerOut](t, e.admin.get("/api/v1/breach/register").want(t, http.StatusOK)); len(got.Breaches) != 1 {
		t.Errorf("admin with access finds %+v", got)
	}
}

// TestBreach_RegisterGeneratedAt: the register says when it was made by
// the desk's clock (the one its clocks are measured against), in its body
// and its file name, not by the machine's wall clock.
func TestBreach_RegisterGeneratedAt(t *testing.T) {
	at := time.Date(2027, 3, 28, 0, 30, 0, 0, time.UTC)
	e := newEnvClock(t, Options{}, testdb.NewClock(at))
	got := decode[struct {
		GeneratedAt string `json:"generated_at"`
	}](t, e.agent.get("/api/v1/breach/register").want(t, http.StatusOK))
	if got.GeneratedAt != "2027-03-28T00:30:00Z" {
		t.Errorf("generated_at %q, want the desk's clock 2027-03-28T00:30:00Z", got.GeneratedAt)
	}
	r := e.agent.get("/api/v1/breach/register?format=csv").want(t, http.StatusOK)
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "breach-register-20270328.csv") {
		t.Errorf("file name %q, want the desk's date", cd)
	}
}
