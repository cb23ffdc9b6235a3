package storetest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
)

// auditLister is the store's audit log read (internal/store/sqlstore).
type auditLister interface {
	ListAudit(ctx context.Context, f audit.Filter) (*audit.Page, error)
	SealAudit(ctx context.Context) (int64, error) // chains what PostgreSQL left pending
}

// testEvidence: an item and its file are stored with their first custody
// entry; custody entries append in order, a change checks the version
// (ESTALE, nothing stored), a reference gets its file once; every entry
// is an audit entry.
func testEvidence(t *testing.T, open Opener) {
	f := newFixture(t, open)
	st, ok := f.s.(evidence.Store)
	if !ok {
		t.Skipf("%T keeps no evidence", f.s)
	}
	tk := f.create(t, f.ticket("Compromised account", 0))
	me := &desk.Ref{ID: f.agent.ID, Name: f.agent.Name}
	at := base.Add(time.Hour)
	file := []byte("headers\x00\xff")
	it := &evidence.Item{TicketID: tk.ID, Kind: evidence.KindFile, Title: "Headers", FileName: "h.eml", ContentType: "message/rfc822",
		Size: int64(len(file)), SHA256: "ab", CollectedBy: "Vera", CollectedAt: base, CollectedFrom: "mailbox", Custodian: me,
		HasFile: true, CreatedBy: me, CreatedAt: at, Version: 1}
	must(t, st.AddEvidence(ctx(t), it, file, &evidence.Custody{At: at, Actor: me, Action: evidence.ActionCollected, To: me.Name, SHA256: "ab", Address: "192.0.2.1"}))
	got, err := st.Evidence(ctx(t), it.ID)
	must(t, err)
	diff(t, "stored item", it, got)
	b, err := st.EvidenceFile(ctx(t), it.ID)
	must(t, err)
	if !bytes.Equal(b, file) {
		t.Errorf("file %q, want %q", b, file)
	}
	_, err = st.Evidence(ctx(t), it.ID+100)
	wantCode(t, "unknown item", err, desk.ENOTFOUND)

	must(t, st.RecordCustody(ctx(t), it, &evidence.Custody{EvidenceID: it.ID, At: at.Add(time.Minute), Actor: me, Action: evidence.ActionViewed}, false, nil))
	stale := *it
	it.Custodian, it.CustodianName = nil, "Officer K"
	must(t, st.RecordCustody(ctx(t), it, &evidence.Custody{EvidenceID: it.ID, At: at.Add(2 * time.Minute), Actor: me,
		Action: evidence.ActionHandedOver, From: me.Name, To: "Officer K", Note: "receipt 1"}, true, nil))
	if it.Version != 2 {
		t.Errorf("version %d after a hand-over, want 2", it.Version)
	}
	stale.Location = "elsewhere"
	err = st.RecordCustody(ctx(t), &stale, &evidence.Custody{EvidenceID: it.ID, At: at.Add(3 * time.Minute), Actor: me,
		Action: evidence.ActionTransferred, To: "elsewhere", Note: "x"}, true, nil)
	wantCode(t, "a change from a stale version", err, desk.ESTALE)
	chain, err := st.CustodyChain(ctx(t), it.ID)
	must(t, err)
	var acts []evidence.Action
	for _, c := range chain {
		acts = append(acts, c.Action)
	}
	diff(t, "chain", []evidence.Action{evidence.ActionCollected, evidence.ActionViewed, evidence.ActionHandedOver}, acts)
	got, err = st.Evidence(ctx(t), it.ID)
	must(t, err)
	if got.Custodian != nil || got.CustodianName != "Officer K" || got.Location != "" {
		t.Errorf("after the hand-over and the refused move: %+v", got)
	}

	ref := &evidence.Item{TicketID: tk.ID, Kind: evidence.KindReference, Title: "Disk image", Location: "s3://x", CollectedBy: "DFIR",
		CollectedAt: base, CollectedFrom: "laptop", Custodian: me, CreatedBy: me, CreatedAt: at, Version: 1}
	must(t, st.AddEvidence(ctx(t), ref, nil, &evidence.Custody{At: at, Actor: me, Action: evidence.ActionCollected}))
	_, err = st.EvidenceFile(ctx(t), ref.ID)
	wantCode(t, "a reference's file", err, desk.ENOTFOUND)
	ref.HasFile, ref.FileName, ref.Size, ref.SHA256 = true, "disk.img", 3, "cd"
	must(t, st.RecordCustody(ctx(t), ref, &evidence.Custody{EvidenceID: ref.ID, At: at, Actor: me, Action: evidence.ActionFileAdded}, true, []byte("img")))
	if b, err := st.EvidenceFile(ctx(t), ref.ID); err != nil || string(b) != "img" {
		t.Errorf("the reference's file: %q %v", b, err)
	}
	list, err := st.ListEvidence(ctx(t), tk.ID)
	must(t, err)
	if len(list) != 2 || list[0].ID != it.ID || !list[1].HasFile {
		t.Errorf("list: %+v", list)
	}
	if al, ok := f.s.(auditLister); ok {
		_, err := al.SealAudit(ctx(t))
		must(t, err)
		page, err := al.ListAudit(ctx(t), audit.Filter{Kind: "evidence.", Limit: 50})
		must(t, err)
		if len(page.Entries) != 5 {
			t.Errorf("%d evidence audit entries, want 5 (one per custody entry)", len(page.Entries))
		}
	}
}
