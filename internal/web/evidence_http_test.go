package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// evidenceCase is a security case sam reported and lena marked, with the
// security group's member sid signed in.
type evidenceCase struct {
	e               *httpEnv
	tk              *desk.Ticket
	sid             *desk.User
	sec, lena, adm  *client
	sam             *client
	page, list, add string
}

func newEvidenceCase(t *testing.T) *evidenceCase {
	t.Helper()
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	g, err := e.d.CreateGroup(desk.AsSystem(ctx), desk.GroupInput{Name: "Security", Line: desk.Line2, Security: true})
	if err != nil {
		t.Fatal(err)
	}
	bootstrap(t, e, "ada@example.com", desk.RoleAdmin)
	c := &evidenceCase{e: e, sid: bootstrap(t, e, "sid@example.com", desk.RoleAgent, g.ID)}
	c.tk, _, err = e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "My account sends spam " + secWord, Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.d.MarkSecurity(desk.WithActor(ctx, e.lena), c.tk.Number, desk.SecurityInput{Reason: "compromised"}); err != nil {
		t.Fatal(err)
	}
	c.sec, c.lena, c.adm, c.sam = e.client(), e.client(), e.client(), e.client()
	c.sec.signIn("sid@example.com")
	c.lena.signIn("lena@example.com")
	c.adm.signIn("ada@example.com")
	c.sam.signIn("sam@example.com")
	c.page, c.list = "/tickets/"+c.tk.Number, "/tickets/"+c.tk.Number+"/evidence"
	return c
}

