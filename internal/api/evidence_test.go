package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

type evidenceOut struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	SHA256        string    `json:"sha256"`
	Size          int64     `json:"size"`
	Location      string    `json:"location"`
	Custodian     *desk.Ref `json:"custodian"`
	CustodianName string    `json:"custodian_name"`
	HasFile       bool      `json:"has_file"`
	CollectedBy   string    `json:"collected_by"`
	Version       int       `json:"version"`
	Custody       []struct {
		Action  string    `json:"action"`
		Actor   *desk.Ref `json:"actor"`
		From    string    `json:"from"`
		To      string    `json:"to"`
		SHA256  string    `json:"sha256"`
		Address string    `json:"address"`
	} `json:"custody"`
}

type custodyOut struct {
	Evidence evidenceOut `json:"evidence"`
	Entry    struct {
		Action string `json:"action"`
		SHA256 string `json:"sha256"`
	} `json:"entry"`
	Matches bool `json:"matches"`
}

func hexSHA(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// addEvidenceFile registers a file on the case as c, with fields.
func (e *secEnv) addEvidenceFile(t *testing.T, c *client, name string, content []byte, fields map[string]string) *response {
	t.Helper()
	if fields == nil {
		fields = map[string]string{}
	}
	for k, v := range map[string]string{"title": "Mail headers", "collected_from": "alice's mailbox"} {
		if _, ok := fields[k]; !ok {
			fields[k] = v
		}
	}
	return c.do("POST", ticketURL(e.tk, "/evidence"), nil, multipartBody(t, []upload{{name: name, contentType: "text/plain", content: content}}, fields))
}

func (e *secEnv) custody(t *testing.T, c *client, id int64) evidenceOut {
	t.Helper()
	return decode[evidenceOut](t, c.get(fmt.Sprintf("/api/v1/evidence/%d", id)).want(t, http.StatusOK))
}

func actions(ev evidenceOut) string {
	var out []string
	for _, c := range ev.Custody {
		out = append(out, c.Action)
	}
	return strings.Join(out, ",")
}

// TestEvidence_ChainOfCustody follows a file through its life on a
// security case: recorded with its SHA-256, opened, downloaded (only ever
// as a download), moved, handed over to a member and to the police,
// verified, tampered with in the database and verified again, a copy
// compared; a reference to evidence kept elsewhere gets its file later.
// Every step is a custody entry and an audit entry; nothing is mailed.
func TestEvidence_ChainOfCustody(t *testing.T) {
	e := newSecEnv(t)
	e.mark(t)
	outboxBefore := e.lastOutboxID(t)
	content := []byte("Received: from mx.evil.example (203.0.113.7)\r\n")
	ev := decode[evidenceOut](t, e.addEvidenceFile(t, e.sec, "headers.eml", content,
		map[string]string{"sha256": strings.ToUpper(hexSHA(content))}).want(t, http.StatusCreated))
	if ev.SHA256 != hexSHA(content) || ev.Size != int64(len(content)) || ev.Kind != "file" || !ev.HasFile {
		t.Fatalf("recorded %+v", ev)
	}
	if ev.Custodian == nil || ev.Custodian.ID != e.sec.userID || ev.CollectedBy != "Sasha Security" {
		t.Errorf("custodian %+v collected by %q, want the recorder", ev.Custodian, ev.CollectedBy)
	}
	list := decode[struct {
		Evidence []evidenceOut `json:"evidence"`
	}](t, e.sec.get(ticketURL(e.tk, "/evidence")).want(t, http.StatusOK))
	if len(list.Evidence) != 2 || list.Evidence[1].ID != ev.ID { // the case's own item (mark) and this one
		t.Errorf("list: %+v", list)
	}
	got := e.custody(t, e.sec, ev.ID)
	if actions(got) != "collected,viewed" || got.Custody[0].SHA256 != hexSHA(content) || got.Custody[1].Address != "127.0.0.1" {
		t.Errorf("chain after opening: %+v", got.Custody)
	}

	r := e.sec.get(fmt.Sprintf("/api/v1/evidence/%d/file", ev.ID)).want(t, http.StatusOK)
	if !bytes.Equal(r.body, content) || r.header.Get("Content-Type") != "application/octet-stream" ||
		!strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment;") || r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download: %v %q", r.header, r.body)
	}

	e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/transfers", ev.ID), map[string]any{"location": "Forensic store, case 14", "note": "off the laptop"}).want(t, http.StatusOK)
	p := problemOf(t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/handovers", ev.ID),
		map[string]any{"to_user_id": e.l2.userID, "note": "for analysis"}).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Rule != desk.RuleNotAllowed {
		t.Errorf("hand-over to a non-member: %+v", p)
	}
	e.sec.do("POST", ticketURL(e.tk, "/security/members"), map[string]any{"reason": "forensics", "user_id": e.l2.userID}).want(t, http.StatusOK)
	e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/handovers", ev.ID), map[string]any{"to_user_id": e.l2.userID, "note": "for analysis"},
		withHeader("If-Match", etag(1))).want(t, http.StatusPreconditionFailed) // moved since version 1
	ho := decode[evidenceOut](t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/handovers", ev.ID),
		map[string]any{"to_user_id": e.l2.userID, "note": "for analysis"}, withHeader("If-Match", etag(2))).want(t, http.StatusOK))
	if ho.Custodian == nil || ho.Custodian.ID != e.l2.userID || ho.Version != 3 {
		t.Errorf("after the hand-over: %+v", ho)
	}
	problemOf(t, e.l2.do("POST", fmt.Sprintf("/api/v1/evidence/%d/handovers", ev.ID),
		map[string]any{"to_user_id": e.sec.userID, "to_name": "Officer K", "note": "x"}).want(t, http.StatusUnprocessableEntity))
	ho = decode[evidenceOut](t, e.l2.do("POST", fmt.Sprintf("/api/v1/evidence/%d/handovers", ev.ID),
		map[string]any{"to_name": "Officer K, Berlin police, badge 4711", "note": "receipt 2026-118"}).want(t, http.StatusOK))
	if ho.Custodian != nil || ho.CustodianName != "Officer K, Berlin police, badge 4711" {
		t.Errorf("after the hand-over to the police: %+v", ho)
	}

	v := decode[custodyOut](t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/verifications", ev.ID), nil).want(t, http.StatusCreated))
	if !v.Matches || v.Entry.Action != "verified" {
		t.Errorf("verification of the untouched file: %+v", v)
	}
	db := e.store.(*sqlstore.Store).DB()
	if _, err := db.Exec("UPDATE evidence_files SET content = $1 WHERE evidence_id = $2", []byte("rewritten"), ev.ID); err != nil {
		t.Fatal(err)
	}
	v = decode[custodyOut](t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/verifications", ev.ID), nil).want(t, http.StatusCreated))
	if v.Matches || v.Entry.Action != "verify_failed" || v.Entry.SHA256 != hexSHA([]byte("rewritten")) {
		t.Errorf("verification of the rewritten file: %+v", v)
	}
	if _, err := db.Exec("UPDATE evidence_files SET content = $1 WHERE evidence_id = $2", content, ev.ID); err != nil {
		t.Fatal(err)
	}
	// A copy is compared, never stored over the file.
	up := func(c *client, id int64, b []byte) *response {
		return c.do("POST", fmt.Sprintf("/api/v1/evidence/%d/file", id), nil, multipartBody(t, []upload{{name: "copy.eml", contentType: "text/plain", content: b}}, nil))
	}
	if v := decode[custodyOut](t, up(e.sec, ev.ID, content).want(t, http.StatusCreated)); !v.Matches || v.Entry.Action != "verified" {
		t.Errorf("matching copy: %+v", v)
	}
	before := actions(e.custody(t, e.sec, ev.ID))
	p = problemOf(t, up(e.sec, ev.ID, []byte("a different file")).want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Rule != desk.RuleMismatch {
		t.Errorf("mismatching copy: %+v", p)
	}
	final := e.custody(t, e.sec, ev.ID)
	if actions(final) != before+",viewed" {
		t.Errorf("a refused copy left %q, want %q", actions(final), before+",viewed")
	}
	want := "collected,viewed,downloaded,transferred,handed_over,handed_over,verified,verify_failed,verified,viewed,viewed"
	if actions(final) != want {
		t.Errorf("chain %q, want %q", actions(final), want)
	}

	e.referenceGetsItsFile(t)
	e.evidenceAudited(t, ev.ID, len(final.Custody))
	// Evidence never goes out by mail.
	if e.lastOutboxID(t) != outboxBefore {
		t.Errorf("evidence work queued mail (outbox %d → %d)", outboxBefore, e.lastOutboxID(t))
	}
}

func (e *secEnv) referenceGetsItsFile(t *testing.T) {
	t.Helper()
	image := bytes.Repeat([]byte("disk image "), 1000)
	ref := decode[evidenceOut](t, e.sec.do("POST", ticketURL(e.tk, "/evidence"), map[string]any{"title": "Laptop disk image",
		"location": "s3://forensics/inc14/laptop.img", "sha256": hexSHA(image), "collected_from": "Alice's laptop, SN 4C0-22",
		"collected_by": "DFIR Partner GmbH", "collected_at": time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)}).want(t, http.StatusCreated))
	if ref.Kind != "reference" || ref.HasFile || ref.CollectedBy != "DFIR Partner GmbH" {
		t.Errorf("reference: %+v", ref)
	}
	problemOf(t, e.sec.get(fmt.Sprintf("/api/v1/evidence/%d/file", ref.ID)).want(t, http.StatusNotFound))
	problemOf(t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/verifications", ref.ID), nil).want(t, http.StatusUnprocessableEntity))
	bad := e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/file", ref.ID), nil, multipartBody(t, []upload{{name: "laptop.img", content: image[1:]}}, nil))
	if p := problemOf(t, bad.want(t, http.StatusUnprocessableEntity)); len(p.Errors) != 1 || p.Errors[0].Rule != desk.RuleMismatch {
		t.Errorf("re-upload with another hash: %+v", p)
	}
	added := decode[custodyOut](t, e.sec.do("POST", fmt.Sprintf("/api/v1/evidence/%d/file", ref.ID), nil,
		multipartBody(t, []upload{{name: "laptop.img", content: image}}, nil)).want(t, http.StatusCreated))
	if added.Entry.Action != "file_added" || !added.Evidence.HasFile || added.Evidence.Size != int64(len(image)) {
		t.Errorf("the reference's file: %+v", added)
	}
	if r := e.sec.get(fmt.Sprintf("/api/v1/evidence/%d/file", ref.ID)).want(t, http.StatusOK); !bytes.Equal(r.body, image) {
		t.Error("the reference's file downloads changed")
	}
}

// evidenceAudited: every custody entry of the item is an audit entry of
// its kind, and the chain verifies.
func (e *secEnv) evidenceAudited(t *testing.T, id int64, entries int) {
	t.Helper()
	st := e.store.(*sqlstore.Store)
	page, err := st.ListAudit(context.Background(), audit.Filter{Subject: audit.Subject("evidence", id), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != entries {
		t.Errorf("%d audit entries of the item, want one per custody entry (%d)", len(page.Entries), entries)
	}
	for _, en := range page.Entries {
		if !strings.HasPrefix(en.Kind, "evidence.") {
			t.Errorf("audit kind %q", en.Kind)
		}
	}
	rep, err := st.VerifyAudit(context.Background(), nil)
	if err != nil || !rep.OK() {
		t.Errorf("audit chain: %+v %v", rep, err)
	}
}

// TestEvidence_BadInput: refused uploads store nothing: no item, no file,
// no custody or audit entry.
func TestEvidence_BadInput(t *testing.T) {
	e := newSecEnv(t)
	e.mark(t)
	st := e.store.(*sqlstore.Store)
	count := func() (n int) {
		if err := st.DB().QueryRow("SELECT (SELECT COUNT(*) FROM evidence) + (SELECT COUNT(*) FROM evidence_files) + (SELECT COUNT(*) FROM evidence_custody) + (SELECT COUNT(*) FROM audit_log WHERE kind LIKE 'evidence.%')").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rule := func(r *response, status int, field string, want desk.Rule) {
		t.Helper()
		p := problemOf(t, r.want(t, status))
		for _, f := range p.Errors {
			if f.Field == field && f.Rule == want {
				return
			}
		}
		t.Errorf("want %s on %s, got %+v", want, field, p)
	}
	content := []byte("some evidence")
	base := count()
	rule(e.addEvidenceFile(t, e.sec, "empty.txt", nil, nil), http.StatusUnprocessableEntity, "file", desk.RuleTooSmall)
	rule(e.addEvidenceFile(t, e.sec, "x.txt", content, map[string]string{"sha256": hexSHA([]byte("other"))}), http.StatusUnprocessableEntity, "sha256", desk.RuleMismatch)
	rule(e.addEvidenceFile(t, e.sec, "x.txt", content, map[string]string{"sha256": "abc"}), http.StatusUnprocessableEntity, "sha256", desk.RuleInvalidFmt)
	rule(e.addEvidenceFile(t, e.sec, "x.txt", content, map[string]string{"collected_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}),
		http.StatusUnprocessableEntity, "collected_at", desk.RuleInFuture)
	rule(e.addEvidenceFile(t, e.sec, "x.txt", content, map[string]string{"title": " "}), http.StatusUnprocessableEntity, "title", desk.RuleRequired)
	rule(e.sec.do("POST", ticketURL(e.tk, "/evidence"), map[string]any{"title": "Locker", "collected_from": "desk"}, invalid),
		http.StatusUnprocessableEntity, "location", desk.RuleRequired)
	problemOf(t, e.addEvidenceFile(t, e.sec, "big.bin", bytes.Repeat([]byte("x"), 1<<20+1), nil).want(t, http.StatusRequestEntityTooLarge))
	if n := count(); n != base {
		t.Errorf("refused uploads left %d rows", n-base)
	}
	// A ticket that is not a security case keeps no evidence.
	p := problemOf(t, e.agent.do("POST", ticketURL(e.other, "/evidence"), map[string]any{"title": "x", "collected_from": "y", "location": "z"}).want(t, http.StatusConflict))
	if p.Rule != desk.RuleSecurityCase {
		t.Errorf("evidence on an ordinary ticket: %+v", p)
	}
	// The limit itself is accepted.
	e.addEvidenceFile(t, e.sec, "max.bin", bytes.Repeat([]byte("x"), 1<<20), nil).want(t, http.StatusCreated)
}
