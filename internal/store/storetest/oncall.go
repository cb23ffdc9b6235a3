package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSchedules: documents round-trip; names are unique; missing ids are
// ENOTFOUND.
func testSchedules(t *testing.T, open Opener) {
	f := newFixture(t, open)
	doc := desk.ScheduleDoc{Name: "DBA week", Zone: "Europe/Berlin", Layers: []desk.LayerDoc{{Name: "week",
		Participants: []int64{f.agent.ID}, StartDate: "2026-11-02", HandOff: "09:00", Length: "7d",
		Restrictions: []desk.WindowDoc{{Weekday: "monday", Start: "18:00", End: "09:00"}}}},
		Overrides: []desk.OverrideDoc{{UserID: f.agent.ID, Start: base, End: base.Add(time.Hour)}}}
	st := &desk.StoredSchedule{Doc: doc}
	must(t, f.s.CreateSchedule(ctx(t), st))
	got, err := f.s.GetSchedule(ctx(t), st.ID)
	must(t, err)
	diff(t, "stored schedule", doc, got.Doc)
	wantCode(t, "same name", f.s.CreateSchedule(ctx(t), &desk.StoredSchedule{Doc: doc}), desk.ECONFLICT)
	other := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "A first", Zone: "UTC"}}
	must(t, f.s.CreateSchedule(ctx(t), other))
	list, err := f.s.ListSchedules(ctx(t))
	must(t, err)
	if len(list) != 2 || list[0].Doc.Name != "A first" {
		t.Fatalf("list by name: %+v", list)
	}
	got.Doc.Zone = "UTC"
	must(t, f.s.UpdateSchedule(ctx(t), got))
	again, _ := f.s.GetSchedule(ctx(t), st.ID)
	if again.Doc.Zone != "UTC" {
		t.Errorf("updated zone %q", again.Doc.Zone)
	}
	must(t, f.s.DeleteSchedule(ctx(t), st.ID))
	_, err = f.s.GetSchedule(ctx(t), st.ID)
	wantCode(t, "deleted", err, desk.ENOTFOUND)
	wantCode(t, "delete twice", f.s.DeleteSchedule(ctx(t), st.ID), desk.ENOTFOUND)
	wantCode(t, "update missing", f.s.UpdateSchedule(ctx(t), &desk.StoredSchedule{ID: st.ID, Doc: doc}), desk.ENOTFOUND)
}

// testEscalationPolicies: one per group, replaced in place; an unknown
// group is EINVALID; contact methods belong to their user.
func testEscalationPolicies(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := &desk.EscalationPolicy{GroupID: f.dba.ID, Name: "DBA", Repeat: 2, Priorities: []desk.Priority{desk.P1, desk.P2},
		Active: true, Steps: []desk.EscalationStep{{ScheduleIDs: []int64{7}, Delay: 5 * time.Minute},
			{UserIDs: []int64{f.agent.ID}, Delay: 10 * time.Minute}}}
	must(t, f.s.PutEscalationPolicy(ctx(t), p))
	got, err := f.s.EscalationPolicy(ctx(t), f.dba.ID)
	must(t, err)
	diff(t, "policy", *p, *got)
	p2 := &desk.EscalationPolicy{GroupID: f.dba.ID, Name: "DBA v2", Active: false,
		Steps: []desk.EscalationStep{{UserIDs: []int64{f.agent.ID}, Delay: time.Minute}}}
	must(t, f.s.PutEscalationPolicy(ctx(t), p2))
	if p2.ID != p.ID {
		t.Errorf("replacement got id %d, want %d", p2.ID, p.ID)
	}
	all, err := f.s.ListEscalationPolicies(ctx(t))
	must(t, err)
	if len(all) != 1 || all[0].Name != "DBA v2" || all[0].Active {
		t.Fatalf("policies %+v", all)
	}
	wantCode(t, "unknown group", f.s.PutEscalationPolicy(ctx(t), &desk.EscalationPolicy{GroupID: 999, Name: "x"}), desk.EINVALID)
	must(t, f.s.DeleteEscalationPolicy(ctx(t), f.dba.ID))
	_, err = f.s.EscalationPolicy(ctx(t), f.dba.ID)
	wantCode(t, "deleted policy", err, desk.ENOTFOUND)

	m := &desk.ContactMethod{UserID: f.agent.ID, Kind: desk.ContactWebhook, Target: "https://hooks.example.com/x", Secret: "s3", Delay: 2 * time.Minute}
	must(t, f.s.CreateContactMethod(ctx(t), m))
	ms, err := f.s.ContactMethods(ctx(t), f.agent.ID)
	must(t, err)
	if len(ms) != 1 || ms[0].Secret != "s3" || ms[0].Delay != 2*time.Minute || ms[0].Kind != desk.ContactWebhook {
		t.Fatalf("methods %+v", ms)
	}
	wantCode(t, "someone else's method", f.s.DeleteContactMethod(ctx(t), f.req1.ID, m.ID), desk.ENOTFOUND)
	must(t, f.s.DeleteContactMethod(ctx(t), f.agent.ID, m.ID))
	wantCode(t, "unknown user", f.s.CreateContactMethod(ctx(t), &desk.ContactMethod{UserID: 999, Kind: desk.ContactEmail, Target: "a@b.c"}), desk.EINVALID)
}

