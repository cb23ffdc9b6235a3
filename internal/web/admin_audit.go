package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// Administration → Audit log: the tamper-evident log of every write,
// newest first, filtered by who, what kind, which record and when; the
// chain's head and last anchor, a verification on demand and the export of
// an anchor to keep outside the desk. Registered when the server has the
// log (Options.Audit); administrators only (audit.Service decides).
func init() {
	registerArea("admin_audit", func(s *server) {
		if s.opts.Audit == nil {
			return
		}
		s.get("/admin/audit", staffOnly, s.adminAudit)
		s.post("/admin/audit/anchor", staffOnly, s.adminAuditAnchor)
		s.addNav(navItem{Path: "/admin/audit", Key: "nav.admin_audit", Who: staffOnly, Order: 60, Admin: true})
	})
}

// adminAuditPage is how many entries one page shows.
const adminAuditPage = 50

type adminAuditView struct {
	Actor, Kind, Subject, From, To string // the filter as typed
	Families                       []auditOption
	SubjectLabel                   string // the record filtered to, worded (chosen by a link in the list)
	Problem                        string // catalogue key of a filter that cannot be read
	Rows                           []auditRow
	NextPath                       string
	Verified                       *audit.Report // when asked for (?verify=1)
	Anchor                         *audit.Anchor
}

// auditRow is an entry as the page shows it: every word in the viewer's
// language.
type auditRow struct {
	Seq         int64
	At          time.Time
	Actor       string
	Kind        string
	Subject     string
	SubjectPath string // the list filtered to the entry's record
	Details     []auditDetail
	Redacted    bool // about a security case the reader is not on: no details
	Hash        string
}

type auditDetail struct{ Label, Value string }

type auditOption struct{ Value, Label string }

func (s *server) adminAudit(rq *request) error {
	if _, err := requireAdminPage(rq); err != nil {
		return err
	}
	q := rq.r.URL.Query()
	v := adminAuditView{Actor: strings.TrimSpace(q.Get("actor")), Kind: q.Get("kind"), Subject: strings.TrimSpace(q.Get("subject")),
		From: q.Get("from"), To: q.Get("to")}
	for _, fam := range audit.Families() {
		v.Families = append(v.Families, auditOption{fam, rq.lang.enum("audit.family", strings.TrimSuffix(fam, "."))})
	}
	f, err := s.auditFilter(rq, &v)
	if err != nil {
		return err
	}
	f.Cursor, f.Limit = q.Get("after"), adminAuditPage
	page := &audit.Page{}
	if v.Problem == "" {
		if page, err = s.opts.Audit.List(rq.ctx, f); desk.ErrorCode(err) == desk.EINVALID {
			v.Problem, page, err = "audit.bad_cursor", &audit.Page{}, nil
		}
		if err != nil {
			return err
		}
	}
	names := map[int64]string{}
	for _, e := range page.Entries {
		v.Rows = append(v.Rows, s.auditRow(rq, e, names))
	}
	if page.NextCursor != "" {
		q.Set("after", page.NextCursor)
		q.Del("verify")
		v.NextPath = "/admin/audit?" + q.Encode()
	}
	if q.Get("verify") != "" {
		if v.Verified, err = s.opts.Audit.Verify(rq.ctx, nil); err != nil {
			return err
		}
	}
	if v.Anchor, err = s.opts.Audit.LatestAnchor(rq.ctx); err != nil {
		return err
	}
	return rq.ok("admin_audit", v)
}

// auditFilter reads the filter form: the actor by e-mail address or id,
// the kind's family, the record, and dates in the viewer's zone. What it
// cannot read is named in v.Problem.
func (s *server) auditFilter(rq *request, v *adminAuditView) (audit.Filter, error) {
	var f audit.Filter
	if v.Actor != "" {
		id, err := strconv.ParseInt(v.Actor, 10, 64)
		if err != nil {
			if id, err = s.userByEmail(rq, v.Actor); err != nil || id == 0 {
				v.Problem = "audit.bad_actor"
				return f, err
			}
		}
		f.ActorID = &id
	}
	for _, fam := range v.Families {
		if v.Kind == fam.Value {
			f.Kind = fam.Value
		}
	}
	if f.Subject = v.Subject; f.Subject != "" {
		v.SubjectLabel = subjectLabel(rq.lang, f.Subject)
	}
	for _, d := range []struct {
		in  string
		out **time.Time
		add int
	}{{v.From, &f.From, 0}, {v.To, &f.To, 1}} {
		if d.in == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", d.in, rq.loc)
		if err != nil {
			v.Problem = "audit.bad_date"
			return f, nil
		}
		t = t.AddDate(0, 0, d.add)
		*d.out = &t
	}
	return f, nil
}

