package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// Administrators see the scheduled backups — the last verified archive and
// a failing one, called out — in their language; agents may not open the
// page.
func TestWeb_AdminBackups(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	admin, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.d.SetPassword(desk.AsSystem(ctx), admin.ID, pw); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("ada@example.com")
	if p := c.get("/admin/backups", "Accept-Language", "ru"); p.status != 200 || !strings.Contains(pageText(p.body), "Этот сервер не делает резервных копий по расписанию") {
		t.Fatalf("no backups: %d\n%s", p.status, pageText(p.body))
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	e.d.WatchBackups(func() desk.BackupHealth {
		return desk.BackupHealth{Every: 24 * time.Hour, Keep: 7, Dir: "/var/backups/tierdesk", NextAt: at.Add(24 * time.Hour),
			LastSuccess: at.Add(-24 * time.Hour), LastFile: "/var/backups/tierdesk/tierdesk-20261206T090000.000Z.tdbk", LastBytes: 3 << 20,
			LastRows: 12345, LastTook: 2 * time.Second, LastFailure: at, LastError: "backup: write the archive: no space left on <device>",
			Failures: 1, Succeeded: 1, Failed: 1}
	})
	for lang, wants := range map[string][]string{
		"ru": {"Последнее резервное копирование не удалось", "Неудачные попытки подряд: 1", "no space left on <device>", "tierdesk-20261206T090000.000Z.tdbk", "число хранимых архивов: 7"},
		"en": {"The latest backup failed", "Failed attempts in a row: 1", "Last verified backup", "archives kept: 7"},
	} {
		p := c.get("/admin/backups", "Accept-Language", lang)
		text := pageText(p.body)
		for _, want := range wants {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the page does not show %q:\n%s", lang, want, text)
			}
		}
		if strings.Contains(p.body, "<device>") {
			t.Error("an error message became markup")
		}
	}
	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/admin/backups"); p.status != 403 {
		t.Errorf("an agent opened the page: %d", p.status)
	}
}
