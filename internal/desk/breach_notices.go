package desk

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/fieldcheck"
)

// Notification records of a security case (issue 14; the rules are in
// internal/breach/notice.go): the case's owners prepare a notice per
// regime and recipient as a draft, record it as sent (when and how), or
// record the decision not to notify the data subjects; a sent notice is
// final, and a correction is a new version of it. Every write is an
// internal event on the case's timeline (fields breach_notice and
// breach_notice_state) stored with the notice, its audit entry and the
// replanned regulatory timers in one transaction: a first notice sent
// stops its clock.
//
// The case's members (staff who see it) read the notices; nobody else
// finds them.

// BreachNoticeStore keeps notification records.
type BreachNoticeStore interface {
	// BreachNotices returns a case's notices, every version, by id.
	BreachNotices(ctx context.Context, ticketID int64) ([]*breach.Notice, error)
	// BreachNotice returns one notice, ENOTFOUND when none.
	BreachNotice(ctx context.Context, id int64) (*breach.Notice, error)
	// SaveBreachNotice inserts n (ID 0: setting ID, and Series to it when
	// 0) or updates the draft n at revision n.Rev (ESTALE otherwise, and
	// ECONFLICT rule notice_sent when it is no longer a draft), with its
	// audit entry of kind "breach.notice_"+action, and stores w as
	// UpdateTicket does, all in one transaction. n.Rev is incremented.
	SaveBreachNotice(ctx context.Context, n *breach.Notice, action string, w TicketWrite) error
	// BreachCaseTickets returns the ids of the security cases with a
	// breach record (a row is written once awareness or regimes are
	// recorded), ascending.
	BreachCaseTickets(ctx context.Context) ([]int64, error)
}

// Fields of notices' timeline entries.
const (
	FieldBreachNotice      = "breach_notice"       // the notice's kind
	FieldBreachNoticeState = "breach_notice_state" // old → new state (breach.NoticeState)
)

// BreachNoticeInput is a notice's content for a draft; with Send it is
// recorded as sent (or the decision not to notify) at once.
type BreachNoticeInput struct {
	Kind        breach.NoticeKind
	Lang        string
	Supplements int64
	breach.Content
	Send *breach.Sending
	// Rev is the draft's revision an edit is based on (0: any).
	Rev int
}

// pendingNotice carries a notice being sent to the timers planned with it.
type pendingNotice struct{}

