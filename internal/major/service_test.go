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

// TestService_DeclareAttachUpdate declares a major incident from an
// incident with 20 children attached in one action, posts an update and
// checks that each requester is told once and the timeline has it all.
func TestService_DeclareAttachUpdate(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		parent := f.incident(0, desk.LevelHigh, false)
		if _, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{}); desk.ErrorCode(err) != desk.EINVALID {
			t.Fatalf("declare without a commander: %v, want invalid", err)
		}
		m, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID, CommsLeadID: f.ivan.ID,
			BridgeURL: "https://meet.example.com/mail"})
		f.must(err)
		if m.Cadence != 30*time.Minute || !m.NextUpdateDue.Equal(start.Add(30*time.Minute)) {
			t.Errorf("P1 cadence %s due %s, want 30m at 09:30", m.Cadence, m.NextUpdateDue)
		}
		var refs []string
		for i := 1; i <= 20; i++ {
			refs = append(refs, f.incident(i, desk.LevelMedium, false).Number)
		}
		secret := f.incident(99, desk.LevelMedium, true)
		if _, _, err := f.svc.Attach(f.olgaC, m.ID, []string{secret.Number}); desk.ErrorCode(err) != desk.EINVALID {
			t.Errorf("attaching a restricted incident: %v, want invalid", err)
		}
		refs = append(refs, refs[0]) // named twice: attached once
		_, n, err := f.svc.Attach(f.olgaC, m.ID, refs)
		f.must(err)
		if n != 20 {
			t.Errorf("attached %d, want 20", n)
		}
		if _, err := f.svc.Declare(f.olgaC, refs[3], major.DeclareInput{CommanderID: f.olga.ID}); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("declaring on a child: %v, want conflict", err)
		}
		f.clock.Advance(10 * time.Minute)
		up, err := f.svc.PostUpdate(f.ivanC, m.ID, major.UpdateInput{Affected: "Sending mail", Doing: "Restarting the relay"})
		f.must(err)
		if !up.OnTime || up.Recipients != 21 {
			t.Errorf("update on time %v to %d recipients, want on time to 21", up.OnTime, up.Recipients)
		}
		msgs := f.outbox(major.OutboxUpdate)
		seen := map[int64]bool{}
		for _, msg := range msgs {
			if seen[msg.UserID] {
				t.Errorf("requester %d told twice", msg.UserID)
			}
			seen[msg.UserID] = true
			if msg.Payload["doing"] != "Restarting the relay" || msg.Payload["ticket"] == "" {
				t.Errorf("payload %v", msg.Payload)
			}
		}
		if len(msgs) != 21 {
			t.Errorf("%d update messages, want 21", len(msgs))
		}
		tl, err := f.svc.Timeline(f.olgaC, m.ID)
		f.must(err)
		var kinds []string
		for _, e := range tl {
			kinds = append(kinds, string(e.Kind))
		}
		joined := strings.Join(kinds, " ")
		for _, want := range []string{"declared", "role_assigned", "child_attached", "update_posted", "ticket_event"} {
			if !strings.Contains(joined, want) {
				t.Errorf("timeline lacks %s: %s", want, joined)
			}
		}
	})
}

// TestService_CadenceExactlyOnce lets an update fall due on two instances:
// the comms lead is warned once, then the commander's group is paged once.
func TestService_CadenceExactlyOnce(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.must(f.d.PutEscalationPolicy(f.admin, &desk.EscalationPolicy{GroupID: f.ops.ID, Name: "Ops on-call", Active: true,
			Priorities: []desk.Priority{desk.P1}, Steps: []desk.EscalationStep{{UserIDs: []int64{f.olga.ID}, Delay: 5 * time.Minute}}}))
		parent := f.incident(0, desk.LevelMedium, false) // P3: not paged for itself
		m, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID, CommsLeadID: f.ivan.ID,
			Cadence: 60 * time.Minute})
		f.must(err)
		sweepBoth := func() {
			t.Helper()
			for _, s := range []*major.Service{f.svc, f.other, f.svc} {
				if _, err := s.Sweep(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
		}
		f.clock.Advance(50 * time.Minute)
		sweepBoth()
		if n := len(f.outbox(major.OutboxCadenceWarning)); n != 0 {
			t.Errorf("%d warnings 10 minutes before due, want 0", n)
		}
		f.clock.Advance(6 * time.Minute)
		sweepBoth()
		warn := f.outbox(major.OutboxCadenceWarning)
		if len(warn) != 1 || warn[0].UserID != f.ivan.ID {
			t.Fatalf("warnings %+v, want one to the comms lead", warn)
		}
		f.clock.Advance(5 * time.Minute)
		sweepBoth()
		pages, err := f.d.TicketPages(f.olgaC, parent.Number)
		f.must(err)
		if len(pages) != 1 || !strings.Contains(pages[0].Page.Reason, "public update missed") {
			t.Fatalf("pages %+v, want one for the missed update", pages)
		}
		if n := len(f.outbox(major.OutboxCadenceMissed)); n != 1 {
			t.Errorf("%d missed notices, want 1", n)
		}
		f.clock.Advance(time.Minute)
		_, err = f.svc.PostUpdate(f.ivanC, m.ID, major.UpdateInput{Affected: "Mail", Doing: "Failing over"})
		f.must(err)
		ups, err := f.svc.Updates(f.olgaC, m.ID)
		f.must(err)
		if len(ups) != 1 || ups[0].OnTime {
			t.Errorf("late update recorded on time: %+v", ups)
		}
	})
}

