package breach

import (
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/fieldcheck"
)

// Notification records of a breach (issue 14): the notices a case owner
// prepares per regime and recipient, what the law says each must contain,
// and when one may be recorded as sent. Tierdesk does not send anything to
// a regulator: it produces the document (document.go) and records when and
// how the organisation sent it.
//
// What each notice must contain:
//
//   - GDPR Art. 33(3), to the supervisory authority: (a) the nature of the
//     breach with the categories and approximate numbers of data subjects
//     and of personal-data records concerned, (b) the name and contact
//     details of the DPO or other contact point, (c) the likely
//     consequences, (d) the measures taken or proposed, including to
//     mitigate its possible adverse effects. Art. 33(4): information may
//     follow in phases (a supplement, linked to the first notice). Art.
//     33(1): a notice after 72 hours gives the reasons for the delay.
//   - GDPR Art. 34(2), to the data subjects: in clear and plain language the
//     nature of the breach and (b), (c), (d) above; or the decision not to
//     notify them, with its ground under Art. 34(3) and the reason.
//   - 152-FZ Art. 21 part 3.1 (1), to Roskomnadzor within 24 hours: the
//     incident, its presumed causes that led to the violation of the data
//     subjects' rights, the presumed harm to their rights, the measures
//     taken to remove its consequences, and the person the operator
//     authorises to interact with Roskomnadzor about it.
//   - 152-FZ Art. 21 part 3.1 (2), within 72 hours: the results of the
//     internal investigation and, where known, the persons whose actions
//     caused the incident (linked to the first notice).
//   - To partners (processors, controllers we work with): the nature, the
//     likely consequences, the measures and a contact point.
//
// A sent notice is final: editing it is refused (ErrSent), and a corrected
// one is a new version of it. A notice is never dated before the
// organisation became aware of the breach, nor in the future.

// NoticeKind is a notice by regime and recipient.
type NoticeKind string

const (
	NoticeGDPRAuthority NoticeKind = "gdpr_authority" // GDPR Art. 33, the supervisory authority
	NoticeGDPRSubjects  NoticeKind = "gdpr_subjects"  // GDPR Art. 34, the data subjects
	Notice152First      NoticeKind = "152fz_first"    // 152-FZ Art. 21 part 3.1 (1), Roskomnadzor, 24 h
	Notice152Results    NoticeKind = "152fz_results"  // 152-FZ Art. 21 part 3.1 (2), Roskomnadzor, 72 h
	NoticePartners      NoticeKind = "partners"       // partners, under any regime
)

// NoticeKinds lists every kind.
var NoticeKinds = []NoticeKind{NoticeGDPRAuthority, NoticeGDPRSubjects, Notice152First, Notice152Results, NoticePartners}

// Recipient is who a notice goes to.
type Recipient string

const (
	RecipientAuthority    Recipient = "supervisory_authority"
	RecipientRoskomnadzor Recipient = "roskomnadzor"
	RecipientSubjects     Recipient = "data_subjects"
	RecipientPartners     Recipient = "partners"
)

// Recipient of a notice of kind k.
func (k NoticeKind) Recipient() Recipient {
	switch k {
	case NoticeGDPRAuthority:
		return RecipientAuthority
	case NoticeGDPRSubjects:
		return RecipientSubjects
	case Notice152First, Notice152Results:
		return RecipientRoskomnadzor
	}
	return RecipientPartners
}

// Regime whose law asks for notices of kind k ("" for partners: any).
func (k NoticeKind) Regime() Regime {
	switch k {
	case NoticeGDPRAuthority, NoticeGDPRSubjects:
		return GDPR
	case Notice152First, Notice152Results:
		return FZ152
	}
	return ""
}

// Applies reports whether a notice of kind k belongs to a case under
// regime r: partners may be told under any regime.
func (k NoticeKind) Applies(r Regime) bool {
	switch k.Regime() {
	case "":
		return true
	case GDPR:
		return r == GDPR || r == Both
	}
	return r == FZ152 || r == Both
}

