package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestSLAAdminCLI manages calendars and policies from the command line
// against a running server, and sees a ticket take the new policy.
func TestSLAAdminCLI(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir()})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	agent := e.addUser("--email", "lena@example.com", "--name", "Lena L1", "--group", "1")

	out := e.ok(admin, "sla", "calendar", "set", "berlin", "--zone", "Europe/Berlin",
		"--day", "monday=09:00-12:30, 13:30-18:00", "--day", "friday=09:00-15:00", "--holiday", "12-25=Christmas")
	if !strings.Contains(out, "saved calendar berlin") {
		t.Fatalf("calendar set: %s", out)
	}
	if _, errOut, code := e.cli(admin, "sla", "calendar", "set", "mars", "--zone", "Mars/Olympus", "--day", "monday=09:00-18:00"); code != 1 ||
		!strings.Contains(errOut, "zone") {
		t.Fatalf("an unknown zone: exit %d, %s", code, errOut)
	}
	if _, _, code := e.cli(admin, "sla", "calendar", "set", "x", "--day", "monday"); code != 2 {
		t.Fatalf("a malformed --day: exit %d, want 2", code)
	}
	list := e.ok(agent, "sla", "calendar", "list")
	if !regexp.MustCompile(`berlin\s+Europe/Berlin\s+mon 09:00-12:30, 13:30-18:00; fri 09:00-15:00\s+12-25`).MatchString(list) {
		t.Fatalf("calendar list:\n%s", list)
	}

	if _, errOut, code := e.cli(agent, "sla", "policy", "create", "--name", "x", "--response", "1h", "--resolution", "2h"); code != 1 ||
		!strings.Contains(errOut, "403") {
		t.Fatalf("an agent creating a policy: exit %d, %s", code, errOut)
	}
	out = e.ok(admin, "sla", "policy", "create", "--name", "Berlin office", "--position", "1", "--types", "incident",
		"--calendar", "berlin", "--response", "10m", "--resolution", "2h")
	id := regexp.MustCompile(`saved SLA policy (\d+) Berlin office`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("policy create: %s", out)
	}
	e.ok(admin, "sla", "policy", "update", id[1], "--resolution", "3h", "--organizations", "ACME, Initech")
	list = e.ok(agent, "sla", "policy", "list")
	if !regexp.MustCompile(`Berlin office\s+incident\s+berlin\s+10m0s\s+3h0m0s\s+-\s+awaiting_requester\s+true`).MatchString(list) {
		t.Fatalf("an update must keep the fields it was not given:\n%s", list)
	}

	if js := e.ok(agent, "sla", "policy", "list", "--json"); !strings.Contains(js, `"ACME"`) || !strings.Contains(js, `"Initech"`) {
		t.Fatalf("organizations not saved:\n%s", js)
	}
	e.ok(admin, "sla", "policy", "update", id[1], "--organizations", "")

	e.ok(agent, "ticket", "create", "--type", "incident", "--title", "Plotter offline", "--requester-email", "sam@example.com")
	if show := e.ok(agent, "ticket", "show", "INC-000001"); !strings.Contains(show, "Berlin office (berlin calendar)") {
		t.Fatalf("the ticket did not take the new first policy:\n%s", show)
	}
	if _, errOut, code := e.cli(admin, "sla", "calendar", "delete", "berlin"); code != 1 || !strings.Contains(errOut, "409") {
		t.Fatalf("deleting a calendar in use: exit %d, %s", code, errOut)
	}
	e.ok(admin, "sla", "policy", "delete", id[1])
	e.ok(admin, "sla", "calendar", "delete", "berlin")
}

// TestServe_InstallLanguage: a desk first started with --language ru has
// its built-in group and SLA policies named in Russian, and they stay
// editable; its mail defaults to Russian too; a language the desk does not
// have is a usage error.
func TestServe_InstallLanguage(t *testing.T) {
	e := startServer(t, []string{"--data", t.TempDir(), "--language", "ru"})
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	list := e.ok(admin, "sla", "policy", "list")
	for _, name := range []string{"Инциденты P1", "Инциденты P4", "Запросы на обслуживание"} {
		if !strings.Contains(list, name) {
			t.Errorf("the policy %q is missing:\n%s", name, list)
		}
	}
	if strings.Contains(list, "incidents") {
		t.Errorf("English names on a Russian desk:\n%s", list)
	}
	if status, g := e.api(admin, "GET", "/groups/1", nil); status != 200 || g["name"] != "Служба поддержки" {
		t.Errorf("the default group: %d %v", status, g)
	}
	id := regexp.MustCompile(`(?m)^(\d+)\s+\d+\s+Инциденты P1`).FindStringSubmatch(list)
	if id == nil {
		t.Fatalf("no id for «Инциденты P1» in:\n%s", list)
	}
	e.ok(admin, "sla", "policy", "update", id[1], "--name", "Критические инциденты")
	if list := e.ok(admin, "sla", "policy", "list"); !strings.Contains(list, "Критические инциденты") {
		t.Errorf("the renamed policy:\n%s", list)
	}
	// Without --mail-language, mail is in the installation's language.
	if out := e.ok(admin, "user", "prefs"); !strings.Contains(out, "language ru,") {
		t.Errorf("the mail language of a Russian desk without --mail-language:\n%s", out)
	}
	if _, errOut, code := e.cli("", "migrate", "--data", t.TempDir(), "--language", "de"); code != 2 || !strings.Contains(errOut, "--language") {
		t.Errorf("--language de: exit %d, %s", code, errOut)
	}
}
