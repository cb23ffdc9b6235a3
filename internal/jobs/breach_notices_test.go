package jobs_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// fieldRules lists an error's fields as "field:rule", sorted.
func fieldRules(err error) []string {
	e, _ := err.(*desk.Error)
	if e == nil {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+":"+string(f.Rule))
	}
	slices.Sort(out)
	return out
}

func clockStates(t *testing.T, f *fixture, ctx context.Context, tk *desk.Ticket) map[breach.Kind]string {
	t.Helper()
	st, err := f.d.BreachStatusOf(ctx, f.ticket(tk))
	must(t, err)
	out := map[breach.Kind]string{}
	for _, c := range st.Clocks {
		out[c.Kind] = c.State
	}
	return out
}

var rknFirst = breach.Content{Nature: "Учётная запись рассылает спам", Causes: "Фишинговое письмо",
	Consequences: "Адреса клиентов могли стать известны", Measures: "Пароль сброшен", ContactName: "Саша Безопасность",
	ContactDetails: "+7 495 000-00-00"}

// TestDesk_BreachNotices: the case's owner records the Roskomnadzor
// notices and the GDPR one; the law's fields are required before a notice
// is sent, a notice is never dated before awareness or in the future, a
// late one needs the reasons for its delay, a sent one is refused an edit
// (a new version instead), the first notice sent stops its clock (no
// warning follows), the follow-up links to it; nobody outside the case
// finds any of it. On SQLite and PostgreSQL.
func TestDesk_BreachNotices(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		tk, sec, _, _ := f.breachCase(breach.Both)
		f.clock.Set(start.Add(2 * time.Hour))

		// Outsiders: line 1, the administrator, the requester.
		for name, ctx := range map[string]context.Context{"line 1": f.l1, "admin": f.admin, "requester": f.sam} {
			if _, _, err := f.d.BreachNotices(ctx, tk.Number); desk.ErrorCode(err) != desk.ENOTFOUND {
				t.Errorf("%s lists the notices: %v", name, err)
			}
			if _, err := f.d.CreateBreachNotice(ctx, tk.Number, desk.BreachNoticeInput{Kind: breach.NoticePartners, Lang: "en"}); err == nil {
				t.Errorf("%s prepared a notice", name)
			}
		}
		// Sending an incomplete notice names every missing field and stores nothing.
		send := &breach.Sending{At: start.Add(time.Hour), Via: "portal"}
		_, err := f.d.CreateBreachNotice(sec, tk.Number, desk.BreachNoticeInput{Kind: breach.Notice152First, Lang: "ru",
			Content: breach.Content{Nature: "Спам"}, Send: send})
		want := []string{"causes:required", "consequences:required", "contact_details:required", "contact_name:required", "measures:required"}
		if got := fieldRules(err); !slices.Equal(got, want) {
			t.Fatalf("incomplete 152-FZ notice: %v (%v), want %v", got, err, want)
		}
		first, err := f.d.CreateBreachNotice(sec, tk.Number, desk.BreachNoticeInput{Kind: breach.Notice152First, Lang: "ru", Content: rknFirst})
		must(t, err)
		for name, s := range map[string]breach.Sending{
			"before awareness": {At: start.Add(-time.Minute), Via: "portal"},
			"in the future":    {At: start.Add(3 * time.Hour), Via: "portal"},
		} {
			if _, err := f.d.SendBreachNotice(sec, first.ID, 0, s); len(fieldRules(err)) != 1 || !strings.HasPrefix(fieldRules(err)[0], "sent_at:") {
				t.Errorf("sent %s: %v", name, err)
			}
		}
		first, err = f.d.SendBreachNotice(sec, first.ID, first.Rev, breach.Sending{At: start.Add(90 * time.Minute), Via: "portal", Reference: "RKN-77"})
		must(t, err)
		// Its timers went with the sending.
		for _, tm := range f.pending(tk) {
			if tm.Kind == "breach_"+desk.TimerKind(breach.FZ152First) {
				t.Errorf("a timer of the stopped clock is pending: %+v", tm)
			}
		}
		if _, err := f.d.UpdateBreachNotice(sec, first.ID, desk.BreachNoticeInput{Content: rknFirst}); !refused(err, desk.RuleNoticeSent) {
			t.Errorf("a sent notice edited: %v", err)
		}
		if _, err := f.d.SendBreachNotice(sec, first.ID, 0, *send); !refused(err, desk.RuleNoticeSent) {
			t.Errorf("a sent notice sent again: %v", err)
		}
		v2, err := f.d.NewBreachNoticeVersion(sec, first.ID)
		must(t, err)
		if v2.Series != first.ID || v2.Version != 2 || v2.State != breach.NoticeDraft || v2.Nature != rknFirst.Nature {
			t.Errorf("new version %+v", v2)
		}
		if _, err := f.d.NewBreachNoticeVersion(sec, v2.ID); !refused(err, desk.RuleNoticeDraft) {
			t.Errorf("a version of a draft: %v", err)
		}
		// The 24-hour clock stopped: no warning at 50 %, the others run.
		f.clock.Set(start.Add(12 * time.Hour))
		f.sweep()
		if got := f.breachEvents(tk); len(got) != 0 {
			t.Errorf("events after the first notice was sent: %v", got)
		}
		states := clockStates(t, f, sec, tk)
		if states[breach.FZ152First] != desk.BreachClockMet || states[breach.FZ152Follow] != desk.BreachClockRunning {
			t.Errorf("clocks %v", states)
		}
		// The follow-up, late: its reasons are required.
		f.clock.Set(start.Add(80 * time.Hour))
		res := desk.BreachNoticeInput{Kind: breach.Notice152Results, Lang: "ru", Supplements: first.ID,
			Content: breach.Content{Results: "Пароль подобран"}, Send: &breach.Sending{At: start.Add(79 * time.Hour), Via: "email"}}
		if _, err := f.d.CreateBreachNotice(sec, tk.Number, res); !slices.Equal(fieldRules(err), []string{"delay_reasons:required"}) {
			t.Errorf("late without reasons: %v", err)
		}
		other := f.incident(desk.LevelLow, desk.LevelLow, false)
		_, err = f.d.MarkSecurity(f.l1, other.Number, desk.SecurityInput{Reason: "another case"})
		must(t, err)
		_, err = f.d.SetBreachAwareness(sec, other.Number, desk.BreachAwarenessInput{AwareAt: start, Reason: "SOC"})
		must(t, err)
		_, err = f.d.SetBreachRegime(sec, other.Number, desk.BreachRegimeInput{Regime: breach.FZ152, Reason: "RU"})
		must(t, err)
		if _, err := f.d.CreateBreachNotice(sec, other.Number, res); !slices.Equal(fieldRules(err), []string{"supplements:unknown"}) {
			t.Errorf("following another case's notice: %v", err)
		}
		res.Supplements = v2.ID
		if _, err := f.d.CreateBreachNotice(sec, tk.Number, res); !slices.Equal(fieldRules(err), []string{"supplements:not_allowed"}) {
			t.Errorf("following a draft: %v", err)
		}
		res.Supplements, res.Send.DelayReasons = first.ID, "the investigation took longer"
		_, err = f.d.CreateBreachNotice(sec, tk.Number, res)
		must(t, err)
		states = clockStates(t, f, sec, tk)
		if states[breach.FZ152Follow] != desk.BreachClockLate {
			t.Errorf("clocks %v, want the follow-up late", states)
		}
		// The GDPR notice, and the decision not to tell the data subjects.
		gdpr := breach.Content{Nature: "Account takeover", SubjectCategories: "customers", SubjectsApprox: 1200,
			RecordCategories: "e-mail addresses", RecordsApprox: 1200, ContactName: "DPO", ContactDetails: "dpo@example.com",
			Consequences: "spam", Measures: "password reset"}
		_, err = f.d.CreateBreachNotice(sec, tk.Number, desk.BreachNoticeInput{Kind: breach.NoticeGDPRAuthority, Lang: "en",
			Content: gdpr, Send: &breach.Sending{At: start.Add(70 * time.Hour), Via: "portal"}})
		must(t, err)
		subj, err := f.d.CreateBreachNotice(sec, tk.Number, desk.BreachNoticeInput{Kind: breach.NoticeGDPRSubjects, Lang: "en",
			Send: &breach.Sending{At: start.Add(79 * time.Hour), NotNotifyGround: "risk_removed", NotNotifyReason: "passwords reset"}})
		must(t, err)
		if subj.State != breach.NoticeDecided {
			t.Errorf("decision recorded as %s", subj.State)
		}
		_, all, err := f.d.BreachNotices(sec, tk.Number)
		must(t, err)
		if len(all) != 5 {
			t.Errorf("%d notices, want 5", len(all))
		}
		var timeline int
		for _, e := range f.events(tk) {
			if len(e.Changes) > 0 && e.Changes[0].Field == desk.FieldBreachNotice {
				timeline++
				if e.Public || e.Actor == nil {
					t.Errorf("notice event %+v: internal, by its author", e)
				}
			}
		}
		if timeline != 6 { // created, sent, v2, results, GDPR, decision
			t.Errorf("%d notice events on the timeline, want 6", timeline)
		}
		_, doc, err := f.d.BreachNoticeDocument(sec, first.ID, nil)
		must(t, err)
		if !strings.Contains(doc.Text(), "Роскомнадзор") || !strings.Contains(doc.Text(), "RKN-77") {
			t.Errorf("document:\n%s", doc.Text())
		}
		if _, _, err := f.d.BreachNoticeDocument(f.admin, first.ID, nil); desk.ErrorCode(err) != desk.ENOTFOUND {
			t.Errorf("the administrator reads the document: %v", err)
		}
		// A regime that does not ask for a notice refuses it.
		_, err = f.d.SetBreachRegime(sec, tk.Number, desk.BreachRegimeInput{Regime: breach.FZ152, Reason: "no EU customers after all"})
		must(t, err)
		if _, err := f.d.CreateBreachNotice(sec, tk.Number, desk.BreachNoticeInput{Kind: breach.NoticeGDPRAuthority, Lang: "en"}); !slices.Equal(fieldRules(err), []string{"kind:not_allowed"}) {
			t.Errorf("GDPR notice under 152-FZ only: %v", err)
		}
	})
}

func refused(err error, rule desk.Rule) bool {
	e, ok := err.(*desk.Error)
	return ok && e.Rule == rule
}
