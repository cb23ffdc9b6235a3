package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestBreach_Notices: the case's owner prepares, sends and versions the
// notices through the API; the law's fields, the times and the sent
// notice's finality are refused with problems naming the field and rule;
// the document comes as text and escaped printable HTML; nobody outside
// the case finds a notice.
func TestBreach_Notices(t *testing.T) {
	e := newSecEnv(t)
	e.agent.do("POST", ticketURL(e.tk, "/security"), map[string]any{"reason": "account compromised"}).want(t, http.StatusOK)
	url := ticketURL(e.tk, "/breach")
	aware := time.Now().Add(-30 * time.Hour).Truncate(time.Second)
	e.sec.do("PUT", url+"/awareness", map[string]any{"aware_at": aware.Format(time.RFC3339), "reason": "SOC"}).want(t, http.StatusOK)
	e.sec.do("PUT", url+"/regime", map[string]any{"regime": "both", "reason": "EU and RU"}).want(t, http.StatusOK)

	first := map[string]any{"kind": "152fz_first", "lang": "ru", "nature": "Учётная запись рассылает спам",
		"causes": "Фишинг", "consequences": "Раскрыты адреса", "measures": "Пароль сброшен <b>сразу</b>",
		"contact_name": "Саша", "contact_details": "+7 495 000-00-00"}
	// Before awareness, then late without reasons: refused, nothing stored.
	first["sent"] = map[string]any{"sent_at": aware.Add(-time.Minute).Format(time.RFC3339), "via": "portal"}
	r := e.sec.do("POST", url+"/notices", first).want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "sent_at"); rule != desk.RuleNotAfter {
		t.Fatalf("before awareness: %s", rule)
	}
	first["sent"] = map[string]any{"sent_at": aware.Add(25 * time.Hour).Format(time.RFC3339), "via": "portal"}
	r = e.sec.do("POST", url+"/notices", first).want(t, http.StatusUnprocessableEntity)
	if rule := breachFieldRule(t, r, "delay_reasons"); rule != desk.RuleRequired {
		t.Fatalf("late: %s", rule)
	}
	first["sent"] = map[string]any{"sent_at": aware.Add(20 * time.Hour).Format(time.RFC3339), "via": "portal", "reference": "RKN-1"}
	n := decode[noticeJSON](t, e.sec.do("POST", url+"/notices", first).want(t, http.StatusCreated))
	if n.State != "sent" || n.Recipient != "roskomnadzor" || n.Series != n.ID || n.Version != 1 || n.SentAt == nil {
		t.Fatalf("sent notice %+v", n)
	}
	nurl := "/api/v1/breach/notices/" + strconv.FormatInt(n.ID, 10)
	// Outsiders find nothing.
	for name, c := range map[string]*client{"requester": e.alice, "line 1": e.agent, "admin": e.admin} {
		if r := c.get(url + "/notices"); r.status != http.StatusNotFound {
			t.Errorf("%s lists notices: %d", name, r.status)
		}
		for _, p := range []string{nurl, nurl + "/document"} {
			if r := c.get(p); r.status != http.StatusNotFound {
				t.Errorf("%s reads %s: %d", name, p, r.status)
			}
		}
		if r := c.do("POST", nurl+"/versions", nil); r.status != http.StatusNotFound && r.status != http.StatusForbidden {
			t.Errorf("%s versions it: %d", name, r.status)
		}
	}
	// A sent notice is final.
	r = e.sec.do("PUT", nurl, map[string]any{"nature": "rewritten"}).want(t, http.StatusConflict)
	if p := problemOf(t, r); p.Rule != desk.RuleNoticeSent {
		t.Fatalf("edit of a sent notice: %+v", p)
	}
	e.sec.do("POST", nurl+"/sending", map[string]any{"sent_at": time.Now().Format(time.RFC3339), "via": "email"}).want(t, http.StatusConflict)
	v2 := decode[noticeJSON](t, e.sec.do("POST", nurl+"/versions", nil).want(t, http.StatusCreated))
	if v2.Series != n.ID || v2.Version != 2 || v2.State != "draft" || v2.Nature != n.Nature {
		t.Fatalf("new version %+v", v2)
	}
	v2url := "/api/v1/breach/notices/" + strconv.FormatInt(v2.ID, 10)
	e.sec.do("POST", v2url+"/versions", nil).want(t, http.StatusConflict)
	e.sec.do("PUT", v2url, map[string]any{"kind": "partners"}, invalid).want(t, http.StatusUnprocessableEntity)
	// A PUT replaces the draft's fields: the correction gives them all.
	corrected := map[string]any{"rev": v2.Rev}
	for k, v := range first {
		if k != "sent" && k != "kind" {
			corrected[k] = v
		}
	}
	corrected["nature"] = "Уточнено"
	v2 = decode[noticeJSON](t, e.sec.do("PUT", v2url, corrected).want(t, http.StatusOK))
	e.sec.do("PUT", v2url, map[string]any{"nature": "stale", "rev": 1}).want(t, http.StatusPreconditionFailed)
	// The corrected version is read back and recorded as sent.
	got := decode[noticeJSON](t, e.sec.get(v2url).want(t, http.StatusOK))
	if got.Nature != "Уточнено" || got.State != "draft" || got.Series != n.ID {
		t.Fatalf("the corrected version reads %+v", got)
	}
	sent := decode[noticeJSON](t, e.sec.do("POST", v2url+"/sending", map[string]any{"sent_at": time.Now().Add(-time.Minute).Format(time.RFC3339),
		"via": "email", "reference": "RKN-1/2", "delay_reasons": "Уточнение после внутренней проверки", "rev": got.Rev}).want(t, http.StatusOK))
	if sent.State != "sent" || sent.SentAt == nil || sent.Version != 2 {
		t.Fatalf("the corrected version sent %+v", sent)
	}

	// A GDPR draft lists what it lacks; sending it then names each field.
	g := decode[noticeJSON](t, e.sec.do("POST", url+"/notices", map[string]any{"kind": "gdpr_authority", "lang": "en",
		"nature": "Account takeover", "subjects_approx": 1200}).want(t, http.StatusCreated))
	if strings.Join(g.Missing, ",") != "subject_categories,record_categories,records_approx,contact_name,contact_details,consequences,measures" {
		t.Errorf("missing %v", g.Missing)
	}
	gurl := "/api/v1/breach/notices/" + strconv.FormatInt(g.ID, 10)
	r = e.sec.do("POST", gurl+"/sending", map[string]any{"sent_at": time.Now().Format(time.RFC3339), "via": "portal"}).
		want(t, http.StatusUnprocessableEntity)
	if p := problemOf(t, r); len(p.Errors) != 7 {
		t.Errorf("sending an incomplete GDPR notice: %+v", p.Errors)
	}
	e.sec.do("POST", gurl+"/sending", map[string]any{"sent_at": "now", "via": "portal"}, invalid).want(t, http.StatusUnprocessableEntity)
	e.sec.do("POST", url+"/notices", map[string]any{"kind": "ccpa", "lang": "en"}, invalid).want(t, http.StatusUnprocessableEntity)

	// The document.
	doc := e.sec.get(nurl+"/document?zone=Europe/Moscow").want(t, http.StatusOK)
	if ct := doc.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("text document: %s", ct)
	}
	msk := aware.Add(20 * time.Hour).In(mustZone(t, "Europe/Moscow")).Format("2006-01-02 15:04")
	for _, want := range []string{"Уведомление Роскомнадзора", "Предполагаемые причины", "Фишинг", "Направлено " + msk + " UTC+03:00", "RKN-1"} {
		if !strings.Contains(string(doc.body), want) {
			t.Errorf("document lacks %q:\n%s", want, doc.body)
		}
	}
	html := e.sec.get(nurl+"/document?format=html").want(t, http.StatusOK)
	if !strings.Contains(string(html.body), "&lt;b&gt;сразу") || strings.Contains(string(html.body), "<b>сразу") {
		t.Errorf("HTML document not escaped:\n%s", html.body)
	}
	e.sec.get(nurl+"/document?format=pdf", invalid).want(t, http.StatusUnprocessableEntity)
	e.sec.get(nurl+"/document?zone=Mars/Base", invalid).want(t, http.StatusUnprocessableEntity)
	list := decode[struct{ Notices []noticeJSON }](t, e.sec.get(url+"/notices").want(t, http.StatusOK))
	if len(list.Notices) != 3 {
		t.Errorf("%d notices, want 3", len(list.Notices))
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