// Clock is the deadline a first notice of kind k stops (false: none; the
// data subjects are told "without undue delay", partners when agreed).
func (k NoticeKind) Clock() (Kind, bool) {
	switch k {
	case NoticeGDPRAuthority:
		return GDPRAuthority, true
	case Notice152First:
		return FZ152First, true
	case Notice152Results:
		return FZ152Follow, true
	}
	return "", false
}

// NoticeState is where a notice stands.
type NoticeState string

const (
	NoticeDraft   NoticeState = "draft"
	NoticeSent    NoticeState = "sent"
	NoticeDecided NoticeState = "not_notified" // GDPR Art. 34(3): the decision not to notify the data subjects
)

// Ways a notice was sent.
var SentVia = []string{"portal", "email", "post", "fax", "phone", "in_person", "other"}

// Grounds of Art. 34(3) not to notify the data subjects.
var NotNotifyGrounds = []string{
	"protected",        // (a) the data were unintelligible to anyone not authorised (encryption)
	"risk_removed",     // (b) later measures ensure the high risk is no longer likely
	"public_statement", // (c) it would need disproportionate effort: a public communication instead
}

// Languages a notice's document is written in.
var Languages = []string{"en", "ru"}

// Content is what a notice says; which fields a kind needs is Required.
type Content struct {
	Nature            string `json:"nature"`             // GDPR (a) the nature; 152-FZ the incident
	SubjectCategories string `json:"subject_categories"` // GDPR (a)
	SubjectsApprox    int64  `json:"subjects_approx"`    // GDPR (a), approximate
	RecordCategories  string `json:"record_categories"`  // GDPR (a)
	RecordsApprox     int64  `json:"records_approx"`     // GDPR (a), approximate
	ContactName       string `json:"contact_name"`       // GDPR (b) the DPO or contact point; 152-FZ the authorised person
	ContactDetails    string `json:"contact_details"`
	Consequences      string `json:"consequences"` // GDPR (c); 152-FZ the presumed harm to the subjects' rights
	Measures          string `json:"measures"`     // GDPR (d); 152-FZ the measures to remove the consequences
	Causes            string `json:"causes"`       // 152-FZ the presumed causes
	Results           string `json:"results"`      // 152-FZ 72 h: the internal investigation's results
	Culprits          string `json:"culprits"`     // 152-FZ 72 h: the persons whose actions caused it, where known
}

// Notice is one version of a notification record.
type Notice struct {
	ID       int64
	TicketID int64
	Kind     NoticeKind
	Lang     string // the document's language, en or ru
	// Series is the ID of the notice's first version; Version counts from 1.
	Series  int64
	Version int
	// Supplements is the ID of the first notice this one follows in phases
	// (GDPR Art. 33(4)) or with the investigation's results (152-FZ); 0: none.
	Supplements int64
	Content
	State NoticeState
	// SentAt is when it was sent (or the decision not to notify taken); Via
	// how, Reference the regulator's receipt or the letter's number.
	SentAt       *time.Time
	Via          string
	Reference    string
	DelayReasons string
	// NotNotifyGround and NotNotifyReason record an Art. 34(3) decision.
	NotNotifyGround string
	NotNotifyReason string
	CreatedBy       int64
	CreatedByName   string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	SentBy          int64
	SentByName      string
	// Rev counts changes of a draft, for optimistic concurrency.
	Rev int
}

// Final reports whether n can no longer change.
func (n *Notice) Final() bool { return n.State != NoticeDraft }

// Limits of a notice's fields.
const (
	MaxNoticeText  = 8000
	MaxNoticeShort = 500
	MaxApprox      = 1_000_000_000_000
)

// FieldError is a refused field of a notice, with a rule named as the
// desk names its rules (required, too_long, one_of, not_after, in_future,
// out_of_range, not_allowed).
type FieldError = fieldcheck.Error

func kindNames() []string {
	out := make([]string, len(NoticeKinds))
	for i, k := range NoticeKinds {
		out[i] = string(k)
	}
	return out
}

