package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// testMajor checks the major-incident store: insert and read back, the
// version check, a ticket child of one major incident only, entries and
// key marks, updates, and the one active incident per rule and service.
func testMajor(t *testing.T, open Opener) {
	f := newFixture(t, open)
	ms, ok := f.s.(major.Store)
	if !ok {
		t.Skip("store keeps no major incidents")
	}
	parent := f.create(t, f.ticket("Mail down", 0))
	kid := f.create(t, f.ticket("No mail here", 1))
	m := &major.Incident{TicketID: parent.ID, Title: parent.Title, Priority: desk.P1, State: major.StateActive,
		CommanderID: f.agent.ID, Cadence: 30 * time.Minute, NextUpdateDue: base.Add(30 * time.Minute), DeclaredAt: base,
		DeclaredBy: f.agent.ID, Trigger: "manual", Responders: []int64{f.agent.ID}}
	must(t, ms.SaveMajor(ctx(t), major.Save{Incident: m, Entries: []major.Entry{{At: base, ActorID: f.agent.ID, Kind: major.EntryDeclared, Text: "declared", Key: true,
		Code: desk.ReasonMajorDeclared, Params: desk.ReasonParams{"ticket": parent.Number, "cadence": "30m0s"}}},
		Children: []major.Child{{TicketID: kid.ID, AttachedAt: base, AttachedBy: f.agent.ID}}}))
	got, err := ms.GetMajor(ctx(t), m.ID)
	must(t, err)
	if got.Number != parent.Number || got.Version != 1 || got.Cadence != 30*time.Minute || len(got.Responders) != 1 || !got.NextUpdateDue.Equal(m.NextUpdateDue) {
		t.Errorf("read back %+v", got)
	}
	byKid, err := ms.MajorOfTicket(ctx(t), kid.ID)
	must(t, err)
	if byKid.ID != m.ID {
		t.Errorf("major of child = %d", byKid.ID)
	}
	stale := *got
	got.PagedFor = got.NextUpdateDue
	must(t, ms.SaveMajor(ctx(t), major.Save{Incident: got}))
	stale.WarnedFor = stale.NextUpdateDue
	wantCode(t, "second save from the same version", ms.SaveMajor(ctx(t), major.Save{Incident: &stale}), desk.ESTALE)
	other := &major.Incident{TicketID: f.create(t, f.ticket("Other", 2)).ID, Title: "Other", Priority: desk.P2, State: major.StateActive,
		CommanderID: f.agent.ID, Cadence: time.Hour, NextUpdateDue: base.Add(time.Hour), DeclaredAt: base, Trigger: "manual"}
	err = ms.SaveMajor(ctx(t), major.Save{Incident: other, Children: []major.Child{{TicketID: kid.ID, AttachedAt: base}}})
	wantCode(t, "a child of two major incidents", err, desk.ECONFLICT)
	if other.ID != 0 {
		t.Errorf("refused insert kept id %d", other.ID)
	}
	if _, err := ms.MajorOfTicket(ctx(t), other.TicketID); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("refused major incident stored: %v", err)
	}
	entries, err := ms.Entries(ctx(t), m.ID)
	must(t, err)
	if len(entries) != 1 || entries[0].Actor != f.agent.Name || !entries[0].Key || entries[0].Code != desk.ReasonMajorDeclared ||
		entries[0].Params["ticket"] != parent.Number {
		t.Fatalf("entries %+v", entries)
	}
	must(t, ms.MarkKey(ctx(t), m.ID, entries[0].ID, 0, false))
	evs, err := f.s.ListEvents(ctx(t), kid.ID, desk.EventFilter{Limit: 10})
	must(t, err)
	must(t, ms.MarkKey(ctx(t), m.ID, 0, evs.Events[0].ID, true))
	foreign := f.create(t, f.ticket("Unrelated", 3))
	fevs, err := f.s.ListEvents(ctx(t), foreign.ID, desk.EventFilter{Limit: 10})
	must(t, err)
	wantCode(t, "marking another ticket's event", ms.MarkKey(ctx(t), m.ID, 0, fevs.Events[0].ID, true), desk.ENOTFOUND)
	keys, err := ms.KeyEvents(ctx(t), m.ID)
	must(t, err)
	if len(keys) != 1 || !keys[evs.Events[0].ID] {
		t.Errorf("key events %v", keys)
	}
}

