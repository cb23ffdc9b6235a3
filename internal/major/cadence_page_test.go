package major_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/reasons"
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

// TestService_PostedUpdateEndsMissedUpdatePage: the page a missed update
// started asks for that update; posting it ends the page (resolved, with
// who posted it on the ticket's timeline, in Russian too) in the update's
// own transaction, so the commander's group stops being paged. The
// group's own escalation on the parent is not what the update answers
// and keeps running.
func TestService_PostedUpdateEndsMissedUpdatePage(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.must(f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.ops.ID, Name: "Ops on-call", Active: true,
		Priorities: []desk.Priority{desk.P3}, Steps: []desk.EscalationStep{{UserIDs: []int64{f.ivan.ID}, Delay: 5 * time.Minute}}, Repeat: 3}))
	parent := f.incident(0, desk.LevelMedium, false)
	m, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID, Cadence: 30 * time.Minute})
	f.must(err)
	f.clock.Advance(31 * time.Minute)
	if _, err := f.svc.Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	missed := func() *desk.PageWithDeliveries {
		pages, err := f.d.TicketPages(f.olgaC, parent.Number)
		f.must(err)
		for i := range pages {
			if pages[i].Purpose == desk.PurposeMajorUpdate {
				return &pages[i]
			}
		}
		return nil
	}
	if p := missed(); p == nil || p.State != desk.PageActive {
		t.Fatalf("the missed update started no page: %+v", p)
	}
	f.clock.Advance(2 * time.Minute)
	if _, err := f.svc.PostUpdate(f.ivanC, m.ID, major.UpdateInput{Affected: "Mail", Doing: "Failing over"}); err != nil {
		t.Fatal(err)
	}
	p := missed()
	if p == nil || p.State != desk.PageResolved || p.EndedAt == nil || !p.EndedAt.Equal(f.clock.Now()) || p.NextAt != nil {
		t.Fatalf("after the update the missed-update page is %+v, want resolved now", p)
	}
	hist, err := f.d.Events(f.olgaC, parent.Number, desk.EventFilter{Limit: desk.MaxPageSize})
	f.must(err)
	var ended *desk.Event
	for _, e := range hist.Events {
		if e.Kind == desk.EventPageResolved {
			ended = e
		}
	}
	if ended == nil || ended.ReasonCode != desk.ReasonMajorUpdatePageEnd || ended.Actor == nil || ended.Actor.ID != f.ivan.ID {
		t.Fatalf("the page's end on the timeline: %+v", ended)
	}
	if ru := reasons.Event("ru", ended); !strings.Contains(ru, "Ivan Responder") || !strings.Contains(ru, "обновление") {
		t.Errorf("ru: %q", ru)
	}
}

// TestService_AcknowledgingTheTicketLeavesStakeholdersPaged: an
// acknowledgement on the ticket (the web's button, the API, the CLI)
// answers the group's own escalation; a stakeholder's page is theirs to
// acknowledge from its link, so it keeps running.
func TestService_AcknowledgingTheTicketLeavesStakeholdersPaged(t *testing.T) {
	f := newFixture(t, testdb.SQLiteInstances)
	f.must(f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.ops.ID, Name: "Ops on-call", Active: true,
		Priorities: []desk.Priority{desk.P1}, Steps: []desk.EscalationStep{{UserIDs: []int64{f.olga.ID}, Delay: 5 * time.Minute}}}))
	_, err := f.svc.AddStakeholder(f.olgaC, major.Stakeholder{ServiceID: f.mail.ID, UserID: f.ivan.ID, Page: true})
	f.must(err)
	parent := f.incident(0, desk.LevelHigh, false)
	f.firePages(parent)
	_, err = f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID})
	f.must(err)
	ended, err := f.d.AcknowledgePage(f.olgaC, parent.Number)
	f.must(err)
	if len(ended) != 1 || ended[0].Purpose != "" {
		t.Fatalf("acknowledged %+v, want the group's own page only", ended)
	}
	pages, err := f.d.TicketPages(f.olgaC, parent.Number)
	f.must(err)
	var stakeholder *desk.PageWithDeliveries
	for i := range pages {
		if pages[i].ForStakeholder() {
			stakeholder = &pages[i]
		}
	}
	if stakeholder == nil || stakeholder.State != desk.PageActive {
		t.Fatalf("the stakeholder's page after the ticket's acknowledgement: %+v", stakeholder)
	}
	if _, err := f.d.AcknowledgePage(f.olgaC, parent.Number); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Errorf("a second acknowledgement with only the stakeholder's page running: %v, want ECONFLICT", err)
	}
	// The stakeholder acknowledges their own page by its id (the on-call page's row).
	ended, err = f.d.EndPage(f.ivanC, parent.Number, stakeholder.ID, desk.PageAcknowledged)
	if err != nil || len(ended) != 1 || ended[0].ID != stakeholder.ID || ended[0].State != desk.PageAcknowledged {
		t.Fatalf("the stakeholder's own acknowledgement: %+v %v", ended, err)
	}
	if _, err := f.d.EndPage(f.ivanC, parent.Number, stakeholder.ID, desk.PageResolved); desk.ErrorCode(err) != desk.ECONFLICT {
		t.Errorf("ending an ended page: %v, want ECONFLICT", err)
	}
	if _, err := f.d.EndPage(f.ivanC, parent.Number, 0, desk.PageResolved); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("no page id: %v, want EINVALID", err)
	}
}