// TestService_ResolveAndReviewGate resolves a major incident with its
// children and checks that closing waits for the published review.
func TestService_ResolveAndReviewGate(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		parent := f.incident(0, desk.LevelHigh, false)
		kid := f.incident(1, desk.LevelMedium, false)
		m, err := f.svc.Declare(f.olgaC, parent.Number, major.DeclareInput{CommanderID: f.olga.ID, Children: []string{kid.Number}})
		f.must(err)
		f.clock.Advance(90 * time.Minute)
		res, err := f.svc.Resolve(f.olgaC, m.ID, major.ResolveInput{Code: "solved", Notes: "The relay was replaced.", Children: true})
		f.must(err)
		if len(res.Resolved) != 2 || len(res.Skipped) != 0 {
			t.Fatalf("resolved %v skipped %v", res.Resolved, res.Skipped)
		}
		got, err := f.d.Ticket(f.olgaC, kid.Number)
		f.must(err)
		if got.State != desk.StateResolved {
			t.Errorf("child %s", got.State)
		}
		if n := len(f.outbox(desk.OutboxResolved)); n != 2 {
			t.Errorf("%d resolution notices, want one per ticket (2)", n)
		}
		if _, err := f.svc.PostUpdate(f.olgaC, m.ID, major.UpdateInput{Affected: "x", Doing: "y"}); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("update on a resolved major incident: %v, want conflict", err)
		}
		r, err := f.svc.Review(f.olgaC, m.ID)
		f.must(err)
		if r.State != major.ReviewDraft || r.Children != 1 || r.Requesters != 2 || r.Duration != 90*time.Minute || len(r.Timeline) == 0 {
			t.Errorf("prefilled review %+v", r)
		}
		if _, err := f.svc.Close(f.olgaC, m.ID); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Fatalf("close before the review is published: %v, want conflict", err)
		}
		_, err = f.svc.AddActionItem(f.olgaC, m.ID, major.ActionItem{Text: "Monitor the relay's queue", OwnerID: f.ivan.ID, DueOn: start.AddDate(0, 0, 7)})
		f.must(err)
		for _, st := range []major.ReviewState{major.ReviewInReview, major.ReviewPublished} {
			_, err := f.svc.EditReview(f.olgaC, m.ID, major.ReviewEdit{State: &st})
			f.must(err)
		}
		if _, err := f.svc.Close(f.olgaC, m.ID); err != nil {
			t.Fatalf("close after publishing: %v", err)
		}
		r, err = f.svc.Review(f.olgaC, m.ID)
		f.must(err)
		md := r.Markdown(m, time.UTC, "en")
		for _, want := range []string{"## Customer impact", "Monitor the relay's queue", "Ivan Responder", "Child incidents: 1",
			"major incident declared on " + m.Number} {
			if !strings.Contains(md, want) {
				t.Errorf("markdown lacks %q:\n%s", want, md)
			}
		}
		// The review was written in the installation's English; a Russian
		// reader's export words its headings and generated lines in Russian.
		ru := r.Markdown(m, time.UTC, "ru")
		for _, want := range []string{"# Разбор инцидента: " + m.Number, "## Влияние на пользователей", "Присоединённые инциденты: 1",
			"Состояние: опубликован", "объявлен крупный инцидент по заявке " + m.Number,
			"| Monitor the relay's queue | Ivan Responder |", "| Мера | Ответственный | Срок | Выполнена |", "публичные обновления раз в "} {
			if !strings.Contains(ru, want) {
				t.Errorf("Russian markdown lacks %q:\n%s", want, ru)
			}
		}
		for _, english := range []string{"Customer impact", "declared", "commander", "(none)", "Detected by"} {
			if strings.Contains(ru, english) {
				t.Errorf("Russian markdown has %q:\n%s", english, ru)
			}
		}
	})
}

// TestService_Rule declares by the count rule, skipping restricted
// incidents, and attaches later incidents on the service.
func TestService_Rule(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		_, err := f.svc.CreateRule(f.admin, major.Rule{Name: "Mail storm", ServiceID: f.mail.ID, Count: 3, Window: 10 * time.Minute,
			CommanderID: f.olga.ID, Enabled: true})
		f.must(err)
		f.incident(1, desk.LevelMedium, false)
		f.incident(2, desk.LevelMedium, true) // restricted: never counted
		f.clock.Advance(time.Minute)
		f.incident(3, desk.LevelMedium, false)
		for _, s := range []*major.Service{f.svc, f.other} {
			res, err := s.Sweep(context.Background())
			f.must(err)
			if res.Declared != 0 {
				t.Fatalf("declared with two unrestricted incidents: %+v", res)
			}
		}
		f.incident(4, desk.LevelMedium, false)
		var declared int
		for _, s := range []*major.Service{f.svc, f.other} {
			res, err := s.Sweep(context.Background())
			f.must(err)
			declared += res.Declared
		}
		if declared != 1 {
			t.Fatalf("declared %d times, want once", declared)
		}
		list, err := f.svc.List(f.olgaC, major.Filter{})
		f.must(err)
		if len(list) != 1 || !strings.HasPrefix(list[0].Trigger, "rule") {
			t.Fatalf("major incidents %+v", list)
		}
		f.incident(5, desk.LevelMedium, false)
		_, err = f.svc.Sweep(context.Background())
		f.must(err)
		kids, err := f.svc.Children(f.olgaC, list[0].ID)
		f.must(err)
		if len(kids) != 3 {
			t.Errorf("%d children, want 3 (two by the declaration, one later)", len(kids))
		}
	})
}
