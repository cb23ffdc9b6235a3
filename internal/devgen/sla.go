package devgen

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// wallTargets are the fresh installation's SLA targets (response,
// resolution) in wall time: generated tickets ignore business hours, which
// is good enough for a synthetic desk's queues and dashboard.
var wallTargets = map[desk.Priority][2]time.Duration{
	desk.P1: {15 * time.Minute, 4 * time.Hour}, desk.P2: {time.Hour, 8 * time.Hour},
	desk.P3: {3 * time.Hour, 24 * time.Hour}, desk.P4: {3 * time.Hour, 72 * time.Hour},
}

var requestTargets = [2]time.Duration{3 * time.Hour, 45 * time.Hour}

// slaStatus fills t.SLA from its times, as the desk would have left it
// (without drawing from the random source, so the rest of the desk stays
// what the seed made it).
func slaStatus(t *desk.Ticket) {
	target := wallTargets[t.Priority]
	if t.Type == desk.TypeRequest {
		target = requestTargets
	}
	respDue, resDue := t.CreatedAt.Add(target[0]), t.CreatedAt.Add(target[1])
	if t.FirstResponseAt != nil {
		t.SLA.ResponseMet = ptr(!t.FirstResponseAt.After(respDue))
	}
	if t.ResolvedAt != nil && t.State != desk.StateCanceled {
		t.SLA.ResolutionMet = ptr(!t.ResolvedAt.After(resDue))
	}
	if !t.State.IsOpen() {
		return
	}
	switch {
	case t.FirstResponseAt == nil:
		t.SLA.DueAt = &respDue
	case t.State != desk.StateOnHold:
		t.SLA.DueAt = &resDue
	}
}

func ptr[T any](v T) *T { return &v }