// testStatusPage checks the status page store: the version moves with
// every change, component changes are recorded and read from a date, a
// notice key is queued once, a maintenance notice is given once, and
// webhook deliveries are claimed by one claimer.
func testStatusPage(t *testing.T, open Opener) {
	f := newFixture(t, open)
	ss, ok := f.s.(statuspage.Store)
	if !ok {
		t.Skip("store keeps no status page")
	}
	v0, err := ss.StatusVersion(ctx(t))
	must(t, err)
	c := &statuspage.Component{Name: "Mail", Status: statuspage.Operational, CreatedAt: base, UpdatedAt: base}
	must(t, ss.SaveComponent(ctx(t), c))
	c.Status, c.UpdatedAt = statuspage.MajorOutage, base.Add(time.Hour)
	must(t, ss.SaveComponent(ctx(t), c))
	c.Name, c.UpdatedAt = "E-mail", base.Add(2*time.Hour) // same state: no change recorded
	must(t, ss.SaveComponent(ctx(t), c))
	v1, err := ss.StatusVersion(ctx(t))
	must(t, err)
	if v1 != v0+3 {
		t.Errorf("version %d after three saves from %d", v1, v0)
	}
	ch, err := ss.Changes(ctx(t), base.Add(30*time.Minute))
	must(t, err)
	if got := ch[c.ID]; len(got) != 2 || got[0].Status != statuspage.Operational || got[1].Status != statuspage.MajorOutage {
		t.Errorf("changes from 09:30: %+v (want the state before and the change)", got)
	}
	in := &statuspage.Incident{Name: "Mail is down", Status: statuspage.Investigating, Impact: statuspage.ImpactMajor, CreatedAt: base, UpdatedAt: base}
	q := &statuspage.Queue{Key: "k1", Outbox: []desk.OutboxMessage{{Kind: statuspage.OutboxNotice, Payload: map[string]string{"to": "a@example.com"}}}}
	must(t, ss.SaveIncident(ctx(t), in, &statuspage.IncidentUpdate{Status: in.Status, Body: "Looking", At: base}, nil, q))
	in.Status = statuspage.Identified
	must(t, ss.SaveIncident(ctx(t), in, &statuspage.IncidentUpdate{Status: in.Status, Body: "Found", At: base.Add(time.Minute)}, nil, q))
	out, err := f.s.Outbox(ctx(t), 0)
	must(t, err)
	if len(out) != 1 {
		t.Errorf("a notice key queued twice: %d messages", len(out))
	}
	read, err := ss.GetIncident(ctx(t), in.ID)
	must(t, err)
	if len(read.Updates) != 2 || read.Updates[0].Body != "Found" {
		t.Errorf("updates newest first: %+v", read.Updates)
	}
	m := &statuspage.Maintenance{Name: "Upgrade", StartsAt: base.Add(time.Hour), EndsAt: base.Add(2 * time.Hour), CreatedAt: base}
	must(t, ss.SaveMaintenance(ctx(t), m, nil))
	must(t, ss.MarkMaintenance(ctx(t), m.ID, "start", base.Add(time.Hour), nil))
	wantCode(t, "second start notice", ss.MarkMaintenance(ctx(t), m.ID, "start", base.Add(time.Hour), nil), desk.ECONFLICT)
	w := &statuspage.Webhook{URL: "https://hooks.example.com/x", Secret: "0123456789abcdef", Active: true, CreatedAt: base}
	must(t, ss.CreateWebhook(ctx(t), w))
	must(t, ss.SaveIncident(ctx(t), in, &statuspage.IncidentUpdate{Status: in.Status, Body: "Hook", At: base.Add(2 * time.Minute)}, nil,
		&statuspage.Queue{Hooks: []statuspage.HookDelivery{{WebhookID: w.ID, Body: []byte(`{}`)}}}))
	first, err := ss.ClaimHooks(ctx(t), base, time.Minute, 10)
	must(t, err)
	second, err := ss.ClaimHooks(ctx(t), base, time.Minute, 10)
	must(t, err)
	if len(first) != 1 || len(second) != 0 || first[0].URL != w.URL {
		t.Fatalf("claims %+v then %+v", first, second)
	}
	must(t, ss.HookDone(ctx(t), first[0], "", nil, base))
	wantCode(t, "marking twice", ss.HookDone(ctx(t), first[0], "", nil, base), desk.ECONFLICT)
	n1, err := ss.CountRequest(ctx(t), "10.0.0.1", base.Truncate(time.Hour))
	must(t, err)
	n2, err := ss.CountRequest(ctx(t), "10.0.0.1", base.Truncate(time.Hour))
	must(t, err)
	if n1 != 1 || n2 != 2 {
		t.Errorf("counts %d, %d", n1, n2)
	}
}
