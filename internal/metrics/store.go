package metrics

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Store returns s counting, after each successful write, what the write
// recorded: every change to a ticket is an event, so the events say what
// happened (created, state changes, escalations, SLA thresholds, first
// responses, resolutions) whichever path wrote them.
func (m *Metrics) Store(s desk.Store) desk.Store { return &observedStore{Store: s, m: m} }

type observedStore struct {
	desk.Store
	m *Metrics
}

func (s *observedStore) CreateTicket(ctx context.Context, t *desk.Ticket, events []desk.Event, key *desk.IdempotencyKey,
	timers ...desk.Timer) (*desk.Ticket, error) {
	replayed, err := s.Store.CreateTicket(ctx, t, events, key, timers...)
	if err == nil && replayed == nil {
		s.m.ticketsCreated.WithLabelValues(string(t.Channel), string(t.Priority)).Inc()
		s.m.observeEvents(t, events)
	}
	return replayed, err
}

func (s *observedStore) UpdateTicket(ctx context.Context, t *desk.Ticket, events []desk.Event, timers ...desk.Timer) error {
	err := s.Store.UpdateTicket(ctx, t, events, timers...)
	if err == nil {
		s.m.observeEvents(t, events)
	}
	return err
}

func (s *observedStore) HandleTimer(ctx context.Context, o desk.TimerOutcome) error {
	err := s.Store.HandleTimer(ctx, o)
	if err == nil && o.Ticket != nil {
		s.m.observeEvents(o.Ticket, o.Events)
	}
	return err
}

func (s *observedStore) OutboxSent(ctx context.Context, d desk.Delivery, messageID string, at time.Time) error {
	err := s.Store.OutboxSent(ctx, d, messageID, at)
	if err == nil {
		s.m.outboxSent.WithLabelValues(string(d.Kind)).Inc()
	}
	return err
}

func (s *observedStore) OutboxRetry(ctx context.Context, d desk.Delivery, lastErr string, next *time.Time, at time.Time) error {
	err := s.Store.OutboxRetry(ctx, d, lastErr, next, at)
	if err == nil {
		final := "false"
		if next == nil {
			final = "true"
		}
		s.m.outboxFailed.WithLabelValues(string(d.Kind), final).Inc()
	}
	return err
}

// observeEvents counts what events stored on t record.
func (m *Metrics) observeEvents(t *desk.Ticket, events []desk.Event) {
	prio := string(t.Priority)
	for _, e := range events {
		switch e.Kind {
		case desk.EventEscalated:
			m.escalations.WithLabelValues("functional").Inc()
		case desk.EventManagerFlagged:
			m.escalations.WithLabelValues("hierarchical").Inc()
		case desk.EventSLAWarning:
			m.slaWarnings.WithLabelValues(changed(e, "clock"), prio).Inc()
		case desk.EventSLABreached:
			m.slaBreaches.WithLabelValues(changed(e, "clock"), prio).Inc()
		}
		for _, c := range e.Changes {
			switch c.Field {
			case "state":
				if c.Old != "" { // not the state a ticket is created in
					m.stateChanges.WithLabelValues(c.Old, c.New).Inc()
				}
				if c.New == string(desk.StateResolved) && t.ResolvedAt != nil {
					m.resolution.WithLabelValues(prio).Observe(t.ResolvedAt.Sub(t.CreatedAt).Seconds())
				}
			case "first_response_at":
				if t.FirstResponseAt != nil {
					m.firstResponse.WithLabelValues(prio).Observe(t.FirstResponseAt.Sub(t.CreatedAt).Seconds())
				}
			}
		}
	}
}

func changed(e desk.Event, field string) string {
	for _, c := range e.Changes {
		if c.Field == field {
			return c.New
		}
	}
	return ""
}