// noticesSent returns, per deadline, when its first notice was sent
// (with the notice being sent in ctx, if any).
func (s *Desk) noticesSent(ctx context.Context, t *Ticket) (map[breach.Kind]time.Time, error) {
	ns, err := s.store.BreachNotices(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	if n, ok := ctx.Value(pendingNotice{}).(*breach.Notice); ok && n.TicketID == t.ID {
		ns = append(ns, n)
	}
	return breach.FirstSent(ns), nil
}

// caseMember returns the staff member and the security case ref they see.
func (s *Desk) caseMember(ctx context.Context, ref string) (*User, *Ticket, error) {
	u, err := requireStaff(ctx)
	if ErrorCode(err) == EFORBIDDEN {
		return nil, nil, Errorf(ENOTFOUND, "no security case %q", ref)
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := s.loadTicket(ctx, u, ref)
	if err != nil {
		return nil, nil, err
	}
	if !t.Security {
		return nil, nil, Refusef(ECONFLICT, RuleSecurityCase, nil, "ticket %s is not a security case", t.Number)
	}
	return u, t, nil
}

// BreachNotices returns a security case's notices, every version (case
// members only).
func (s *Desk) BreachNotices(ctx context.Context, ref string) (*Ticket, []*breach.Notice, error) {
	_, t, err := s.caseMember(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	ns, err := s.store.BreachNotices(ctx, t.ID)
	return t, ns, err
}

// BreachNotice returns one notice with its case (case members only:
// anyone else finds no such notice).
func (s *Desk) BreachNotice(ctx context.Context, id int64) (*Ticket, *breach.Notice, error) {
	n, err := s.store.BreachNotice(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.caseOfRecord(ctx, n.TicketID, "notice", id)
	if err != nil {
		return nil, nil, err
	}
	return t, n, nil
}

// caseOfRecord returns the security case ticketID holding a record (what
// id) if the actor is one of its members; to anyone else the record does
// not exist.
func (s *Desk) caseOfRecord(ctx context.Context, ticketID int64, what string, id int64) (*Ticket, error) {
	_, t, err := s.caseMember(ctx, strconv.FormatInt(ticketID, 10))
	if c := ErrorCode(err); c == ENOTFOUND || c == ECONFLICT {
		return nil, Errorf(ENOTFOUND, "no %s %d", what, id)
	}
	return t, err
}

// BreachNoticeDocument renders a notice's document in its language, the
// times in zone (nil: UTC).
func (s *Desk) BreachNoticeDocument(ctx context.Context, id int64, zone *time.Location) (*breach.Notice, breach.Document, error) {
	t, n, err := s.BreachNotice(ctx, id)
	if err != nil {
		return nil, breach.Document{}, err
	}
	var first *breach.Notice
	if n.Supplements != 0 {
		if first, err = s.store.BreachNotice(ctx, n.Supplements); err != nil {
			return nil, breach.Document{}, err
		}
	}
	facts := breach.CaseFacts{Number: t.Number, Zone: zone}
	if t.Breach != nil {
		facts.AwareAt = t.Breach.AwareAt
	}
	return n, breach.Render(n, facts, first), nil
}

// CreateBreachNotice prepares a notice on the case ref (its owners), and
// with in.Send records it as sent at once.
func (s *Desk) CreateBreachNotice(ctx context.Context, ref string, in BreachNoticeInput) (*breach.Notice, error) {
	u, t, err := s.forBreachChange(ctx, ref, 0)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	n := &breach.Notice{TicketID: t.ID, Kind: in.Kind, Lang: in.Lang, Supplements: in.Supplements, Content: in.Content,
		State: breach.NoticeDraft, Version: 1, CreatedBy: u.ID, CreatedByName: u.Name, CreatedAt: now, UpdatedAt: now}
	if err := s.checkNotice(ctx, t, n); err != nil {
		return nil, err
	}
	return n, s.writeNotice(ctx, t, u, n, "", in.Send, "create")
}

// UpdateBreachNotice changes a draft (its case's owners); a sent notice
// is refused: a correction is a new version (NewBreachNoticeVersion).
func (s *Desk) UpdateBreachNotice(ctx context.Context, id int64, in BreachNoticeInput) (*breach.Notice, error) {
	u, t, n, err := s.noticeForChange(ctx, id, in.Rev)
	if err != nil {
		return nil, err
	}
	if in.Lang != "" {
		n.Lang = in.Lang
	}
	n.Content, n.UpdatedAt = in.Content, s.clock.Now()
	if in.Supplements != 0 {
		n.Supplements = in.Supplements
	}
	if err := s.checkNotice(ctx, t, n); err != nil {
		return nil, err
	}
	return n, s.writeNotice(ctx, t, u, n, breach.NoticeDraft, in.Send, "update")
}

// SendBreachNotice records when and how a draft was sent, or the decision
// not to notify the data subjects.
func (s *Desk) SendBreachNotice(ctx context.Context, id int64, rev int, send breach.Sending) (*breach.Notice, error) {
	u, t, n, err := s.noticeForChange(ctx, id, rev)
	if err != nil {
		return nil, err
	}
	return n, s.writeNotice(ctx, t, u, n, breach.NoticeDraft, &send, "send")
}

// NewBreachNoticeVersion starts a new draft version of a sent notice, with
// its content, to correct it.
func (s *Desk) NewBreachNoticeVersion(ctx context.Context, id int64) (*breach.Notice, error) {
	t, old, err := s.BreachNotice(ctx, id)
	if err != nil {
		return nil, err
	}
	u, t, err := s.forBreachChange(ctx, t.Number, 0)
	if err != nil {
		return nil, err
	}
	if !old.Final() {
		return nil, Refusef(ECONFLICT, RuleNoticeDraft, nil, "notice %d is a draft: edit it", id)
	}
	all, err := s.store.BreachNotices(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	series := old.Series
	version := 1
	for _, o := range all {
		if o.Series == series && o.Version >= version {
			version = o.Version + 1
		}
	}
	now := s.clock.Now()
	n := &breach.Notice{TicketID: t.ID, Kind: old.Kind, Lang: old.Lang, Series: series, Version: version,
		Supplements: old.Supplements, Content: old.Content, State: breach.NoticeDraft,
		CreatedBy: u.ID, CreatedByName: u.Name, CreatedAt: now, UpdatedAt: now}
	return n, s.writeNotice(ctx, t, u, n, "", nil, "version")
}

// noticeForChange loads a draft notice for its case's owner.
func (s *Desk) noticeForChange(ctx context.Context, id int64, rev int) (*User, *Ticket, *breach.Notice, error) {
	t, n, err := s.BreachNotice(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	u, t, err := s.forBreachChange(ctx, t.Number, 0)
	if err != nil {
		return nil, nil, nil, err
	}
	if n.Final() {
		return nil, nil, nil, Refusef(ECONFLICT, RuleNoticeSent, nil,
			"notice %d was sent on %s and is kept as sent: make a new version of it", id, n.SentAt.UTC().Format(time.RFC3339))
	}
	if rev != 0 && rev != n.Rev {
		return nil, nil, nil, Errorf(ESTALE, "notice %d changed since revision %d (now %d): reload it", id, rev, n.Rev)
	}
	return u, t, n, nil
}

// checkNotice checks a draft's content and its place in the case.
func (s *Desk) checkNotice(ctx context.Context, t *Ticket, n *breach.Notice) error {
	n.Trim()
	v := fieldErrors(breach.CheckDraft(n))
	if len(v.fields) == 0 && !n.Kind.Applies(t.Breach.Regime) {
		v.add("kind", RuleNotAllowed, Params{"regime": string(t.Breach.Regime)},
			"the case's regimes (%q) do not ask for a notice of kind %s", t.Breach.Regime, n.Kind)
	}
	if len(v.fields) == 0 && n.Supplements != 0 {
		first, err := s.store.BreachNotice(ctx, n.Supplements)
		if ErrorCode(err) == ENOTFOUND || err == nil && first.TicketID != t.ID {
			v.add("supplements", RuleUnknown, nil, "no notice %d on this case", n.Supplements)
		} else if err != nil {
			return err
		} else {
			v.fields = append(v.fields, fieldErrors(breach.CheckSupplement(n.Kind, first)).fields...)
		}
	}
	return v.err()
}

// fieldErrors is the desk's validation error of the fields a domain
// package below it refused (internal/breach, internal/playbook).
func fieldErrors(fe []fieldcheck.Error) validation {
	var v validation
	for _, f := range fe {
		rule := ruleOf(f.Rule)
		v.add(f.Field, rule, Params(f.Params), "%s", f.Message)
	}
	return v
}

// ruleOf is the declared rule internal/breach names (not_allowed for a
// name the desk does not declare).
func ruleOf(name string) Rule {
	if i := slices.Index(Rules, Rule(name)); i >= 0 {
		return Rules[i]
	}
	return RuleNotAllowed
}

// writeNotice applies send (if any) to n and stores it with its timeline
// entry; from is n's state before ("" for a new notice).
func (s *Desk) writeNotice(ctx context.Context, t *Ticket, u *User, n *breach.Notice, from breach.NoticeState,
	send *breach.Sending, action string) error {
	if send != nil {
		if err := s.applySending(t, n, u, *send); err != nil {
			return err
		}
		action = "send"
		ctx = context.WithValue(ctx, pendingNotice{}, n)
	}
	ev := Event{Kind: EventUpdated, Public: false, Changes: []Change{
		{Field: FieldBreachNotice, Old: "", New: string(n.Kind)},
		{Field: FieldBreachNoticeState, Old: string(from), New: string(n.State)}}}
	now := s.clock.Now()
	t.UpdatedAt = now
	events := []Event{ev}
	stamp(events, u, now)
	timers, err := s.timersAfter(ctx, t, true, events)
	if err != nil {
		return err
	}
	if err := s.store.SaveBreachNotice(ctx, n, action, TicketWrite{Ticket: t, Events: events, Timers: timers}); err != nil {
		return fmt.Errorf("notice of security case %s: %w", t.Number, err)
	}
	return nil
}

// applySending checks a sending against the law and the case, and marks n
// sent (or decided).
func (s *Desk) applySending(t *Ticket, n *breach.Notice, u *User, send breach.Sending) error {
	v := fieldErrors(breach.CheckComplete(n))
	if send.NotNotifyGround != "" || send.NotNotifyReason != "" {
		v = validation{} // a decision not to notify needs no content beyond its reason
	}
	var due *time.Time
	if k, ok := n.Kind.Clock(); ok && !(n.Kind == breach.NoticeGDPRAuthority && n.Supplements != 0) {
		if ds, err := breach.Deadlines(derefTime(t.Breach.AwareAt), t.Breach.Regime, maxTime(s.clock.Now(), derefTime(t.Breach.AwareAt))); err == nil {
			if i := slices.IndexFunc(ds, func(d breach.Deadline) bool { return d.Kind == k }); i >= 0 {
				due = &ds[i].Due
			}
		}
	}
	v.fields = append(v.fields, fieldErrors(breach.CheckSending(n, send, t.Breach.AwareAt, due, s.clock.Now())).fields...)
	if err := v.err(); err != nil {
		return err
	}
	at := send.At.UTC().Truncate(time.Second)
	n.SentAt, n.SentBy, n.SentByName = &at, u.ID, u.Name
	n.State, n.Via, n.Reference, n.DelayReasons = breach.NoticeSent, send.Via, send.Reference, send.DelayReasons
	if send.NotNotifyGround != "" {
		n.State, n.Via = breach.NoticeDecided, ""
		n.NotNotifyGround, n.NotNotifyReason = send.NotNotifyGround, send.NotNotifyReason
	}
	n.Trim()
	return nil
}

func derefTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}
