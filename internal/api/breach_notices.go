package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// Notification records of a security case (issue 14;
// desk/breach_notices.go): the case's members read them and their
// documents, its owners prepare, send and version them.

type noticeJSON struct {
	ID          int64  `json:"id"`
	Ticket      string `json:"ticket"`
	Kind        string `json:"kind"`
	Recipient   string `json:"recipient"`
	Regime      string `json:"regime"`
	Lang        string `json:"lang"`
	Series      int64  `json:"series"`
	Version     int    `json:"version"`
	Supplements *int64 `json:"supplements"`
	breach.Content
	State           string   `json:"state"`
	Rev             int      `json:"rev"`
	SentAt          *string  `json:"sent_at"`
	Via             string   `json:"via"`
	Reference       string   `json:"reference"`
	DelayReasons    string   `json:"delay_reasons"`
	NotNotifyGround string   `json:"not_notify_ground"`
	NotNotifyReason string   `json:"not_notify_reason"`
	Missing         []string `json:"missing"`
	CreatedBy       string   `json:"created_by"`
	CreatedAt       string   `json:"created_at"`
	SentBy          string   `json:"sent_by"`
}

func noticeView(number string, n *breach.Notice) noticeJSON {
	v := noticeJSON{ID: n.ID, Ticket: number, Kind: string(n.Kind), Recipient: string(n.Kind.Recipient()),
		Regime: string(n.Kind.Regime()), Lang: n.Lang, Series: n.Series, Version: n.Version, Content: n.Content,
		State: string(n.State), Rev: n.Rev, SentAt: optTime(n.SentAt), Via: n.Via, Reference: n.Reference,
		DelayReasons: n.DelayReasons, NotNotifyGround: n.NotNotifyGround, NotNotifyReason: n.NotNotifyReason,
		Missing: []string{}, CreatedBy: n.CreatedByName, CreatedAt: rfc3339(n.CreatedAt), SentBy: n.SentByName}
	if v.Regime == "" {
		v.Regime = "any"
	}
	if n.Supplements != 0 {
		v.Supplements = &n.Supplements
	}
	if !n.Final() {
		for _, f := range breach.CheckComplete(n) {
			v.Missing = append(v.Missing, f.Field)
		}
	}
	return v
}

// listNotices lists a case's notices, every version.
func (s *server) listNotices(w http.ResponseWriter, r *http.Request) error {
	t, ns, err := s.desk.BreachNotices(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]noticeJSON, len(ns))
	for i, n := range ns {
		out[i] = noticeView(t.Number, n)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": out})
	return nil
}

type sendingBody struct {
	SentAt          string `json:"sent_at"`
	Via             string `json:"via"`
	Reference       string `json:"reference"`
	DelayReasons    string `json:"delay_reasons"`
	NotNotifyGround string `json:"not_notify_ground"`
	NotNotifyReason string `json:"not_notify_reason"`
}

func (b *sendingBody) sending() (*breach.Sending, error) {
	s := &breach.Sending{Via: b.Via, Reference: b.Reference, DelayReasons: b.DelayReasons,
		NotNotifyGround: b.NotNotifyGround, NotNotifyReason: b.NotNotifyReason}
	if b.SentAt != "" {
		at, err := time.Parse(time.RFC3339, b.SentAt)
		if err != nil {
			return nil, fieldProblem("sent_at", desk.RuleInvalidFmt, desk.Params{"format": "date-time"},
				"must be a time with its offset, such as 2026-12-07T09:30:00+01:00")
		}
		s.At = at
	}
	return s, nil
}

type noticeBody struct {
	Kind        string `json:"kind"`
	Lang        string `json:"lang"`
	Supplements int64  `json:"supplements"`
	Rev         int    `json:"rev"`
	breach.Content
	Sent *sendingBody `json:"sent"`
}

func (b *noticeBody) input() (desk.BreachNoticeInput, error) {
	in := desk.BreachNoticeInput{Kind: breach.NoticeKind(b.Kind), Lang: b.Lang, Supplements: b.Supplements,
		Content: b.Content, Rev: b.Rev}
	if b.Sent != nil {
		send, err := b.Sent.sending()
		if err != nil {
			return in, err
		}
		in.Send = send
	}
	return in, nil
}

// createNotice prepares a notice (and with "sent" records it as sent).
func (s *server) createNotice(w http.ResponseWriter, r *http.Request) error {
	var b noticeBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in, err := b.input()
	if err != nil {
		return err
	}
	n, err := s.desk.CreateBreachNotice(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return s.writeNotice(w, r, http.StatusCreated, n.ID)
}

func (s *server) writeNotice(w http.ResponseWriter, r *http.Request, status int, id int64) error {
	t, n, err := s.desk.BreachNotice(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/breach/notices/"+strconv.FormatInt(n.ID, 10))
	writeJSON(w, status, noticeView(t.Number, n))
	return nil
}

// getNotice shows one notice.
func (s *server) getNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "nid", "notice")
	if err != nil {
		return err
	}
	return s.writeNotice(w, r, http.StatusOK, id)
}

// putNotice changes a draft; a sent notice is refused (409 notice_sent).
func (s *server) putNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "nid", "notice")
	if err != nil {
		return err
	}
	var b noticeBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	if b.Kind != "" {
		return fieldProblem("kind", desk.RuleNotAllowed, nil, "a notice's kind is not changed: prepare another notice")
	}
	in, err := b.input()
	if err != nil {
		return err
	}
	if _, err := s.desk.UpdateBreachNotice(r.Context(), id, in); err != nil {
		return err
	}
	return s.writeNotice(w, r, http.StatusOK, id)
}

type noticeSendingBody struct {
	Rev int `json:"rev"`
	sendingBody
}

// sendNotice records when and how a draft was sent, or the decision not
// to notify the data subjects.
func (s *server) sendNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "nid", "notice")
	if err != nil {
		return err
	}
	var b noticeSendingBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	send, err := b.sending()
	if err != nil {
		return err
	}
	if _, err := s.desk.SendBreachNotice(r.Context(), id, b.Rev, *send); err != nil {
		return err
	}
	return s.writeNotice(w, r, http.StatusOK, id)
}

// versionNotice starts a new draft version of a sent notice.
func (s *server) versionNotice(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "nid", "notice")
	if err != nil {
		return err
	}
	n, err := s.desk.NewBreachNoticeVersion(r.Context(), id)
	if err != nil {
		return err
	}
	return s.writeNotice(w, r, http.StatusCreated, n.ID)
}

// noticeDocument serves a notice's document as text or printable HTML,
// its times in the zone asked (UTC by default).
func (s *server) noticeDocument(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "nid", "notice")
	if err != nil {
		return err
	}
	q := newQuery(r, "format", "zone")
	format := q.str("format")
	if format == "" {
		format = "text"
	}
	if format != "text" && format != "html" {
		q.fail("format", desk.RuleOneOf, desk.Params{"allowed": []string{"text", "html"}}, "must be text or html")
	}
	zone := time.UTC
	if z := q.str("zone"); z != "" {
		loc, err := time.LoadLocation(z)
		if err != nil || z == "Local" {
			q.fail("zone", desk.RuleInvalidZone, nil, "must be a named IANA time zone such as Europe/Berlin")
		} else {
			zone = loc
		}
	}
	if err := q.err(); err != nil {
		return err
	}
	_, doc, err := s.desk.BreachNoticeDocument(r.Context(), id, zone)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if format == "html" {
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(doc.HTML())
		return nil
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(doc.Text()))
	return nil
}
