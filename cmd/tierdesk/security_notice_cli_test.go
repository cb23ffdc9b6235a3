package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestCLI_BreachNotices: the case's owner records the Roskomnadzor
// notice from the command line, prints its document in Russian, is
// refused an edit of the sent notice and a notice dated before awareness
// (a message and a non-zero exit), and versions it.
func TestCLI_BreachNotices(t *testing.T) {
	e, agent, sec, num := securityCaseCLI(t)
	aware := time.Now().Add(-6 * time.Hour).UTC().Truncate(time.Second)
	e.ok(sec, "security", "awareness", num, "--at", aware.Format(time.RFC3339), "--reason", "SOC alert")
	e.ok(sec, "security", "regime", num, "152fz", "--reason", "Russian customers")

	content := []string{"--kind", "152fz_first", "--lang", "ru", "--nature", "Учётная запись рассылает спам",
		"--causes", "Фишинг", "--consequences", "Раскрыты адреса", "--measures", "Пароль сброшен",
		"--contact-name", "Саша", "--contact-details", "+7 495 000-00-00"}
	before := aware.Add(-time.Minute).Format(time.RFC3339)
	if _, errOut, code := e.cli(sec, append(append([]string{"security", "notice", "add", num}, content...),
		"--sent-at", before, "--via", "portal")...); code == 0 || !strings.Contains(errOut, "sent_at") {
		t.Errorf("a notice before awareness: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(sec, "security", "notice", "add", num, "--kind", "152fz_first", "--lang", "ru",
		"--sent-at", aware.Add(time.Hour).Format(time.RFC3339), "--via", "portal"); code == 0 || !strings.Contains(errOut, "causes") {
		t.Errorf("an incomplete notice sent: exit %d %s", code, errOut)
	}
	out := e.ok(sec, append([]string{"security", "notice", "add", num}, content...)...)
	id := regexp.MustCompile(`^(\d+) `).FindStringSubmatch(out)
	if id == nil || !strings.Contains(out, "draft") {
		t.Fatalf("added:\n%s", out)
	}
	out = e.ok(sec, "security", "notice", "send", id[1], "--sent-at", aware.Add(2*time.Hour).Format(time.RFC3339), "--via", "portal", "--reference", "RKN-9")
	if !strings.Contains(out, "sent") || !strings.Contains(out, "ref RKN-9") {
		t.Errorf("sent:\n%s", out)
	}
	if _, errOut, code := e.cli(sec, "security", "notice", "edit", id[1], "--nature", "x"); code == 0 || !strings.Contains(errOut, "409") {
		t.Errorf("a sent notice edited: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(sec, "security", "notice", "show", "abc"); code == 0 || !strings.Contains(errOut, "NOTICE_ID") {
		t.Errorf("a bad id: exit %d %s", code, errOut)
	}
	if _, errOut, code := e.cli(agent, "security", "notice", "list", num); code == 0 || !strings.Contains(errOut, "404") {
		t.Errorf("line 1 lists notices: exit %d %s", code, errOut)
	}
	doc := e.ok(sec, "security", "notice", "document", id[1], "--zone", "Europe/Moscow")
	for _, want := range []string{"Уведомление Роскомнадзора", "Предполагаемые причины", "Фишинг", "RKN-9", " UTC+03:00"} {
		if !strings.Contains(doc, want) {
			t.Errorf("document lacks %q:\n%s", want, doc)
		}
	}
	out = e.ok(sec, "security", "notice", "version", id[1])
	if !strings.Contains(out, " v2 ") || !strings.Contains(out, "draft") {
		t.Errorf("version:\n%s", out)
	}
	if out = e.ok(sec, "security", "notice", "list", num); strings.Count(out, "\n") != 2 {
		t.Errorf("list:\n%s", out)
	}
	out = e.ok(sec, "security", "case", num)
	if !strings.Contains(out, "met (sent ") {
		t.Errorf("the 24-hour clock is not met:\n%s", out)
	}
	csvOut := e.ok(sec, "security", "register", "--format", "csv")
	if !strings.HasPrefix(csvOut, "ticket,title,") || !strings.Contains(csvOut, num) || !strings.Contains(csvOut, "152fz_first v1 sent") {
		t.Errorf("register CSV:\n%s", csvOut)
	}
	if out := e.ok(agent, "security", "register"); strings.Contains(out, num) || !strings.Contains(out, `"breaches": []`) {
		t.Errorf("line 1's register:\n%s", out)
	}
	if _, errOut, code := e.cli(sec, "security", "register", "--format", "xml"); code == 0 || !strings.Contains(errOut, "--format") {
		t.Errorf("register as xml: exit %d %s", code, errOut)
	}
}
