package statuspage

import (
	"crypto/rand"
	"encoding/base64"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Subscriber is an e-mail address that asked for the page's notices. It
// receives none until it confirmed (double opt-in); it leaves with one
// click (Token) or after MaxBounces bounces.
type Subscriber struct {
	ID    int64
	Email string
	// Token is the secret of its confirm and unsubscribe links.
	Token        string
	Language     string  // "en" or "ru": the notices' language
	ComponentIDs []int64 // empty: every component
	CreatedAt    time.Time
	ConfirmedAt  *time.Time
	// UnsubscribedAt ends the subscription; Reason says why ("request",
	// "bounces").
	UnsubscribedAt *time.Time
	Reason         string
	Bounces        int
}

// Active reports whether s receives notices.
func (s *Subscriber) Active() bool { return s.ConfirmedAt != nil && s.UnsubscribedAt == nil }

// Wants reports whether s receives a notice about components (none: about
// the whole page).
func (s *Subscriber) Wants(components []int64) bool {
	if !s.Active() {
		return false
	}
	if len(s.ComponentIDs) == 0 || len(components) == 0 {
		return true
	}
	for _, a := range s.ComponentIDs {
		for _, b := range components {
			if a == b {
				return true
			}
		}
	}
	return false
}

// Subscription limits.
const (
	// MaxBounces bounces unsubscribe an address.
	MaxBounces = 3
	// RequestsPerHour is how many subscription requests one client (IP
	// address) may make per hour; more are refused (ELIMIT).
	RequestsPerHour = 10
	// ResendAfter is how long a pending subscription waits before a new
	// request for the same address sends another confirmation mail.
	ResendAfter = time.Hour
)

// NewToken returns a random link token.
func NewToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CheckAddress returns the plain lower-case address of s or an EINVALID
// error on "email".
func CheckAddress(s string) (string, error) {
	s = strings.TrimSpace(s)
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.IndexByte(s, '@')+1:], ".") {
		return "", desk.InvalidFields(desk.Invalid("email", desk.RuleInvalidEmail, nil, "is not an e-mail address"))
	}
	return strings.ToLower(s), nil
}

// Webhook is an endpoint that receives the page's notices as signed JSON
// (the pager's signature: X-Tierdesk-Signature over timestamp and body).
type Webhook struct {
	ID           int64
	URL          string
	Secret       string
	ComponentIDs []int64
	CreatedAt    time.Time
	Active       bool
}

// Notice is one message the page sends its subscribers: an update of a
// status incident, or a maintenance window starting, ending or scheduled.
type Notice struct {
	Kind         string // "incident", "maintenance_start", "maintenance_end", "maintenance_scheduled"
	Name         string
	Status       string
	Body         string
	At           time.Time
	ComponentIDs []int64
	IncidentID   int64
	UpdateID     int64
	MaintID      int64
}

// Key identifies the notice so that it is queued once.
func (n Notice) Key() string {
	switch n.Kind {
	case "incident":
		return "update:" + itoa(n.UpdateID)
	default:
		return n.Kind + ":" + itoa(n.MaintID)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
