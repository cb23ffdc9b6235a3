package api

import (
	"cmp"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

func TestOutbox_List(t *testing.T) {
	e := newEnv(t)
	st := e.store.(*sqlstore.Store)
	ctx := context.Background()
	tk := e.alice.createTicket(ticketIn("Printer on fire"))
	ticket, err := st.GetTicket(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	msgs := []desk.OutboxMessage{
		{Kind: desk.OutboxSLABreached, TicketID: tk.ID, UserID: e.mgr.userID, Payload: map[string]string{"ticket": tk.Number}},
		{Kind: desk.OutboxPage, TicketID: tk.ID, GroupID: e.vendor.ID, Payload: map[string]string{"ticket": tk.Number}},
	}
	if err := st.HandleTimer(ctx, desk.TimerOutcome{Ticket: ticket, Outbox: msgs}); err != nil {
		t.Fatal(err)
	}
	// The first one is refused for good by the relay.
	claimed, err := st.ClaimOutbox(ctx, time.Now(), time.Minute, 1)
	if err != nil || len(claimed) != 1 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	if err := st.OutboxRetry(ctx, claimed[0], "550 5.1.1 no such user", nil, time.Now()); err != nil {
		t.Fatal(err)
	}

	failed := decode[outboxListJSON](t, e.admin.get("/api/v1/outbox?state=failed").want(t, 200))
	if len(failed.Messages) != 1 || failed.Messages[0].LastError == nil || *failed.Messages[0].LastError != "550 5.1.1 no such user" ||
		failed.Messages[0].State != desk.OutboxFailed || failed.Messages[0].Attempts != 1 || failed.Messages[0].FailedAt == nil {
		t.Errorf("failed = %+v", failed)
	}
	// Queued: the page, after the registration's notices to the group.
	queued := decode[outboxListJSON](t, e.admin.get("/api/v1/outbox").want(t, 200))
	if len(queued.Messages) == 0 || queued.Messages[0].Kind != desk.OutboxPage || queued.Messages[0].GroupID == nil {
		t.Errorf("queued = %+v", queued)
	}
	sent := decode[outboxListJSON](t, e.admin.get("/api/v1/outbox?state=sent&limit=5").want(t, 200))
	if len(sent.Messages) != 0 || sent.NextCursor != nil {
		t.Errorf("sent = %+v", sent)
	}
	e.agent.get("/api/v1/outbox").want(t, 403)
	e.anon.get("/api/v1/outbox").want(t, 401)
	e.admin.get("/api/v1/outbox?state=lost", invalid).want(t, 422)
}

func TestOutbox_Pages(t *testing.T) {
	e := newEnv(t)
	st := e.store.(*sqlstore.Store)
	ctx := context.Background()
	tk := e.alice.createTicket(ticketIn("Many notices"))
	ticket, err := st.GetTicket(ctx, tk.ID)
	if err != nil {
		t.Fatal(err)
	}
	before, err := st.ListOutbox(ctx, desk.OutboxQueued, 0, 100) // the registration's notices
	if err != nil {
		t.Fatal(err)
	}
	var msgs []desk.OutboxMessage
	for range 5 {
		msgs = append(msgs, desk.OutboxMessage{Kind: desk.OutboxSLAWarning, TicketID: tk.ID, GroupID: e.sd.ID, Payload: map[string]string{}})
	}
	if err := st.HandleTimer(ctx, desk.TimerOutcome{Ticket: ticket, Outbox: msgs}); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	path := "/api/v1/outbox?limit=2"
	for range 10 {
		page := decode[outboxListJSON](t, e.admin.get(path).want(t, 200))
		for _, m := range page.Messages {
			ids = append(ids, m.ID)
		}
		if page.NextCursor == nil {
			break
		}
		path = "/api/v1/outbox?limit=2&cursor=" + *page.NextCursor
	}
	if len(ids) != 5+len(before) || !slices.IsSortedFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) }) {
		t.Errorf("pages gave ids %v, want %d newest first", ids, 5+len(before))
	}
}
