package desk

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
)

// The breach register (GDPR Art. 33(5)): every personal-data breach the
// organisation recorded, notified or not, with its facts, its effects and
// the remedial action taken, its regulatory clocks and its notices, for an
// auditor. A breach is a security case with a breach record (awareness
// recorded or regimes chosen). Its facts, effects and remedial action are
// the latest notice's nature, consequences and measures (the most recent
// account the organisation gave), and the investigation's results when
// Roskomnadzor was told them.
//
// Who reads it: the register is made of security cases, so each reader
// finds the rows of the cases they see, as everywhere else: members of a
// security group find every breach, people named on a case find theirs,
// and anybody else (an administrator who is not a member, line 1) finds
// an empty register. Requesters are refused.

// BreachRegisterEntry is one breach of the register.
type BreachRegisterEntry struct {
	Ticket       string           `json:"ticket"`
	Title        string           `json:"title"`
	State        State            `json:"state"`
	OpenedAt     time.Time        `json:"opened_at"`
	AwareAt      *time.Time       `json:"aware_at"`
	AwareReason  string           `json:"aware_reason"`
	Regime       breach.Regime    `json:"regime"`
	RegimeReason string           `json:"regime_reason"`
	Facts        string           `json:"facts"`
	Subjects     int64            `json:"subjects_approx"`
	Records      int64            `json:"records_approx"`
	Effects      string           `json:"effects"`
	Remedial     string           `json:"remedial"`
	Results      string           `json:"investigation_results"`
	Clocks       []BreachClock    `json:"clocks"`
	Notices      []*breach.Notice `json:"-"`
}

// Now is the desk's clock: what a register's "generated at" and a page's
// "time left" are measured against (a test's clock in tests, never the
// machine's wall clock behind the desk's back).
func (s *Desk) Now() time.Time { return s.clock.Now() }

