package web

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// queueRowTemplate is the queue page's row as the template wrote it
// before queueRowsHTML (session 12): the reference its output must equal.
const queueRowTemplate = `{{range .}}
  <tr class="queue-row{{if .Breached}} breached{{end}}"{{if .Breached}} data-breached{{end}}>
    <td><a href="/tickets/{{.T.Number}}">{{.T.Number}}</a></td>
    <td>{{with .T.SLA.DueAt}}<time datetime="{{iso .}}" class="countdown" data-deadline="{{iso .}}" data-in="{{t "sla.in" "{0}"}}" data-late="{{t "sla.late" "{0}"}}" data-d="{{t "unit.short.d"}}" data-h="{{t "unit.short.h"}}" data-m="{{t "unit.short.m"}}" data-s="{{t "unit.short.s"}}">{{datetime .}}</time>{{else}}<span class="muted">{{t "console.nodue"}}</span>{{end}}</td>
    <td><span class="prio prio-{{.T.Priority}}">{{.T.Priority}}</span></td>
    <td>{{.T.Title}}{{if .RegMissed}} <span class="badge breach-missed-badge">{{t "breach.list.missed"}}</span>{{end}}</td>
    <td>{{enum "state" .T.State}}</td>
    <td>{{.T.Requester.Name}}</td>
    <td>{{.Age}}</td>
  </tr>
  {{end}}`

// TestQueueRows_AsTheTemplate: the queue page's rows written in Go are the
// template's rows byte for byte, in both languages and in two zones, with
// texts holding every character html/template escapes, a ticket number
// that needs percent-encoding in its link, with and without a deadline,
// breached or not, with a missed regulatory deadline or not.
func TestQueueRows_AsTheTemplate(t *testing.T) {
	s := testServer(t)
	due := time.Date(2026, 12, 8, 1, 30, 0, 0, time.UTC)
	past := due.Add(-50 * time.Hour)
	var rows []queueRow
	for i, title := range []string{"Printer jams", `<script>alert("x" + 'y') & co</script>` + "\x00", "Принтер «HP» не печатает", "a\uFDD0b \xff c"} {
		tk := &desk.Ticket{Number: []string{"INC-000123", "REQ-9 (\"x\")<>&%zz%41 é", "INC-1", "INC-2"}[i], Title: title,
			State: desk.States[i%len(desk.States)], Priority: desk.Priorities[i%len(desk.Priorities)],
			Requester: desk.Person{Name: []string{"Ann O'Neil", "Bob <b>&amp;</b>", "Иван", "+1"}[i]}}
		if i != 2 {
			d := []time.Time{due, past, {}, due.Add(time.Minute)}[i]
			tk.SLA.DueAt = &d
		}
		rows = append(rows, queueRow{T: tk, Age: []string{"2 days", "3 h <1>", "—", "'"}[i], Breached: i == 1, RegMissed: i == 1 || i == 3})
	}
	for _, code := range []string{"en", "ru"} {
		for _, zone := range []string{"UTC", "Europe/Moscow"} {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			l := s.cat.langs[code]
			ref, err := template.New("rows").Funcs(s.funcs(l, loc)).Parse(queueRowTemplate)
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := ref.Execute(&want, rows); err != nil {
				t.Fatal(err)
			}
			got := string(queueRowsHTML(l, loc, rows))
			if got != want.String() {
				t.Errorf("%s, %s: rows differ from the template's at byte %d\ngot  %q\nwant %q", code, zone, firstDiff(got, want.String()),
					tail(got, firstDiff(got, want.String())), tail(want.String(), firstDiff(got, want.String())))
			}
			if !strings.Contains(got, "&lt;script&gt;alert(&#34;x&#34; &#43; &#39;y&#39;) &amp; co&lt;/script&gt;\uFFFD") {
				t.Errorf("%s, %s: the title is not escaped:\n%s", code, zone, got)
			}
		}
	}
	if queueRowsHTML(s.cat.langs["en"], time.UTC, nil) != "" {
		t.Error("no rows: want nothing")
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func tail(s string, i int) string { return s[max(0, i-40):min(len(s), i+80)] }
