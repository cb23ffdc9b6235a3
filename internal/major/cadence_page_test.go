package major_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestService_MissedUpdatePageOutcome: a missed update pages the
// commander's group, or says on the timeline and in the commander's mail
// why it does not: the group's page on the parent already runs (a P1
// parent is paged for itself), or the group has no active policy. The
// entries carry reason codes and read in Russian.
func TestService_MissedUpdatePageOutcome(t *testing.T) {
	cases := []struct {
		name   string
		policy bool
		impact desk.Level // high: a P1 parent the group is paged for at once
		code   desk.ReasonCode
		paging string
		pages  int
		ru     string
	}{
		{"pages", true, desk.LevelMedium, desk.ReasonMajorMissedPaging, major.PagingStarted, 1, "дежурных вызывают по политике эскалации «Ops on-call»"},
		{"already paging", true, desk.LevelHigh, desk.ReasonMajorMissedPageOn, major.PagingRunning, 1, "второй вызов не начат: по политике эскалации «Ops on-call» дежурных вызывают с 09:00 UTC"},
		{"no policy", false, desk.LevelMedium, desk.ReasonMajorMissedNoPolicy, major.PagingNone, 0, "у группы Operations нет активной политики эскалации"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, testdb.SQLiteInstances)
			if c.policy {
				f.must(f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.ops.ID, Name: "Ops on-call", Active: true,
					Priorities: []desk.Priority{desk.P1}, Steps: []desk.EscalationStep{{UserIDs: []int64{f.ivan.ID}, Delay: 5 * time.Minute}}}))
			}
			parent := f.incident(0, c.impact, false)
			if c.impact == desk.LevelHigh { // the parent's own page starts (the timer engine's job)
				f.firePages(parent)
			}
			m, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID, Cadence: 30 * time.Minute})
			f.must(err)
			f.clock.Advance(31 * time.Minute)
			if _, err := f.svc.Sweep(context.Background()); err != nil {
				t.Fatal(err)
			}
			pages, err := f.d.TicketPages(f.olgaC, parent.Number)
			f.must(err)
			if len(pages) != c.pages {
				t.Errorf("%d pages, want %d", len(pages), c.pages)
			}
			if c.code == desk.ReasonMajorMissedPaging && (len(pages) != 1 || pages[0].Page.ReasonCode != desk.ReasonMajorPageUpdateMiss) {
				t.Errorf("the page's reason is not coded: %+v", pages)
			}
			missed := f.outbox(major.OutboxCadenceMissed)
			if len(missed) != 1 || missed[0].UserID != f.olga.ID || missed[0].Payload["paging"] != c.paging {
				t.Errorf("missed notices %+v, want one to the commander saying paging=%s", missed, c.paging)
			}
			tl, err := f.svc.Timeline(f.olgaC, m.ID)
			f.must(err)
			var got *major.Entry
			for i := range tl {
				if tl[i].Kind == major.EntryCadenceMissed {
					got = &tl[i]
				}
			}
			if got == nil || got.Code != c.code {
				t.Fatalf("the missed entry %+v, want code %s", got, c.code)
			}
			if ru := got.Words("ru"); !strings.Contains(ru, c.ru) {
				t.Errorf("ru: %q lacks %q", ru, c.ru)
			}
		})
	}
}

// firePages runs the due timers, as the job runner does, so that the
// ticket's own page starts.
func (f *fixture) firePages(tk *desk.Ticket) {
	f.t.Helper()
	timers, err := f.st.ClaimTimers(context.Background(), f.clock.Now(), time.Minute, 100)
	f.must(err)
	for _, tm := range timers {
		f.must(f.d.FireTimer(context.Background(), tm))
	}
	pages, err := f.d.TicketPages(f.olgaC, tk.Number)
	f.must(err)
	if len(pages) != 1 {
		f.t.Fatalf("the P1 parent has %d pages before the declaration, want 1", len(pages))
	}
}

// TestService_StakeholdersHearOfDeclaration: the stakeholders of a
// service are told at once when a major incident is declared on it (those
// who asked to be paged marked urgent), before the first update.
func TestService_StakeholdersHearOfDeclaration(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	_, err := f.svc.AddStakeholder(f.olgaC, major.Stakeholder{ServiceID: f.mail.ID, Email: "cio@example.com", Name: "CIO", Page: true})
	f.must(err)
	_, err = f.svc.AddStakeholder(f.olgaC, major.Stakeholder{ServiceID: f.mail.ID, UserID: f.ivan.ID})
	f.must(err)
	parent := f.incident(0, desk.LevelMedium, false)
	_, err = f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID})
	f.must(err)
	got := f.outbox(major.OutboxDeclared)
	if len(got) != 2 {
		t.Fatalf("declaration notices %+v, want 2", got)
	}
	for _, m := range got {
		switch {
		case m.Payload["to"] == "cio@example.com":
			if m.Payload["urgent"] != "true" {
				t.Errorf("the stakeholder to be paged is not marked urgent: %+v", m)
			}
		case m.UserID == f.ivan.ID:
			if m.Payload["urgent"] != "" {
				t.Errorf("urgent for a plain stakeholder: %+v", m)
			}
		default:
			t.Errorf("a notice to %+v", m)
		}
	}
}
