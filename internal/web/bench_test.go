package web_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/devgen"
	"github.com/tierdesk/tierdesk/internal/web"
)

// BenchmarkWeb_TicketPage measures the agent's and the requester's ticket
// page of a ticket with 100 comments (sign-in excluded): everything the
// page reads (ticket, history, files, calls, SLA, links, directory) and
// the rendering.
func BenchmarkWeb_TicketPage(b *testing.B) {
	e := newHTTPEnv(b, web.Options{})
	ctx := context.Background()
	tk, _, err := e.d.CreateTicket(desk.WithActor(ctx, e.sam), desk.NewTicket{Type: desk.TypeIncident,
		Title: "Broken", Description: "It is broken.", Channel: desk.ChannelPortal}, "")
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100 {
		who := e.sam
		if i%2 == 1 {
			who = e.lena
		}
		if _, _, err := e.d.Comment(desk.WithActor(ctx, who), tk.Number, desk.CommentInput{
			Body: fmt.Sprintf("comment %d with a link https://example.com/%d", i, i)}); err != nil {
			b.Fatal(err)
		}
	}
	// In the site's zone, and in a zone of their own (whose page templates
	// are parsed on the first page, which the warm-up GET takes).
	for _, zone := range []string{"", "Europe/Moscow"} {
		for _, u := range []*desk.User{e.lena, e.sam} {
			if _, err := e.d.SetUserPreferences(desk.WithActor(ctx, u), u.ID, desk.PreferencesPatch{TimeZone: &zone}); err != nil {
				b.Fatal(err)
			}
			name := u.Email + " zone=" + strings.ReplaceAll(cmp.Or(zone, "site"), "/", "_")
			b.Run(name, func(b *testing.B) {
				c := e.client()
				c.signIn(u.Email)
				c.get("/tickets/" + tk.Number)
				for b.Loop() {
					if p := c.get("/tickets/" + tk.Number); p.status != http.StatusOK {
						b.Fatalf("status %d", p.status)
					}
				}
			})
		}
	}
}

// BenchmarkWeb_TicketsPage measures the Tickets page's first page (50
// rows, the default eight columns) on a generated desk of 3,000 tickets,
// where the list query is cheap: what is left is the page's own cost
// (the form's choices, the rows' cells, the layout). Profile it with
// -cpuprofile to see where that goes.
func BenchmarkWeb_TicketsPage(b *testing.B) {
	e := newHTTPEnv(b, web.Options{})
	ctx := context.Background()
	if err := devgen.Generate(ctx, e.st, devgen.Options{Tickets: 3000, Requesters: 300, Seed: 3}); err != nil {
		b.Fatal(err)
	}
	c := e.client()
	c.signIn(e.lena.Email)
	for _, path := range []string{"/tickets?state=open", "/tickets?state=open&columns=number"} {
		b.Run(strings.NewReplacer("/", "_", "?", "_", "&", "_").Replace(path), func(b *testing.B) {
			if p := c.get(path); p.status != http.StatusOK || strings.Count(p.body, "<tr") < 50 {
				b.Fatalf("status %d, %d rows", p.status, strings.Count(p.body, "<tr"))
			}
			for b.Loop() {
				c.get(path)
			}
		})
	}
}
