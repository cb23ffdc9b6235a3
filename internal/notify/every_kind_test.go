package notify

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// sourceKinds reads every outbox kind the desk's packages declare (a
// constant of type OutboxKind with a string value, outside notify and the
// tests), so that a kind added anywhere is held by the tests below
// without anyone remembering to list it.
func sourceKinds(t *testing.T) []desk.OutboxKind {
	t.Helper()
	seen := map[desk.OutboxKind]bool{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") ||
			strings.HasPrefix(path, filepath.Join("..", "notify")+string(filepath.Separator)) {
			return err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok || vs.Type == nil || !isOutboxKind(vs.Type) {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					seen[desk.OutboxKind(s)] = true
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var out []desk.OutboxKind
	for k := range seen {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	if len(out) < len(desk.NotificationKinds)+10 {
		t.Fatalf("found %d outbox kinds in the source (%v): the walk missed some", len(out), out)
	}
	return out
}

func isOutboxKind(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "OutboxKind"
	case *ast.SelectorExpr:
		return e.Sel.Name == "OutboxKind"
	}
	return false
}

// kindsOf are the kinds lang has a text of its own for.
func kindsOf(lang string) map[desk.OutboxKind]bool {
	out := map[desk.OutboxKind]bool{}
	for k := range languages[lang].kinds {
		out[k] = true
	}
	for k := range payloadKinds[lang] {
		out[k] = true
	}
	return out
}

// TestEveryKind_Worded: every outbox kind declared anywhere in the desk
// has its own text in English and in Russian (a kind without one would go
// out with the generic "there is news" text).
func TestEveryKind_Worded(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		have := kindsOf(lang)
		for _, k := range sourceKinds(t) {
			if !have[k] {
				t.Errorf("%s: the outbox kind %q has no text of its own", lang, k)
			}
		}
	}
}

// noTicketKinds go to addresses that are not the desk's users, about no
// ticket: they link the public status page instead.
var noTicketKinds = []desk.OutboxKind{kindStatusConfirm, kindStatusNotice}

// TestEveryKind_LinksItsTicket: every notification about a ticket, in
// every language, links the ticket at the public URL (one address for
// everyone: the desk shows a requester the portal page and staff the
// agent page); with no public URL configured there is no such line.
func TestEveryKind_LinksItsTicket(t *testing.T) {
	link := "https://desk.example.com/tickets/INC-000007"
	for _, lang := range []string{"en", "ru"} {
		for _, kind := range sourceKinds(t) {
			if slices.Contains(noTicketKinds, kind) {
				continue
			}
			p := map[string]string{"ticket": "INC-000007", "title": "VPN", "major": "INC-000007", "body": "x", "state": "new"}
			d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: p}}
			r, err := render(d, Recipient{Language: lang, Location: time.UTC}, "https://desk.example.com/")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Text, link) || !strings.Contains(r.HTML, `href="`+link+`"`) {
				t.Errorf("%s %s: no link to the ticket:\n%s", lang, kind, r.Text)
			}
			if r, _ := render(d, Recipient{Language: lang, Location: time.UTC}, ""); strings.Contains(r.Text, "/tickets/") {
				t.Errorf("%s %s: a link without a public URL:\n%s", lang, kind, r.Text)
			}
		}
	}
}

var (
	flagRE  = regexp.MustCompile(`\{\{-?\s*(?:else )?if (?:index \.P "(\w+)"|\.P\.(\w+))`)
	valueRE = regexp.MustCompile(`eq \(index \.P "(\w+)"\) "([^"]*)"`)
)

// payloadVariants are payloads that take every branch the notification
// texts read from the payload itself: each key they test with if set to "true",
// and each value they compare a key with (as the security case's
// no_group, the major incident's paging and urgent do).
func payloadVariants(t *testing.T) []map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []map[string]string
	add := func(k, v string) {
		if !seen[k+"="+v] {
			seen[k+"="+v] = true
			out = append(out, map[string]string{k: v})
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range flagRE.FindAllStringSubmatch(string(b), -1) {
			add(m[1]+m[2], "true")
		}
		for _, m := range valueRE.FindAllStringSubmatch(string(b), -1) {
			add(m[1], m[2])
		}
	}
	for _, must := range []string{"no_group=true", "paging=running", "paging=none", "urgent=true"} {
		if !seen[must] {
			t.Fatalf("the payload's branches were not found (no %s in %v)", must, out)
		}
	}
	return out
}

// TestRussianStates: the mail calls a ticket «заявка» (glossary), so the
// states it names agree with it in the feminine.
func TestRussianStates(t *testing.T) {
	want := map[string]string{"new": "новая", "assigned": "назначена", "in_progress": "в работе", "on_hold": "приостановлена",
		"resolved": "решена", "closed": "закрыта", "canceled": "отменена"}
	for _, st := range desk.States {
		if got := languages["ru"].states.of(string(st)); got != want[string(st)] {
			t.Errorf("state %s in Russian mail: %q, want %q", st, got, want[string(st)])
		}
	}
	d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: desk.OutboxRequesterReplied, Payload: map[string]string{
		"ticket": "INC-000007", "title": "VPN", "state": "on_hold", "priority": "P2", "actor": "Анна", "body": "x"}}}
	r, err := render(d, Recipient{Language: "ru", Location: time.UTC}, "https://desk.example.com")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "заявке INC-000007 «VPN» (P2, приостановлена)") || !strings.Contains(r.Text, "Заявка: https://desk.example.com/tickets/INC-000007") {
		t.Errorf("the requester's reply to staff:\n%s", r.Text)
	}
}
