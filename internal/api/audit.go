package api

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// auditEntryJSON is one entry of the audit log.
type auditEntryJSON struct {
	Seq     int64  `json:"seq"`
	At      string `json:"at"`
	ActorID int64  `json:"actor_id,omitempty"`
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Detail  any    `json:"detail"`
	Hash    string `json:"hash"`
	// Redacted: the entry is about a security case the reader is not on;
	// Detail is withheld ({}).
	Redacted bool `json:"redacted,omitempty"`
}

func (s *server) requireAudit() error {
	if s.opts.Audit == nil {
		return httpError(http.StatusNotFound, "this server has no audit log")
	}
	return nil
}

// listAudit lists the audit log, newest first, filtered by actor, kind (a
// family when it ends with a dot), subject and time.
func (s *server) listAudit(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAudit(); err != nil {
		return err
	}
	q := newQuery(r, "actor_id", "kind", "subject", "from", "to", "cursor", "limit")
	f := audit.Filter{ActorID: q.id("actor_id", nil), Kind: strings.TrimSpace(q.str("kind")),
		Subject: strings.TrimSpace(q.str("subject")), From: q.time("from"), To: q.time("to"),
		Cursor: q.str("cursor"), Limit: q.limit()}
	if f.From != nil && f.To != nil && !f.To.After(*f.From) {
		q.fail("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from")
	}
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.opts.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	items := make([]auditEntryJSON, 0, len(page.Entries))
	for _, e := range page.Entries {
		items = append(items, auditEntryJSON{Seq: e.Seq, At: e.At.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
			ActorID: e.ActorID, Kind: e.Kind, Subject: e.Subject, Detail: json.RawMessage(e.Detail), Hash: hex.EncodeToString(e.Hash), Redacted: e.Redacted})
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": items, "next_cursor": page.NextCursor})
	return nil
}

// verifyAudit checks the whole chain and reports the first broken entry.
func (s *server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAudit(); err != nil {
		return err
	}
	rep, err := s.opts.Audit.Verify(r.Context(), nil)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"ok": rep.OK(), "entries": rep.Entries, "head_seq": rep.HeadSeq,
		"head_hash": rep.HeadHash, "pending": rep.Pending, "anchors": rep.Anchors, "broken": rep.Broken,
		"seconds": rep.Took.Seconds()})
	return nil
}

// createAuditAnchor records an anchor at the chain's head and returns it,
// for the administrator to keep outside the desk.
func (s *server) createAuditAnchor(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireAudit(); err != nil {
		return err
	}
	a, err := s.opts.Audit.Anchor(r.Context())
	if err != nil {
		return err
	}
	if a == nil {
		return desk.Errorf(desk.ECONFLICT, "the audit log is empty: nothing to anchor yet")
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}
