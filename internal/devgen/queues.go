package devgen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// QueueDesk names the groups GenerateQueues fills.
type QueueDesk struct {
	Big, Medium, Small *desk.Group
}

// GenerateQueues adds three line-1 groups to s (once per big: the names
// carry it), one with big open tickets and
// one with 1,000 and one with ten, each with SLA deadlines spread over the week around now
// (a fifth already breached, a tenth without a deadline), a third of them
// unassigned: the desk on which a large queue must open as fast as a
// small one.
func GenerateQueues(ctx context.Context, s *sqlstore.Store, big int, now time.Time) (*QueueDesk, error) {
	r := rand.New(rand.NewPCG(7, 11))
	req, err := s.EnsureRequester(ctx, &desk.User{Email: "queue-bench@example.com", Name: "Queue Bench",
		Role: desk.RoleRequester, Active: true})
	if err != nil {
		return nil, err
	}
	agent := &desk.User{Email: "queue-agent@example.com", Name: "Queue Agent", Role: desk.RoleAgent, Active: true}
	if err := s.CreateUser(ctx, agent); err != nil {
		return nil, err
	}
	q := &QueueDesk{}
	for name, g := range map[string]**desk.Group{"big": &q.Big, "medium": &q.Medium, "small": &q.Small} {
		*g = &desk.Group{Name: fmt.Sprintf("Queue bench (%s, %d)", name, big), Line: desk.Line1, Active: true}
		if err := s.CreateGroup(ctx, *g); err != nil {
			return nil, err
		}
	}
	for _, part := range []struct {
		g *desk.Group
		n int
	}{{q.Big, big}, {q.Medium, 1000}, {q.Small, 10}} {
		for done := 0; done < part.n; {
			n := min(batchSize, part.n-done)
			tickets := make([]*desk.Ticket, n)
			events := make([][]desk.Event, n)
			for i := range tickets {
				tickets[i] = queueTicket(r, part.g, req.ID, agent.ID, now)
				events[i] = []desk.Event{{At: tickets[i].CreatedAt, Actor: &desk.Ref{ID: req.ID}, Kind: desk.EventCreated, Public: true}}
			}
			if err := s.ImportTickets(ctx, tickets, events); err != nil {
				return nil, err
			}
			done += n
		}
	}
	return q, s.Dialect().Analyze(ctx, s.DB())
}

func queueTicket(r *rand.Rand, g *desk.Group, requester, agent int64, now time.Time) *desk.Ticket {
	created := now.Add(-time.Duration(r.Int64N(int64(60 * 24 * time.Hour))))
	t := &desk.Ticket{
		Type: desk.TypeIncident, Title: "Queued " + pick(r, words), Description: "synthetic",
		State: weighted(r, desk.OpenStates, 20, 25, 40, 15), Impact: pick(r, desk.Levels), Urgency: pick(r, desk.Levels),
		Group: desk.GroupRef{ID: g.ID}, Requester: desk.Person{ID: requester}, Channel: desk.ChannelPortal,
		ReportedAt: created, CreatedAt: created, UpdatedAt: created,
	}
	t.Priority = desk.DefaultMatrix.Priority(t.Impact, t.Urgency)
	if r.IntN(3) > 0 {
		t.Assignee = &desk.Ref{ID: agent}
	}
	if r.IntN(10) > 0 {
		due := now.Add(time.Duration(r.Int64N(int64(7*24*time.Hour))) - 32*time.Hour) // about a fifth in the past
		t.SLA.DueAt = &due
	}
	return t
}