// CheckDraft checks what a draft may hold: a known kind and language,
// texts within their limits, numbers not negative, a supplement only of
// the kinds that have phases.
func CheckDraft(n *Notice) []FieldError {
	var c fieldcheck.Checks
	c.OneOf("kind", string(n.Kind), kindNames(), true)
	c.OneOf("lang", n.Lang, Languages, true)
	for _, f := range n.textFields() {
		c.Text(f.name, *f.v, f.max, false)
	}
	for _, f := range []struct {
		name string
		v    int64
	}{{"subjects_approx", n.SubjectsApprox}, {"records_approx", n.RecordsApprox}} {
		if f.v < 0 || f.v > MaxApprox {
			c.Add(f.name, "out_of_range", map[string]any{"min": 0, "max": int64(MaxApprox)}, "is out of range")
		}
	}
	if n.Supplements != 0 && n.Kind != NoticeGDPRAuthority && n.Kind != Notice152Results {
		c.Add("supplements", "not_allowed", nil, "only a GDPR notice to the authority has phases")
	}
	return c
}

type textField struct {
	name string
	v    *string
	max  int
}

func (n *Notice) textFields() []textField {
	return []textField{
		{"nature", &n.Nature, MaxNoticeText}, {"subject_categories", &n.SubjectCategories, MaxNoticeShort},
		{"record_categories", &n.RecordCategories, MaxNoticeShort}, {"contact_name", &n.ContactName, MaxNoticeShort},
		{"contact_details", &n.ContactDetails, MaxNoticeShort}, {"consequences", &n.Consequences, MaxNoticeText},
		{"measures", &n.Measures, MaxNoticeText}, {"causes", &n.Causes, MaxNoticeText},
		{"results", &n.Results, MaxNoticeText}, {"culprits", &n.Culprits, MaxNoticeText},
		{"reference", &n.Reference, MaxNoticeShort}, {"delay_reasons", &n.DelayReasons, MaxNoticeText},
		{"not_notify_reason", &n.NotNotifyReason, MaxNoticeText},
	}
}

// Trim trims the spaces around n's texts.
func (n *Notice) Trim() {
	for _, f := range n.textFields() {
		*f.v = strings.TrimSpace(*f.v)
	}
}

// Required lists the fields a notice of kind k must fill before it is
// sent; a supplement (phases) needs only one field of its own, checked by
// CheckComplete.
func Required(k NoticeKind) []string {
	switch k {
	case NoticeGDPRAuthority:
		return []string{"nature", "subject_categories", "subjects_approx", "record_categories", "records_approx",
			"contact_name", "contact_details", "consequences", "measures"}
	case NoticeGDPRSubjects:
		return []string{"nature", "contact_name", "contact_details", "consequences", "measures"}
	case Notice152First:
		return []string{"nature", "causes", "consequences", "measures", "contact_name", "contact_details"}
	case Notice152Results:
		return []string{"results"}
	}
	return []string{"nature", "consequences", "measures", "contact_name", "contact_details"}
}

// filled reports whether field name of n holds something.
func (n *Notice) filled(name string) bool {
	switch name {
	case "subjects_approx":
		return n.SubjectsApprox > 0
	case "records_approx":
		return n.RecordsApprox > 0
	}
	for _, f := range n.textFields() {
		if f.name == name {
			return strings.TrimSpace(*f.v) != ""
		}
	}
	return false
}

// CheckComplete checks that n holds what the law asks of its kind before
// it is sent: a GDPR supplement says something new, any other notice
// fills Required.
func CheckComplete(n *Notice) []FieldError {
	var c fieldcheck.Checks
	if n.Kind == NoticeGDPRAuthority && n.Supplements != 0 {
		if !slices.ContainsFunc(Required(n.Kind), n.filled) {
			c.Add("nature", "required", nil, "a supplement gives at least one piece of the information")
		}
		return c
	}
	if n.Kind == Notice152Results && n.Supplements == 0 {
		c.Add("supplements", "required", nil, "the investigation's results follow the first notice to Roskomnadzor")
	}
	for _, f := range Required(n.Kind) {
		if !n.filled(f) {
			c.Add(f, "required", nil, "is required")
		}
	}
	return c
}