// testPages: pages start with a timer's outcome, once per ticket and group
// while active; claims are leases; a step is stored only under its claim;
// ending cancels queued deliveries; deliveries are claimed, sent (with
// their mail in the outbox), retried and failed.
func testPages(t *testing.T, open Opener) {
	f := newFixture(t, open)
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	tk := f.create(t, f.ticket("Paged", 0))
	policy := desk.EscalationPolicy{ID: 1, GroupID: f.dba.ID, Name: "DBA", Repeat: 1, Active: true,
		Steps: []desk.EscalationStep{{UserIDs: []int64{f.agent.ID}, Delay: 5 * time.Minute}}}
	start := at(1)
	page := desk.Page{TicketID: tk.ID, GroupID: f.dba.ID, Policy: policy, Reason: "P1 incident in DBA", State: desk.PageActive,
		StartedAt: start, NextAt: &start, ReasonCode: desk.ReasonPageStarted,
		ReasonParams: desk.ReasonParams{"priority": "P1", "type": "incident", "group": "DBA"}}
	ev := []desk.Event{{Kind: desk.EventPageStarted}}
	must(t, f.s.HandleTimer(ctx(t), desk.TimerOutcome{Ticket: tk, Events: ev, Pages: []desk.Page{page, page}}))
	pages, err := f.s.TicketPages(ctx(t), tk.ID)
	must(t, err)
	if len(pages) != 1 || pages[0].State != desk.PageActive || !pages[0].StartedAt.Equal(start) {
		t.Fatalf("pages after start: %+v", pages)
	}
	diff(t, "policy snapshot", policy, pages[0].Policy)
	diff(t, "page reason", page.ReasonParams, pages[0].ReasonParams)
	if pages[0].ReasonCode != desk.ReasonPageStarted {
		t.Errorf("page reason code %q, want %q", pages[0].ReasonCode, desk.ReasonPageStarted)
	}
	if active, err := f.s.ActivePages(ctx(t), 10); err != nil || len(active) != 1 || active[0].ID != pages[0].ID {
		t.Fatalf("active pages after start: %+v, %v", active, err)
	}

	claimed, err := f.s.ClaimPages(ctx(t), at(1), time.Minute, 10)
	must(t, err)
	if len(claimed) != 1 || claimed[0].Attempts != 1 || claimed[0].ClaimedUntil == nil {
		t.Fatalf("claimed %+v", claimed)
	}
	again, err := f.s.ClaimPages(ctx(t), at(1), time.Minute, 10)
	must(t, err)
	if len(again) != 0 {
		t.Fatalf("claimed twice within the lease: %+v", again)
	}
	p := claimed[0]
	stale := *p
	stale.ClaimedUntil = ptr(at(0))
	next := at(6)
	p.Step, p.NextAt = 1, &next
	dl := []desk.PageDelivery{
		{PageID: p.ID, TicketID: tk.ID, UserID: f.agent.ID, Kind: desk.ContactEmail, Target: f.agent.Email,
			Payload: map[string]string{"ticket": tk.Number}, CreatedAt: at(1), DueAt: at(1)},
		{PageID: p.ID, TicketID: tk.ID, UserID: f.agent.ID, Kind: desk.ContactSlack, Target: "https://hooks.example.com/s",
			Payload: map[string]string{"ticket": tk.Number}, CreatedAt: at(1), DueAt: at(3)},
	}
	wantCode(t, "step under an old claim", f.s.StepPage(ctx(t), desk.PageOutcome{Page: &stale, Deliveries: dl}), desk.ECONFLICT)
	must(t, f.s.StepPage(ctx(t), desk.PageOutcome{Page: p, Deliveries: dl, Events: []desk.Event{{Kind: desk.EventPaged}}}))
	wantCode(t, "step twice", f.s.StepPage(ctx(t), desk.PageOutcome{Page: p}), desk.ECONFLICT)
	if c, _ := f.s.ClaimPages(ctx(t), at(5), time.Minute, 10); len(c) != 0 {
		t.Fatalf("claimed before next_at: %+v", c)
	}

	ds, err := f.s.ClaimPageDeliveries(ctx(t), at(2), time.Minute, 10)
	must(t, err)
	if len(ds) != 1 || ds[0].Kind != desk.ContactEmail || ds[0].Payload["ticket"] != tk.Number {
		t.Fatalf("due deliveries %+v", ds)
	}
	// Another instance sweeping within the lease finds nothing to send.
	if again, _ := f.s.ClaimPageDeliveries(ctx(t), at(2).Add(30*time.Second), time.Minute, 10); len(again) != 0 {
		t.Fatalf("delivery claimed again within its lease: %+v", again)
	}
	mail := &desk.OutboxMessage{Kind: desk.OutboxOnCallPage, TicketID: tk.ID, UserID: f.agent.ID, Payload: map[string]string{"ack_url": "u"}}
	must(t, f.s.PageDelivered(ctx(t), ds[0], at(2), mail))
	wantCode(t, "delivered twice", f.s.PageDelivered(ctx(t), ds[0], at(2), mail), desk.ECONFLICT)
	out, err := f.s.Outbox(ctx(t), tk.ID)
	must(t, err)
	if len(out) != 1 || out[0].Kind != desk.OutboxOnCallPage || out[0].UserID != f.agent.ID {
		t.Fatalf("outbox %+v", out)
	}

	// Acknowledged: the queued slack message is canceled, the event added.
	by := &desk.Ref{ID: f.agent.ID}
	ended, err := f.s.EndPages(ctx(t), desk.PageEnd{TicketID: tk.ID, State: desk.PageAcknowledged, By: by, At: at(2),
		Event: func(p *desk.Page) desk.Event {
			return desk.Event{Kind: desk.EventPageAcknowledged, At: at(2), Actor: by}
		}})
	must(t, err)
	if len(ended) != 1 || ended[0].State != desk.PageAcknowledged || ended[0].AckedBy == nil || ended[0].AckedBy.Name != f.agent.Name {
		t.Fatalf("ended %+v", ended)
	}
	if again, _ := f.s.EndPages(ctx(t), desk.PageEnd{TicketID: tk.ID, State: desk.PageResolved, At: at(3),
		Event: func(*desk.Page) desk.Event { return desk.Event{Kind: desk.EventPageResolved} }}); len(again) != 0 {
		t.Fatalf("ended twice: %+v", again)
	}
	if active, err := f.s.ActivePages(ctx(t), 10); err != nil || len(active) != 0 {
		t.Fatalf("active pages after ack: %+v, %v", active, err)
	}
	all, err := f.s.PageDeliveries(ctx(t), p.ID)
	must(t, err)
	if len(all) != 2 || all[0].State() != "sent" || all[1].State() != "canceled" {
		t.Fatalf("deliveries after ack: %+v %+v", all[0], all[1])
	}
	if c, _ := f.s.ClaimPageDeliveries(ctx(t), at(10), time.Minute, 10); len(c) != 0 {
		t.Fatalf("canceled delivery claimed: %+v", c)
	}
	// A new page may start now that the first ended.
	must(t, f.s.HandleTimer(ctx(t), desk.TimerOutcome{Ticket: tk, Pages: []desk.Page{page}}))
	if pages, _ := f.s.TicketPages(ctx(t), tk.ID); len(pages) != 2 {
		t.Fatalf("second page not started: %d", len(pages))
	}
	testDeliveryRetry(t, f, p.ID, tk.ID)
}

