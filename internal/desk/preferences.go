package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Languages notifications are written in.
var Languages = []string{"en", "ru"}

// Preferences are how a user wants to be notified and addressed. Empty
// Language and TimeZone mean the desk's defaults (Config.Language,
// Config.TimeZone).
type Preferences struct {
	UserID    int64
	Language  string
	TimeZone  string // IANA name, e.g. Europe/Moscow
	Gender    Gender // how languages that agree verbs with a person word them; "" unknown
	Muted     []OutboxKind
	UpdatedAt time.Time
}

// Receives reports whether the user gets notifications of kind: every kind
// is on unless muted, and the mandatory ones are always on.
func (p *Preferences) Receives(kind OutboxKind) bool {
	return MandatoryKind(kind) || !slices.Contains(p.Muted, kind)
}

// Gender is the grammatical gender a person is referred to in: Russian
// agrees a past-tense verb with it («подтвердил» / «подтвердила»). It is
// optional; unknown, readers use a construction without a gendered verb.
type Gender string

// Genders a person may choose ("" is unknown).
const (
	GenderMasculine Gender = "masculine"
	GenderFeminine  Gender = "feminine"
)

// Genders lists the genders a person may choose.
var Genders = []Gender{GenderMasculine, GenderFeminine}

// PreferenceStore keeps per-user preferences.
type PreferenceStore interface {
	// GetPreferences returns the user's preferences; a user who never set
	// any gets empty ones (not ENOTFOUND), with UserID set.
	GetPreferences(ctx context.Context, userID int64) (*Preferences, error)
	// PutPreferences stores p for p.UserID, replacing what was there.
	PutPreferences(ctx context.Context, p *Preferences) error
	// Recipients returns the users of ids that exist, keyed by id, each
	// with their groups and preferences (empty ones where none are
	// stored), in a fixed number of queries however many ids: who hears of
	// a change was read one user and one preferences row at a time.
	Recipients(ctx context.Context, ids []int64) (map[int64]Recipient, error)
}

// Recipient is a user a notification may go to, with their preferences.
type Recipient struct {
	User        *User
	Preferences *Preferences
}

// PreferencesPatch changes some preferences; nil leaves a field alone, ""
// returns Language or TimeZone to the desk's default. Notifications turns
// kinds on (true) or off (false).
type PreferencesPatch struct {
	Language      *string
	TimeZone      *string
	Gender        *Gender
	Notifications map[OutboxKind]bool
}

// EffectivePreferences are a user's preferences with the desk's defaults
// filled in, as the API shows them.
type EffectivePreferences struct {
	UserID        int64
	Language      string
	TimeZone      string
	Notifications map[OutboxKind]bool // every kind: received or not
	Gender        Gender
	// ChosenLanguage and ChosenZone are what the user stored, "" when they
	// left it to the desk: a user who chose the default language keeps it
	// on a browser asking for another, one who did not gets the browser's.
	ChosenLanguage, ChosenZone string
}

// UserPreferences returns the user's preferences (self or admin).
func (s *Desk) UserPreferences(ctx context.Context, userID int64) (*EffectivePreferences, error) {
	if err := s.selfOrAdmin(ctx, userID); err != nil {
		return nil, err
	}
	p, err := s.store.GetPreferences(ctx, userID)
	if err != nil {
		return nil, err
	}
	return s.effective(p), nil
}

// SetUserPreferences applies a patch to the user's preferences (self or
// admin). The mandatory kinds cannot be turned off.
func (s *Desk) SetUserPreferences(ctx context.Context, userID int64, patch PreferencesPatch) (*EffectivePreferences, error) {
	if err := s.selfOrAdmin(ctx, userID); err != nil {
		return nil, err
	}
	p, err := s.store.GetPreferences(ctx, userID)
	if err != nil {
		return nil, err
	}
	var v validation
	if patch.Language != nil {
		if l := strings.TrimSpace(*patch.Language); l != "" {
			v.enum("language", l, Languages, true)
		}
		p.Language = strings.TrimSpace(*patch.Language)
	}
	if patch.Gender != nil {
		v.enum("grammatical_gender", string(*patch.Gender), names(Genders), false)
		p.Gender = *patch.Gender
	}
	if patch.TimeZone != nil {
		tz := strings.TrimSpace(*patch.TimeZone)
		if _, err := preferenceZone(tz); err != nil {
			v.add("time_zone", RuleInvalidZone, nil, "is not a known IANA time zone (for example Europe/Moscow)")
		}
		p.TimeZone = tz
	}
	kinds := make([]string, 0, len(patch.Notifications))
	for k := range patch.Notifications {
		kinds = append(kinds, string(k))
	}
	slices.Sort(kinds) // errors in a stable order
	for _, name := range kinds {
		k := OutboxKind(name)
		on := patch.Notifications[k]
		switch {
		case !slices.Contains(NotificationKinds, k):
			v.add("notifications."+name, RuleOneOf, Params{"allowed": names(NotificationKinds)}, "is not a notification kind (one of %s)", strings.Join(names(NotificationKinds), ", "))
		case MandatoryKind(k) && !on:
			v.add("notifications."+name, RuleMandatory, nil, "cannot be turned off: SLA breaches and pages (SLA and on-call) are staff-critical and always sent")
		case on:
			p.Muted = slices.DeleteFunc(p.Muted, func(m OutboxKind) bool { return m == k })
		case !slices.Contains(p.Muted, k):
			p.Muted = append(p.Muted, k)
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	slices.Sort(p.Muted)
	p.UserID, p.UpdatedAt = userID, s.clock.Now()
	if err := s.store.PutPreferences(ctx, p); err != nil {
		return nil, fmt.Errorf("preferences of user %d: %w", userID, err)
	}
	return s.effective(p), nil
}

// selfOrAdmin lets users manage their own preferences and admins anyone's;
// a user that does not exist is ENOTFOUND.
func (s *Desk) selfOrAdmin(ctx context.Context, userID int64) error {
	u, err := actor(ctx)
	if err != nil {
		return err
	}
	if u.ID != userID && u.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "users manage their own preferences only")
	}
	_, err = s.store.GetUser(ctx, userID)
	return err
}

func (s *Desk) effective(p *Preferences) *EffectivePreferences {
	e := &EffectivePreferences{UserID: p.UserID, Language: p.Language, TimeZone: p.TimeZone,
		Notifications: map[OutboxKind]bool{}, ChosenLanguage: p.Language, ChosenZone: p.TimeZone, Gender: p.Gender}
	if e.Language == "" {
		e.Language = s.cfg.Language
	}
	if e.TimeZone == "" {
		e.TimeZone = s.cfg.TimeZone
	}
	for _, k := range NotificationKinds {
		e.Notifications[k] = p.Receives(k)
	}
	return e
}

// preferenceZone loads an IANA zone; "" is the desk's default and always valid.
func preferenceZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if strings.EqualFold(name, "local") {
		return nil, fmt.Errorf("time zone %q is not portable", name)
	}
	return time.LoadLocation(name)
}
