package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func breachFieldRule(t *testing.T, r *response, field string) desk.Rule {
	t.Helper()
	for _, fe := range problemOf(t, r).Errors {
		if fe.Field == field {
			return fe.Rule
		}
	}
	t.Fatalf("no error on %s: %s", field, r.body)
	return ""
}

// TestBreach_Record: the case's owner records awareness and regimes with
// reasons, each change on the timeline; the clocks follow from awareness
// on wall-clock time; nobody else sets them, and nobody who does not see
// the case reads them.
func TestBreach_Record(t *testing.T) {
	e := newSecEnv(t)
	e.agent.do("POST", ticketURL(e.tk, "/security"), map[string]any{"reason": "account compromised"}).want(t, http.StatusOK)
	url := ticketURL(e.tk, "/breach")

	empty := decode[breachJSON](t, e.sec.do("GET", url, nil).want(t, http.StatusOK))
	if empty.AwareAt != nil || empty.Regime != nil || len(empty.Clocks) != 0 || !empty.Owner {
		t.Fatalf("a fresh case: %+v, want nothing recorded, no clocks, the member an owner", empty)
	}
	// The requester is staff-only refused (it is their own ticket); staff
	// who do not see the case find nothing.
	for c, put := range map[*client]int{e.alice: http.StatusForbidden, e.agent: http.StatusNotFound, e.admin: http.StatusNotFound} {
		c.do("GET", url, nil).want(t, http.StatusNotFound)
		c.do("PUT", url+"/awareness", map[string]any{"aware_at": time.Now().Format(time.RFC3339), "reason": "x"}).want(t, put)
	}

	future := time.Now().Add(2 * time.Hour).Format(time.RFC3339)
	r := e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": future, "reason": "SOC alert"}).want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "aware_at"); rule != desk.RuleInFuture {
		t.Fatalf("awareness in the future: rule %s, want in_future", rule)
	}
	r = e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": "yesterday", "reason": "x"}, invalid).want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "aware_at"); rule != desk.RuleInvalidFmt {
		t.Fatalf("awareness not a time: rule %s", rule)
	}
	r = e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": time.Now().Format(time.RFC3339), "reason": ""}, invalid).
		want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "reason"); rule != desk.RuleRequired {
		t.Fatalf("no reason: rule %s", rule)
	}

	aware := time.Now().Add(-12 * time.Hour).Truncate(time.Second)
	got := decode[breachJSON](t, e.sec.do("PUT", url+"/awareness",
		map[string]any{"aware_at": aware.In(time.FixedZone("MSK", 3*3600)).Format(time.RFC3339), "reason": "SOC alert at 09:12"}).
		want(t, http.StatusOK))
	if got.AwareAt == nil || !mustTime(t, *got.AwareAt).Equal(aware) || got.AwareReason != "SOC alert at 09:12" || len(got.Clocks) != 0 {
		t.Fatalf("awareness set: %+v", got)
	}
	r = e.sec.do("PUT", url+"/regime", map[string]any{"regime": "eu", "reason": "x"}, invalid).want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "regime"); rule != desk.RuleOneOf {
		t.Fatalf("unknown regime: rule %s", rule)
	}
	got = decode[breachJSON](t, e.sec.do("PUT", url+"/regime", map[string]any{"regime": "both", "reason": "EU and Russian customers"}).
		want(t, http.StatusOK))
	due := map[string]time.Time{}
	for _, c := range got.Clocks {
		due[c.Kind] = mustTime(t, c.Due)
		if c.State != desk.BreachClockRunning {
			t.Errorf("clock %s is %s, want running", c.Kind, c.State)
		}
		if c.Kind == "152fz_first_24h" && c.Percent != 50 {
			t.Errorf("152-FZ first notice 12 h into 24 h: %d%%, want 50", c.Percent)
		}
	}
	if len(got.Clocks) != 3 || !due["gdpr_authority_72h"].Equal(aware.Add(72*time.Hour)) ||
		!due["152fz_first_24h"].Equal(aware.Add(24*time.Hour)) || !due["152fz_investigation_72h"].Equal(aware.Add(72*time.Hour)) {
		t.Fatalf("clocks %+v, want GDPR 72 h, 152-FZ 24 h and 72 h from awareness", got.Clocks)
	}

	// A stale If-Match is refused; a change of awareness needs its reason
	// and is on the timeline beside the first.
	e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": aware.Format(time.RFC3339), "reason": "x"},
		withHeader("If-Match", `"1"`)).want(t, http.StatusPreconditionFailed)
	earlier := aware.Add(-3 * time.Hour)
	e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": earlier.Format(time.RFC3339), "reason": "the firewall log shows it earlier"}).
		want(t, http.StatusOK)
	events := decode[eventListJSON](t, e.sec.get(ticketURL(e.tk, "/events")).want(t, http.StatusOK)).Events
	var changes []string
	for _, ev := range events {
		for _, c := range ev.Changes {
			if strings.HasPrefix(c.Field, "breach_") {
				changes = append(changes, c.Field+":"+c.Old+"→"+c.New+" ("+ev.Reason+")")
			}
		}
	}
	want := []string{
		"breach_aware_at:→" + aware.UTC().Format(time.RFC3339) + " (SOC alert at 09:12)",
		"breach_regime:→both (EU and Russian customers)",
		"breach_aware_at:" + aware.UTC().Format(time.RFC3339) + "→" + earlier.UTC().Format(time.RFC3339) + " (the firewall log shows it earlier)",
	}
	if strings.Join(changes, "\n") != strings.Join(want, "\n") {
		t.Fatalf("timeline:\n%s\nwant:\n%s", strings.Join(changes, "\n"), strings.Join(want, "\n"))
	}
	for _, ev := range events {
		if ev.Public && len(ev.Changes) > 0 && strings.HasPrefix(ev.Changes[0].Field, "breach_") {
			t.Errorf("a breach record change is public: %+v", ev)
		}
	}

	// An administrator who granted themselves access reads the record but
	// does not decide it.
	e.admin.do("POST", ticketURL(e.tk, "/security/access"), map[string]any{"reason": "audit"}).want(t, http.StatusOK)
	if b := decode[breachJSON](t, e.admin.do("GET", url, nil).want(t, http.StatusOK)); b.Owner || b.Regime == nil {
		t.Fatalf("the granted admin reads %+v", b)
	}
	p := problemOf(t, e.admin.do("PUT", url+"/regime", map[string]any{"regime": "none", "reason": "mine"}).want(t, http.StatusForbidden))
	if p.Rule != desk.RuleCaseOwner {
		t.Errorf("granted admin setting the regime: rule %q, want case_owner", p.Rule)
	}
	// A ticket that is not a security case has no breach record.
	e.agent.do("GET", ticketURL(e.other, "/breach"), nil).want(t, http.StatusConflict)
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}