// BreachRegister returns the breaches the signed-in staff member sees,
// oldest first.
func (s *Desk) BreachRegister(ctx context.Context) ([]*BreachRegisterEntry, error) {
	u, err := requireStaff(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.BreachCaseTickets(ctx)
	if err != nil {
		return nil, err
	}
	out := []*BreachRegisterEntry{}
	now := s.clock.Now()
	for _, id := range ids {
		t, err := s.store.GetTicket(ctx, id)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !t.Security || t.Breach == nil || !canSee(u, t) || !seesSecurityCase(u, t) {
			continue
		}
		ns, err := s.store.BreachNotices(ctx, t.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, registerEntry(t, ns, now))
	}
	return out, nil
}

// registerEntry is t's row of the register at now.
func registerEntry(t *Ticket, ns []*breach.Notice, now time.Time) *BreachRegisterEntry {
	b := t.Breach
	e := &BreachRegisterEntry{Ticket: t.Number, Title: t.Title, State: t.State, OpenedAt: t.CreatedAt,
		AwareAt: b.AwareAt, AwareReason: b.AwareReason, Regime: b.Regime, RegimeReason: b.RegimeReason,
		Clocks: breachClocks(b, breach.FirstSent(ns), now), Notices: ns}
	for _, n := range ns { // the latest account of each wins
		set := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		set(&e.Facts, n.Nature)
		set(&e.Effects, n.Consequences)
		set(&e.Remedial, n.Measures)
		set(&e.Results, n.Results)
		if n.SubjectsApprox > 0 {
			e.Subjects = n.SubjectsApprox
		}
		if n.RecordsApprox > 0 {
			e.Records = n.RecordsApprox
		}
	}
	return e
}

// registerNoticeJSON is a notice as the register lists it.
type registerNoticeJSON struct {
	ID              int64   `json:"id"`
	Kind            string  `json:"kind"`
	Recipient       string  `json:"recipient"`
	Lang            string  `json:"lang"`
	Series          int64   `json:"series"`
	Version         int     `json:"version"`
	Supplements     *int64  `json:"supplements"`
	State           string  `json:"state"`
	SentAt          *string `json:"sent_at"`
	Via             string  `json:"via"`
	Reference       string  `json:"reference"`
	DelayReasons    string  `json:"delay_reasons"`
	NotNotifyGround string  `json:"not_notify_ground"`
	NotNotifyReason string  `json:"not_notify_reason"`
}

type registerEntryJSON struct {
	*BreachRegisterEntry
	Notices []registerNoticeJSON `json:"notices"`
}

func rfc(t *time.Time) *string {
	if t == nil {
		return nil
	}
	v := t.UTC().Format(time.RFC3339)
	return &v
}

// RegisterJSON encodes the register for an auditor.
func RegisterJSON(entries []*BreachRegisterEntry, at time.Time) ([]byte, error) {
	out := struct {
		GeneratedAt string              `json:"generated_at"`
		Breaches    []registerEntryJSON `json:"breaches"`
	}{GeneratedAt: at.UTC().Format(time.RFC3339), Breaches: []registerEntryJSON{}}
	for _, e := range entries {
		j := registerEntryJSON{BreachRegisterEntry: e, Notices: []registerNoticeJSON{}}
		for _, n := range e.Notices {
			rn := registerNoticeJSON{ID: n.ID, Kind: string(n.Kind), Recipient: string(n.Kind.Recipient()), Lang: n.Lang,
				Series: n.Series, Version: n.Version, State: string(n.State), SentAt: rfc(n.SentAt), Via: n.Via,
				Reference: n.Reference, DelayReasons: n.DelayReasons, NotNotifyGround: n.NotNotifyGround,
				NotNotifyReason: n.NotNotifyReason}
			if n.Supplements != 0 {
				rn.Supplements = &n.Supplements
			}
			j.Notices = append(j.Notices, rn)
		}
		out.Breaches = append(out.Breaches, j)
	}
	return json.MarshalIndent(out, "", "  ")
}

// RegisterColumns are the CSV export's columns.
var RegisterColumns = []string{"ticket", "title", "state", "opened_at", "aware_at", "aware_reason", "regime",
	"regime_reason", "facts", "subjects_approx", "records_approx", "effects", "remedial", "investigation_results",
	"clocks", "notices"}

// RegisterCSV encodes the register as CSV (RFC 4180), one breach a row;
// a cell a spreadsheet would take for a formula starts with a quote mark.
func RegisterCSV(entries []*BreachRegisterEntry) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(RegisterColumns)
	for _, e := range entries {
		var clocks, notices []string
		for _, c := range e.Clocks {
			clocks = append(clocks, string(c.Kind)+" "+c.State+" due "+c.Due.UTC().Format(time.RFC3339))
		}
		for _, n := range e.Notices {
			s := string(n.Kind) + " v" + strconv.Itoa(n.Version) + " " + string(n.State)
			if n.SentAt != nil {
				s += " " + n.SentAt.UTC().Format(time.RFC3339)
			}
			if n.Via != "" {
				s += " via " + n.Via
			}
			if n.Reference != "" {
				s += " ref " + n.Reference
			}
			if n.NotNotifyGround != "" {
				s += " (" + n.NotNotifyGround + ": " + n.NotNotifyReason + ")"
			}
			notices = append(notices, s)
		}
		aware := ""
		if e.AwareAt != nil {
			aware = e.AwareAt.UTC().Format(time.RFC3339)
		}
		row := []string{e.Ticket, e.Title, string(e.State), e.OpenedAt.UTC().Format(time.RFC3339), aware, e.AwareReason,
			string(e.Regime), e.RegimeReason, e.Facts, strconv.FormatInt(e.Subjects, 10), strconv.FormatInt(e.Records, 10),
			e.Effects, e.Remedial, e.Results, strings.Join(clocks, "; "), strings.Join(notices, "; ")}
		for i, v := range row {
			row[i] = csvCell(v)
		}
		_ = w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// csvCell defuses a cell a spreadsheet would evaluate.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
