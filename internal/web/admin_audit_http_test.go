package web_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/web"
)

// The audit log page: administrators see the desk's writes, newest first,
// worded in their language, filter them by who, family and record, verify
// the chain (and see a break named) and export an anchor; agents may not
// open it.
func TestWeb_AdminAudit(t *testing.T) {
	st := testdb.SQLite(t)
	d := desk.New(st, desk.SystemClock{}, desk.DefaultConfig)
	h, err := web.New(d, nil, web.Options{Audit: audit.NewService(st, d)})
	if err != nil {
		t.Fatal(err)
	}
	e := &httpEnv{t: t, d: d, st: st, srv: httptest.NewServer(h)}
	t.Cleanup(e.srv.Close)
	ctx := context.Background()
	for _, u := range []desk.UserInput{{Email: "ada@example.com", Name: "Ada Admin", Role: desk.RoleAdmin},
		{Email: "lena@example.com", Name: "Lena", Role: desk.RoleAgent}} {
		made, _, err := d.Bootstrap(ctx, u, false, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.SetPassword(desk.AsSystem(ctx), made.ID, pw); err != nil {
			t.Fatal(err)
		}
	}
	ada := e.client()
	ada.signIn("ada@example.com")

	for lang, wants := range map[string][]string{
		"ru": {"Журнал аудита", "вход", "Ada Admin", "пароль задан", "пользователь добавлен", "роль: Администратор", "Проверить всю цепочку"},
		"en": {"Audit log", "signed in", "Ada Admin", "password set", "user added", "role: Administrator", "Verify the whole chain"},
	} {
		p := ada.get("/admin/audit", "Accept-Language", lang)
		text := pageText(p.body)
		for _, want := range wants {
			if p.status != 200 || !strings.Contains(text, want) {
				t.Errorf("%s: %d, the page does not show %q:\n%s", lang, p.status, want, text)
			}
		}
	}
	if text := pageText(ada.get("/admin/audit?kind=auth.").body); strings.Contains(text, "user added") || !strings.Contains(text, "signed in") {
		t.Errorf("family filter:\n%s", text)
	}
	if text := pageText(ada.get("/admin/audit?actor=lena%40example.com").body); !strings.Contains(text, "No entries match") {
		t.Errorf("actor filter shows entries of others (Lena has made none):\n%s", text)
	}
	if text := pageText(ada.get("/admin/audit?actor=nobody%40example.com").body); !strings.Contains(text, "No user has that e-mail address") {
		t.Errorf("unknown actor:\n%s", text)
	}
	if text := pageText(ada.get("/admin/audit?subject=user%2F1").body); !strings.Contains(text, "Record user 1") || strings.Contains(text, "lena@example.com") {
		t.Errorf("record filter:\n%s", text)
	}
	if text := pageText(ada.get("/admin/audit?verify=1").body); !strings.Contains(text, "The chain holds") {
		t.Errorf("verify:\n%s", text)
	}
	p := ada.post("/admin/audit/anchor", url.Values{"csrf": {ada.csrf("/admin/audit")}})
	var a audit.Anchor
	if p.status != 200 || json.Unmarshal([]byte(p.body), &a) != nil || a.Seq < 4 || len(a.Hash) != 64 {
		t.Fatalf("anchor export: %d %s", p.status, p.body)
	}
	if text := pageText(ada.get("/admin/audit").body); !strings.Contains(text, "Last anchor: entry") {
		t.Errorf("the anchor is not shown:\n%s", text)
	}
	if _, err := st.DB().Exec(`UPDATE audit_log SET detail = '{"role":"admin"}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if text := pageText(ada.get("/admin/audit?verify=1", "Accept-Language", "ru").body); !strings.Contains(text, "Цепочка разорвана на записи 2") {
		t.Errorf("a broken chain is not named:\n%s", text)
	}

	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/admin/audit"); p.status != 403 {
		t.Errorf("an agent opened the page: %d", p.status)
	}
	if p := lena.post("/admin/audit/anchor", url.Values{"csrf": {lena.csrf("/settings")}}); p.status != 403 {
		t.Errorf("an agent exported an anchor: %d", p.status)
	}
}
