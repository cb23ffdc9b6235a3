package desk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// ContactKind is how a paged user is reached.
type ContactKind string

// Contact kinds: e-mail through the outbox, a generic JSON webhook signed
// with HMAC-SHA256, and a Slack/Mattermost-compatible incoming webhook.
const (
	ContactEmail   ContactKind = "email"
	ContactWebhook ContactKind = "webhook"
	ContactSlack   ContactKind = "slack"
)

// ContactKinds lists every kind.
var ContactKinds = []ContactKind{ContactEmail, ContactWebhook, ContactSlack}

// MaxContactDelay is the longest delay of a contact method.
const MaxContactDelay = time.Hour

// ContactMethod is one way to reach a user when paged, Delay after they
// are paged. A user without any is paged by e-mail at once.
type ContactMethod struct {
	ID     int64
	UserID int64
	Kind   ContactKind
	Target string // e-mail address or URL
	// Secret signs webhook bodies (generated when left empty); unused by
	// the other kinds.
	Secret    string
	Delay     time.Duration
	CreatedAt time.Time
}

// PageDelivery is one message of a page to one contact method.
type PageDelivery struct {
	ID        int64
	PageID    int64
	TicketID  int64
	UserID    int64
	MethodID  int64 // 0: the implicit e-mail of a user without methods
	Kind      ContactKind
	Target    string
	Payload   map[string]string
	CreatedAt time.Time
	DueAt     time.Time
	Attempts  int
	// ClaimedUntil is the claim's lease; marking is conditional on it.
	ClaimedUntil *time.Time
	SentAt       *time.Time
	FailedAt     *time.Time
	CanceledAt   *time.Time
	LastError    string
}

// State names where the delivery is: queued, sent, failed or canceled.
func (d *PageDelivery) State() string {
	switch {
	case d.SentAt != nil:
		return "sent"
	case d.FailedAt != nil:
		return "failed"
	case d.CanceledAt != nil:
		return "canceled"
	}
	return "queued"
}

// canManageContacts lets users manage their own methods, admins anyone's.
func canManageContacts(ctx context.Context, userID int64) error {
	u, err := requireStaff(ctx)
	if err != nil {
		return err
	}
	if u.ID != userID && u.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "only administrators may manage another user's contact methods")
	}
	return nil
}

// ContactMethods lists a user's contact methods (the user or an admin).
func (s *Desk) ContactMethods(ctx context.Context, userID int64) ([]*ContactMethod, error) {
	if err := canManageContacts(ctx, userID); err != nil {
		return nil, err
	}
	if _, err := s.store.GetUser(ctx, userID); err != nil {
		return nil, err
	}
	return s.store.ContactMethods(ctx, userID)
}

// AddContactMethod adds a contact method to m.UserID (the user or an
// admin): an e-mail address, or an http(s) URL for webhook and slack.
func (s *Desk) AddContactMethod(ctx context.Context, m *ContactMethod) error {
	if err := canManageContacts(ctx, m.UserID); err != nil {
		return err
	}
	if _, err := s.store.GetUser(ctx, m.UserID); err != nil {
		return err
	}
	var v validation
	v.enum("kind", string(m.Kind), names(ContactKinds), true)
	switch m.Kind {
	case ContactEmail:
		m.Target = v.email("target", m.Target, true)
	case ContactWebhook, ContactSlack:
		m.Target = strings.TrimSpace(m.Target)
		if u, err := url.Parse(m.Target); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(m.Target) > 2000 {
			v.add("target", RuleInvalidFmt, Params{"format": "url"}, "must be an http or https URL")
		}
	}
	if m.Delay < 0 || m.Delay > MaxContactDelay {
		v.add("delay_minutes", RuleOutOfRange, Params{"min": 0, "max": int(MaxContactDelay / time.Minute), "unit": "minutes"}, "must be from 0 to %d minutes", int(MaxContactDelay/time.Minute))
	}
	v.text("secret", m.Secret, 200, false)
	if err := v.err(); err != nil {
		return err
	}
	if m.Kind == ContactWebhook && m.Secret == "" {
		m.Secret = randomHex(32)
	}
	if m.Kind != ContactWebhook {
		m.Secret = ""
	}
	return s.store.CreateContactMethod(ctx, m)
}

// DeleteContactMethod removes one of a user's methods (the user or an
// admin).
func (s *Desk) DeleteContactMethod(ctx context.Context, userID, id int64) error {
	if err := canManageContacts(ctx, userID); err != nil {
		return err
	}
	return s.store.DeleteContactMethod(ctx, userID, id)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// pageUsers queues the deliveries of a step to users: one per contact
// method, due after its delay, each with the user's signed links.
func (s *Desk) pageUsers(ctx context.Context, t *Ticket, p *Page, users []*User, now time.Time, o *PageOutcome) error {
	key, err := s.pagingKey(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		methods, err := s.store.ContactMethods(ctx, u.ID)
		if err != nil {
			return err
		}
		if len(methods) == 0 {
			methods = []*ContactMethod{{UserID: u.ID, Kind: ContactEmail, Target: u.Email}}
		}
		payload := s.pagePayload(t, p, u, key, now)
		for _, m := range methods {
			o.Deliveries = append(o.Deliveries, PageDelivery{PageID: p.ID, TicketID: t.ID, UserID: u.ID, MethodID: m.ID,
				Kind: m.Kind, Target: m.Target, Payload: payload, CreatedAt: now, DueAt: now.Add(m.Delay)})
		}
	}
	return nil
}

// pagePayload is what every channel says about a page.
func (s *Desk) pagePayload(t *Ticket, p *Page, u *User, key []byte, now time.Time) map[string]string {
	link := func(action string) string {
		tok := signPageLink(key, pageLink{PageID: p.ID, UserID: u.ID, Expires: now.Add(s.cfg.pageLinkTTL()).Unix()})
		return strings.TrimRight(s.cfg.PublicURL, "/") + "/api/v1/page-links/" + tok + "?action=" + action
	}
	ack := link("acknowledge")
	group := t.Group.Name
	if p.ForStakeholder() {
		group = "" // a stakeholder is paged to know, not as the group's on-call
	}
	return withReason(map[string]string{
		"body":   ack, // the e-mail's link (internal/notify/page.go)
		"ticket": t.Number, "title": t.Title, "priority": string(t.Priority), "group": group,
		"page": strconv.FormatInt(p.ID, 10), "step": strconv.Itoa(p.Step), "round": strconv.Itoa(p.Round + 1),
		"user": u.Name, "started_at": p.StartedAt.UTC().Format(time.RFC3339),
		"ack_url": ack, "resolve_url": link("resolve"),
		"ticket_url": fmt.Sprintf("%s/tickets/%s", strings.TrimRight(s.cfg.PublicURL, "/"), t.Number),
	}, p.Reason, p.ReasonCode, p.ReasonParams)
}
