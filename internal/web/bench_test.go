package web_test

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
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