// Sending is how a notice was sent, or the decision not to notify.
type Sending struct {
	At           time.Time
	Via          string
	Reference    string
	DelayReasons string
	// NotNotifyGround, with NotNotifyReason, records the decision not to
	// notify the data subjects instead of a sending (gdpr_subjects only).
	NotNotifyGround string
	NotNotifyReason string
}

// CheckSending checks s for a notice n of a case the organisation became
// aware of at aware (nil: not recorded), at now; due is the deadline the
// notice stops (nil: none, or a supplement). A notice dated before
// awareness or in the future is refused, a late one needs its reasons.
func CheckSending(n *Notice, s Sending, aware, due *time.Time, now time.Time) []FieldError {
	var c fieldcheck.Checks
	switch {
	case aware == nil:
		c.Add("sent_at", "not_allowed", nil, "record when the organisation became aware before a notice")
	case s.At.IsZero():
		c.Add("sent_at", "required", nil, "is required")
	case s.At.After(now):
		c.Add("sent_at", "in_future", nil, "must not be in the future")
	case s.At.Before(*aware):
		c.Add("sent_at", "not_after", map[string]any{"after": "aware_at"},
			"must not be before the organisation became aware of the breach ("+aware.UTC().Format(time.RFC3339)+")")
	}
	if s.NotNotifyGround != "" || s.NotNotifyReason != "" {
		if n.Kind != NoticeGDPRSubjects {
			c.Add("not_notify_ground", "not_allowed", nil, "only the data subjects may go unnotified (GDPR Art. 34(3))")
			return c
		}
		c.OneOf("not_notify_ground", s.NotNotifyGround, NotNotifyGrounds, true)
		if strings.TrimSpace(s.NotNotifyReason) == "" {
			c.Add("not_notify_reason", "required", nil, "is required")
		}
		c.Text("not_notify_reason", s.NotNotifyReason, MaxNoticeText, false)
		return c
	}
	c.OneOf("via", s.Via, SentVia, true)
	c.Text("reference", s.Reference, MaxNoticeShort, false)
	c.Text("delay_reasons", s.DelayReasons, MaxNoticeText, false)
	if due != nil && len(c) == 0 && s.At.After(*due) && strings.TrimSpace(s.DelayReasons) == "" {
		c.Add("delay_reasons", "required", map[string]any{"deadline": due.UTC().Format(time.RFC3339)},
			"the notice is late (due "+due.UTC().Format(time.RFC3339)+"): give the reasons for the delay")
	}
	return c
}

// CheckSupplement checks that first may be followed by a notice of kind k:
// a sent first version of its series, of the kind it follows, itself not a
// supplement.
func CheckSupplement(k NoticeKind, first *Notice) []FieldError {
	var c fieldcheck.Checks
	want := NoticeGDPRAuthority
	if k == Notice152Results {
		want = Notice152First
	}
	switch {
	case first.Kind != want:
		c.Add("supplements", "not_allowed", map[string]any{"allowed": []string{string(want)}},
			"must be a notice of kind "+string(want))
	case first.Supplements != 0:
		c.Add("supplements", "not_allowed", nil, "must be a first notice, not a supplement")
	case first.State != NoticeSent:
		c.Add("supplements", "not_allowed", nil, "the first notice is not sent yet")
	}
	return c
}

// FirstSent returns, per deadline, when its first notice was sent: the
// earliest sending of a first notice (not a supplement) of the kind that
// stops it.
func FirstSent(notices []*Notice) map[Kind]time.Time {
	out := map[Kind]time.Time{}
	for _, n := range notices {
		k, ok := n.Kind.Clock()
		if !ok || n.State != NoticeSent || n.SentAt == nil || n.Kind == NoticeGDPRAuthority && n.Supplements != 0 {
			continue
		}
		if at, seen := out[k]; !seen || n.SentAt.Before(at) {
			out[k] = *n.SentAt
		}
	}
	return out
}