func testDeliveryRetry(t *testing.T, f *fixture, pageID, ticketID int64) {
	at := func(min int) time.Time { return base.Add(time.Duration(min) * time.Minute) }
	pages, _ := f.s.TicketPages(ctx(t), ticketID)
	p := pages[len(pages)-1]
	claimed, err := f.s.ClaimPages(ctx(t), at(20), time.Minute, 10)
	must(t, err)
	if len(claimed) != 1 || claimed[0].ID != p.ID {
		t.Fatalf("claim second page: %+v", claimed)
	}
	q := claimed[0]
	q.Step = 1
	must(t, f.s.StepPage(ctx(t), desk.PageOutcome{Page: q, Deliveries: []desk.PageDelivery{{PageID: q.ID, TicketID: ticketID,
		UserID: f.agent.ID, Kind: desk.ContactWebhook, Target: "https://x.example.com", CreatedAt: at(20), DueAt: at(20)}}}))
	ds, err := f.s.ClaimPageDeliveries(ctx(t), at(20), time.Minute, 10)
	must(t, err)
	if len(ds) != 1 {
		t.Fatalf("claim webhook delivery: %+v", ds)
	}
	must(t, f.s.PageDeliveryRetry(ctx(t), ds[0], "503 Service Unavailable", ptr(at(21)), at(20)))
	ds, _ = f.s.ClaimPageDeliveries(ctx(t), at(21), time.Minute, 10)
	if len(ds) != 1 || ds[0].Attempts != 2 || ds[0].LastError != "503 Service Unavailable" {
		t.Fatalf("retried delivery %+v", ds)
	}
	must(t, f.s.PageDeliveryRetry(ctx(t), ds[0], "gave up", nil, at(21)))
	failed, err := f.s.FailedPageDeliveries(ctx(t), 0, 10)
	must(t, err)
	if len(failed) != 1 || failed[0].State() != "failed" || failed[0].LastError != "gave up" {
		t.Fatalf("failed %+v", failed)
	}
	if more, _ := f.s.FailedPageDeliveries(ctx(t), failed[0].ID, 10); len(more) != 0 {
		t.Fatalf("failed before the first: %+v", more)
	}

	k1, err := f.s.PagingSecret(ctx(t), []byte("first"))
	must(t, err)
	k2, err := f.s.PagingSecret(ctx(t), []byte("second"))
	must(t, err)
	if !bytes.Equal(k1, []byte("first")) || !bytes.Equal(k2, k1) {
		t.Errorf("paging secret %q then %q, want the first kept", k1, k2)
	}
}
