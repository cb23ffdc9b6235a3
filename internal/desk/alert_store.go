package desk

import (
	"context"
	"time"
)

// AlertStore keeps alert groups and the integrations' counters.
type AlertStore interface {
	// RecordAlerts applies one notification in one transaction: the
	// integration's rate window and counters, then FoldAlert on each
	// notice's group (read with its incident's number, state and
	// resolution time), storing every step: the group, and the step's
	// RepeatEvent on the incident (inserted, or rewriting the group's
	// repeat event in place). Over the rate limit it stores only the
	// overflow count and returns ELIMIT. Notifications arriving
	// together may share one commit; each call returns only once its own
	// work is durable.
	RecordAlerts(ctx context.Context, b AlertBatch) ([]AlertStep, error)
	// LinkAlertIncident sets the incident of a group's generation, unless
	// the group has moved on to a later generation or has one already; the
	// link that sets it counts the incident on the integration.
	LinkAlertIncident(ctx context.Context, groupID int64, generation int, ticketID int64) error
	// AlertGroups returns the groups whose current incident is ticketID.
	AlertGroups(ctx context.Context, ticketID int64) ([]*AlertGroup, error)
}

// AlertBatch is one notification for RecordAlerts.
type AlertBatch struct {
	IntegrationID int64
	Notices       []AlertNotice
	At            time.Time
	RateLimit     int
	FlapWindow    time.Duration
}