// userByEmail finds the user with exactly this e-mail address (0: none).
func (s *server) userByEmail(rq *request, email string) (int64, error) {
	page, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Query: email, Limit: desk.MaxPageSize})
	if err != nil {
		return 0, err
	}
	for _, u := range page.Users {
		if strings.EqualFold(u.Email, email) {
			return u.ID, nil
		}
	}
	return 0, nil
}

func (s *server) auditRow(rq *request, e *audit.Entry, names map[int64]string) auditRow {
	l := rq.lang
	r := auditRow{Seq: e.Seq, At: e.At, Kind: l.enum("audit.kind", e.Kind), Hash: fmt.Sprintf("%x", e.Hash)}
	r.Actor = l.T("audit.system")
	if e.ActorID != 0 {
		if _, ok := names[e.ActorID]; !ok {
			names[e.ActorID] = fmt.Sprintf("#%d", e.ActorID)
			if u, err := s.desk.User(rq.ctx, e.ActorID); err == nil {
				names[e.ActorID] = u.Name
			}
		}
		r.Actor = names[e.ActorID]
	}
	r.Subject = subjectLabel(l, e.Subject)
	r.SubjectPath = "/admin/audit?subject=" + url.QueryEscape(e.Subject)
	r.Details, r.Redacted = auditDetails(l, e.Kind, e.Detail), e.Redacted
	return r
}

// subjectLabel words a subject: "ticket/42" as the record's kind and id,
// a failed sign-in's "email:…" or "client:…" as the address.
func subjectLabel(l *lang, subject string) string {
	kind, id, ok := strings.Cut(subject, "/")
	if !ok {
		kind, id, _ = strings.Cut(subject, ":")
	}
	if _, err := strconv.ParseInt(id, 10, 64); err != nil {
		id = l.enum("audit.subject", id) // a setting's or an import's name
	}
	return strings.TrimSpace(l.enum("audit.subject", kind) + " " + id)
}

// auditDetails words an entry's detail: each key by the catalogue, values
// of the desk's own vocabularies (types, channels, roles, event kinds,
// fields; a breach notice's kind and state) by theirs, names and numbers
// as they are.
func auditDetails(l *lang, kind, detail string) []auditDetail {
	var m map[string]any
	if json.Unmarshal([]byte(detail), &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]auditDetail, 0, len(keys))
	for _, k := range keys {
		v := auditValue(l, k, m[k])
		if p, ok := noticeVocab[k]; ok && strings.HasPrefix(kind, "breach.notice_") {
			v = l.enum(p, fmt.Sprint(m[k]))
		}
		out = append(out, auditDetail{Label: l.enum("audit.detail", k), Value: v})
	}
	return out
}

// auditVocab is the catalogue prefix of a detail key's values.
var auditVocab = map[string]string{"type": "type", "channel": "channel", "role": "role", "events": "event.kind",
	"state": "kb.state", "language": "audit.language", "permission": "audit.permission", "kind": "audit.linkkind",
	"mode": "audit.mode", "component_status": "status.component", "incident_status": "status.incident", "method": "audit.method",
	"phase": "playbook.phase", "lang": "lang"}

// noticeVocab is the catalogue prefix of a breach notice's detail values
// (breach.notice_* entries), whose "kind" and "state" are the notice's.
var noticeVocab = map[string]string{"kind": "breach.notice", "state": "breach.notice.state"}

func auditValue(l *lang, key string, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return l.T("audit.yes")
		}
		return l.T("audit.no")
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if key == "fields" {
			return l.fieldName(x)
		}
		if p, ok := auditVocab[key]; ok {
			return l.enum(p, x)
		}
		return x
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = auditValue(l, key, e)
		}
		return strings.Join(parts, ", ")
	}
	return fmt.Sprint(v)
}

// adminAuditAnchor records an anchor at the chain's head and sends it as a
// file to keep outside the desk (tierdesk audit verify --anchor FILE).
func (s *server) adminAuditAnchor(rq *request) error {
	a, err := s.opts.Audit.Anchor(rq.ctx)
	if err != nil {
		return err
	}
	if a == nil {
		return desk.Errorf(desk.ECONFLICT, "the audit log is empty: nothing to anchor yet")
	}
	rq.w.Header().Set("Content-Type", "application/json")
	rq.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tierdesk-audit-anchor-%d.json"`, a.Seq))
	rq.w.WriteHeader(http.StatusOK)
	return json.NewEncoder(rq.w).Encode(a)
}