// form is a valid evidence form with the CSRF token of the list page.
func (c *evidenceCase) form(kv ...string) url.Values {
	f := url.Values{"csrf": {c.sec.csrf(c.list)}, "title": {"Headers <b>" + secWord + "</b>"}, "collected_from": {"sam's mailbox"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

func webSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestWeb_Evidence records evidence on the case's page, refuses bad
// uploads with the form and why (storing nothing), opens the item (a
// view in its chain), downloads it only as a download, hands it over,
// moves it, checks its hash and compares a copy, in English and Russian.
func TestWeb_Evidence(t *testing.T) {
	c := newEvidenceCase(t)
	if b := c.sec.get(c.page).body; !strings.Contains(b, `href="`+c.list+`"`) || !strings.Contains(b, "No evidence recorded yet.") {
		t.Errorf("the case's page lacks its evidence panel")
	}
	if r := c.sec.postFile(c.list, url.Values{"title": {"x"}, "collected_from": {"y"}}, "a.txt", []byte("a")); r.status != http.StatusForbidden {
		t.Errorf("a form without the CSRF token: %d", r.status)
	}
	content := []byte("Received: from mx.evil.example")
	for _, bad := range []struct {
		name    string
		form    url.Values
		content []byte
		want    string
	}{
		{"empty", c.form(), nil, "The file is empty."},
		{"mismatch", c.form("sha256", webSHA([]byte("other"))), content, "does not match the one expected"},
		{"bad hash", c.form("sha256", "12ab"), content, "64 hexadecimal digits"},
		{"future", c.form("collected_at", time.Now().Add(48*time.Hour).Format("2006-01-02T15:04")), content, "cannot be in the future"},
		{"no title", c.form("title", ""), content, "id=\"title-error\""},
	} {
		r := c.sec.postFile(c.list, bad.form, "headers.eml", bad.content)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, bad.want) {
			t.Errorf("%s: %d, want 422 saying %q", bad.name, r.status, bad.want)
		}
	}
	if r := c.sec.post(c.list, c.form()); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="location-error"`) {
		t.Errorf("neither file nor place: %d", r.status)
	}
	if b := c.sec.get(c.list).body; !strings.Contains(b, "No evidence recorded yet.") {
		t.Error("a refused upload stored something")
	}

	r := c.sec.postFile(c.list, c.form("sha256", webSHA(content)), "headers.eml", content)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/evidence/") {
		t.Fatalf("record: %d %s", r.status, r.body)
	}
	item := strings.TrimSuffix(r.header.Get("Location"), "?done=evidence_added")
	b := c.sec.get(r.header.Get("Location")).body
	for _, want := range []string{"The evidence is recorded.", webSHA(content), "Headers &lt;b&gt;" + secWord, `data-action="collected"`, `data-action="viewed"`, "127.0.0.1"} {
		if !strings.Contains(b, want) {
			t.Errorf("the item's page lacks %q", want)
		}
	}
	if strings.Contains(b, "<b>"+secWord) {
		t.Error("the title is not escaped")
	}
	dl := c.sec.get(item + "/file")
	if dl.status != http.StatusOK || dl.body != string(content) || !strings.HasPrefix(dl.header.Get("Content-Disposition"), "attachment") ||
		dl.header.Get("X-Content-Type-Options") != "nosniff" || dl.header.Get("Content-Type") != "application/octet-stream" {
		t.Errorf("download: %d %v", dl.status, dl.header)
	}
	csrf := c.sec.csrf(item)
	steps := []struct {
		path string
		form url.Values
		done string
	}{
		{"/transfer", url.Values{"location": {"Evidence locker 3"}, "transfer_note": {"bag 17"}, "version": {"1"}}, "evidence_transferred"},
		{"/handover", url.Values{"to_name": {"Officer K, badge 4711"}, "note": {"receipt 118"}, "version": {"2"}}, "evidence_handed_over"},
		{"/verify", url.Values{}, "evidence_verified"},
	}
	for _, s := range steps {
		s.form.Set("csrf", csrf)
		if r := c.sec.post(item+s.path, s.form); r.status != http.StatusSeeOther || !strings.HasSuffix(r.header.Get("Location"), "done="+s.done) {
			t.Errorf("POST %s: %d %s %s", s.path, r.status, r.header.Get("Location"), r.body)
		}
	}
	if r := c.sec.post(item+"/handover", url.Values{"csrf": {csrf}, "to_name": {"someone"}, "note": {"x"}, "version": {"1"}}); r.status != http.StatusConflict {
		t.Errorf("a hand-over from a stale page: %d", r.status)
	}
	if r := c.sec.post(item+"/handover", url.Values{"csrf": {csrf}, "note": {"x"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="to_user-error"`) {
		t.Errorf("a hand-over to nobody: %d", r.status)
	}
	up := c.sec.postFile(item+"/file", url.Values{"csrf": {csrf}}, "copy.eml", []byte("tampered"))
	if up.status != http.StatusUnprocessableEntity || !strings.Contains(up.body, "does not match") {
		t.Errorf("a copy that differs: %d", up.status)
	}
	b = c.sec.get(item, "Accept-Language", "ru").body
	for _, want := range []string{"Цепочка хранения", "Officer K, badge 4711", "Evidence locker 3", "хеш проверен: совпадает", "передано", "перемещено", "скачано"} {
		if !strings.Contains(b, want) {
			t.Errorf("the Russian item page lacks %q", want)
		}
	}
	if n := strings.Count(b, `data-action="viewed"`); n < 2 {
		t.Errorf("%d views in the chain", n)
	}
	// The case's page lists what was done with its evidence, oldest first,
	// to its members; nobody else opens the page.
	for lang, wants := range map[string][]string{
		"en": {"What was done with the evidence", "sid: recorded", "sid: handed over", "→ Officer K, badge 4711"},
		"ru": {"Что делали с доказательствами", "→ Officer K, badge 4711", "передано"},
	} {
		text := pageText(c.sec.get(c.page, "Accept-Language", lang).body)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the case's evidence timeline lacks %q:\n%s", lang, want, text)
			}
		}
		_, tl, _ := strings.Cut(text, wants[0])
		if i, j := strings.Index(tl, "Evidence locker 3"), strings.Index(tl, "Officer K, badge 4711"); i < 0 || j < i {
			t.Errorf("%s: the evidence timeline is not oldest first", lang)
		}
	}
	for name, cl := range map[string]*client{"line 1": c.lena, "non-member admin": c.adm} {
		if r := cl.get(c.page); r.status != http.StatusNotFound || strings.Contains(r.body, "Officer K") {
			t.Errorf("%s opens the case's page: %d", name, r.status)
		}
	}
}
