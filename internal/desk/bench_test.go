package desk_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkDesk_CreateTicket registers tickets through the whole service
// layer (validation, routing, requester matching, numbering, history) on
// each database, as the API does for every new ticket.
func BenchmarkDesk_CreateTicket(b *testing.B) {
	for _, backend := range testdb.Backends {
		b.Run(backend.Name, func(b *testing.B) {
			d := desk.New(backend.Open(b), desk.SystemClock{}, desk.DefaultConfig)
			agent, _, err := d.Bootstrap(context.Background(), desk.UserInput{
				Email: "bench@example.com", Name: "Bench", Role: desk.RoleAgent}, false, 1)
			if err != nil {
				b.Fatal(err)
			}
			ctx := desk.WithActor(context.Background(), agent)
			for i := 0; b.Loop(); i++ {
				_, _, err := d.CreateTicket(ctx, desk.NewTicket{
					Type: desk.TypeIncident, Title: fmt.Sprintf("Printer %d jams", i), Channel: desk.ChannelPhone,
					Description: "Paper jam on the third floor printer, every second page.",
					Requester:   desk.PersonInput{Email: fmt.Sprintf("user%d@example.com", i%500), Name: "User"},
					Impact:      desk.LevelMedium, Urgency: desk.LevelHigh,
				}, "")
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
