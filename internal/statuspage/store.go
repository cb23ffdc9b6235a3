package statuspage

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Queue is what one notice queues, in the transaction of the change that
// causes it: e-mails in the outbox and webhook deliveries. Key makes it
// once: a key already queued stores nothing more.
type Queue struct {
	Key    string
	Outbox []desk.OutboxMessage
	Hooks  []HookDelivery
}

// HookDelivery is one signed POST of a notice to a webhook.
type HookDelivery struct {
	ID           int64
	WebhookID    int64
	URL          string
	Secret       string
	Key          string
	Body         []byte
	Attempts     int
	ClaimedUntil *time.Time
}

// Store keeps the status page. Every write bumps the page's version in its
// transaction (Version), which instances poll to refresh their snapshot.
type Store interface {
	StatusVersion(ctx context.Context) (int64, error)

	// SaveComponent inserts (ID 0) or updates c, recording a Change when
	// its status differs from the stored one.
	SaveComponent(ctx context.Context, c *Component) error
	// DeleteComponent removes a component from the page; incidents that
	// name it keep their history.
	DeleteComponent(ctx context.Context, id int64, at time.Time) error
	Components(ctx context.Context, withDeleted bool) ([]Component, error)
	Changes(ctx context.Context, since time.Time) (map[int64][]Change, error)

	// SaveIncident inserts (ID 0) or updates the incident, adds u (its ID
	// assigned), sets the component statuses (recording changes) and
	// queues q, in one transaction.
	SaveIncident(ctx context.Context, in *Incident, u *IncidentUpdate, statuses map[int64]ComponentStatus, q *Queue) error
	Incidents(ctx context.Context, limit int) ([]Incident, error)
	GetIncident(ctx context.Context, id int64) (*Incident, error)
	IncidentOfMajor(ctx context.Context, majorID int64) (*Incident, error)

	SaveMaintenance(ctx context.Context, m *Maintenance, q *Queue) error
	Maintenances(ctx context.Context) ([]Maintenance, error)
	// MarkMaintenance records the start ("start") or end ("end") notice of
	// a window at at and queues q, once: a notice already given is
	// ECONFLICT and stores nothing.
	MarkMaintenance(ctx context.Context, id int64, which string, at time.Time, q *Queue) error

	SubscriberByEmail(ctx context.Context, email string) (*Subscriber, error)
	SubscriberByToken(ctx context.Context, token string) (*Subscriber, error)
	// SaveSubscriber inserts (ID 0) or updates s, queueing q with it.
	SaveSubscriber(ctx context.Context, s *Subscriber, q *Queue) error
	Subscribers(ctx context.Context) ([]Subscriber, error)
	// CountRequest adds one request of client in the hour starting at hour
	// and returns the count with it.
	CountRequest(ctx context.Context, client string, hour time.Time) (int, error)
	// ExpireRequestCounts deletes the counts of hours starting before
	// before and returns how many; several instances may run it at once.
	ExpireRequestCounts(ctx context.Context, before time.Time) (int, error)

	CreateWebhook(ctx context.Context, w *Webhook) error
	Webhooks(ctx context.Context) ([]Webhook, error)
	DeleteWebhook(ctx context.Context, id int64) error
	ClaimHooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]HookDelivery, error)
	// HookDone marks a claimed delivery sent (errText "") or failed again:
	// due at next, or given up when next is nil.
	HookDone(ctx context.Context, d HookDelivery, errText string, next *time.Time, at time.Time) error
}
