package web

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// A notification record's page (issue 14; desk/breach_notices.go): the
// draft's form with the fields the law lists for its kind, recording it
// as sent (when, how, and the reasons for the delay when late) or, for
// the data subjects, the decision not to notify them; a sent notice is
// kept as sent and corrected by a new version. Its document opens as a
// printable page in its language, or with the headings in the other.
func init() {
	registerArea("security_notice", func(s *server) {
		s.get("/breach/notices/{id}", staffOnly, s.noticePage)
		s.post("/breach/notices/{id}", staffOnly, s.noticeSave)
		s.post("/breach/notices/{id}/sending", staffOnly, s.noticeSend)
		s.post("/breach/notices/{id}/decision", staffOnly, s.noticeDecide)
		s.post("/breach/notices/{id}/versions", staffOnly, s.noticeVersion)
		s.get("/breach/notices/{id}/document", staffOnly, s.noticeDocument)
	})
}

// noticeField is one field of a notice's form.
type noticeField struct {
	Name     string
	Label    string // catalogue key
	Long     bool   // a textarea
	Number   bool
	Required bool
	Value    string
}

// noticeFieldNames are the fields the form of a notice of kind k shows:
// what the law lists for it (breach.Required), and where the persons who
// caused an incident are known, them.
func noticeFieldNames(k breach.NoticeKind) []string {
	if k == breach.Notice152Results {
		return []string{"results", "culprits"}
	}
	return breach.Required(k)
}

var shortNoticeFields = []string{"subject_categories", "record_categories", "contact_name", "contact_details"}

func noticeFields(l *lang, n *breach.Notice) []noticeField {
	required := breach.Required(n.Kind)
	if n.Kind == breach.NoticeGDPRAuthority && n.Supplements != 0 {
		required = nil // a supplement gives what is new
	}
	var out []noticeField
	for _, name := range noticeFieldNames(n.Kind) {
		f := noticeField{Name: name, Label: noticeLabel(l, n.Kind, name), Required: slices.Contains(required, name),
			Long: !slices.Contains(shortNoticeFields, name), Value: contentValue(&n.Content, name)}
		if name == "subjects_approx" || name == "records_approx" {
			f.Number, f.Long = true, false
		}
		out = append(out, f)
	}
	return out
}

// noticeLabel is the catalogue key of a field's label in a notice of
// kind k: the 152-FZ words where the law words it otherwise.
func noticeLabel(l *lang, k breach.NoticeKind, field string) string {
	key := "breach.field." + field
	if k.Regime() == breach.FZ152 && l.Has(key+".152fz") {
		return key + ".152fz"
	}
	return key
}

// contentValue is one field of c as a form shows it.
func contentValue(c *breach.Content, name string) string {
	switch name {
	case "subjects_approx", "records_approx":
		v := c.SubjectsApprox
		if name == "records_approx" {
			v = c.RecordsApprox
		}
		if v == 0 {
			return ""
		}
		return strconv.FormatInt(v, 10)
	}
	if p := contentText(c, name); p != nil {
		return *p
	}
	return ""
}

func contentText(c *breach.Content, name string) *string {
	return map[string]*string{"nature": &c.Nature, "subject_categories": &c.SubjectCategories,
		"record_categories": &c.RecordCategories, "contact_name": &c.ContactName, "contact_details": &c.ContactDetails,
		"consequences": &c.Consequences, "measures": &c.Measures, "causes": &c.Causes, "results": &c.Results,
		"culprits": &c.Culprits}[name]
}

// noticeView is the notice page's data.
type noticeView struct {
	T        *desk.Ticket
	N        *breach.Notice
	Owner    bool
	Fields   []noticeField
	Missing  []string // catalogue keys of the fields still empty that the law asks for
	Versions []*breach.Notice
	First    *breach.Notice    // the notice this one follows
	Clocks   []breachClockView // the deadline it stops (none: no clock, or a supplement)
	Late     bool              // the deadline has passed: a sending now needs the reasons for the delay
	Now      time.Time
	Zone     string
	UTC      bool
	SentAt   string // the sending's default time: now, in Zone
	Via      []string
	Grounds  []string
	Langs    []string
}

func (s *server) noticeID(rq *request) (int64, error) {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "no notice %q", rq.r.PathValue("id"))
	}
	return id, nil
}

func (s *server) noticePage(rq *request) error {
	return s.renderNotice(rq, http.StatusOK, nil, nil)
}

func (s *server) renderNotice(rq *request, status int, form url.Values, errs map[string]string) error {
	id, err := s.noticeID(rq)
	if err != nil {
		return err
	}
	t, n, err := s.desk.BreachNotice(rq.ctx, id)
	if err != nil {
		return err
	}
	_, all, err := s.desk.BreachNotices(rq.ctx, t.Number)
	if err != nil {
		return err
	}
	st, err := s.desk.BreachStatusOf(rq.ctx, t)
	if err != nil || st == nil {
		return desk.Errorf(desk.ENOTFOUND, "no notice %d", id)
	}
	now := s.desk.Now()
	v := noticeView{T: t, N: n, Owner: s.desk.OwnsSecurityCase(rq.ctx, t), Fields: noticeFields(rq.lang, n), Now: now,
		Zone: rq.loc.String(), UTC: rq.loc.String() == "UTC", SentAt: localInput(now, rq.loc), Via: breach.SentVia,
		Grounds: breach.NotNotifyGrounds, Langs: breach.Languages}
	for _, o := range all {
		if o.Series == n.Series {
			v.Versions = append(v.Versions, o)
		}
		if o.ID == n.Supplements {
			v.First = o
		}
	}
	if !n.Final() {
		for _, f := range breach.CheckComplete(n) {
			v.Missing = append(v.Missing, noticeLabel(rq.lang, n.Kind, f.Field))
		}
	}
	if k, ok := n.Kind.Clock(); ok && !(n.Kind == breach.NoticeGDPRAuthority && n.Supplements != 0) {
		for _, c := range breachClockViews(st.Clocks, now) {
			if c.Kind == k {
				v.Clocks = []breachClockView{c}
				v.Late = now.After(c.Due)
			}
		}
	}
	return rq.renderForm(status, "security_notice", v, form, errs)
}

// noticeFormBack renders the notice page again after a refused form: its
// fields' errors under the form's name (a missing field of the content
// under the draft's form, where it is filled in).
func (s *server) noticeFormBack(rq *request, form string, err error) error {
	f := rq.r.PostForm
	f.Set("form", form)
	errs := map[string]string{}
	var content breach.Content
	for k, msg := range fieldErrors(rq, err) {
		where := form
		if contentText(&content, k) != nil || k == "subjects_approx" || k == "records_approx" {
			where = "edit"
			errs[""] = rq.lang.T("breach.notice.incomplete")
		}
		errs[where+"."+k] = msg
	}
	if fe, ok := lateError(rq, err); ok {
		errs[form+".delay_reasons"] = fe
	}
	if err := refusedForm(rq, err, errs, "breach.notice.stale"); err != nil {
		return err
	}
	return s.renderNotice(rq, http.StatusUnprocessableEntity, f, errs)
}

// lateError words the refusal of a late sending without its reasons,
// naming the deadline in the viewer's zone.
func lateError(rq *request, err error) (string, bool) {
	var de *desk.Error
	if !errors.As(err, &de) {
		return "", false
	}
	for _, f := range de.Fields {
		if f.Field != "delay_reasons" || f.Rule != desk.RuleRequired {
			continue
		}
		due, _ := f.Params["deadline"].(string)
		if at, err := time.Parse(time.RFC3339, due); err == nil {
			return rq.lang.T("breach.notice.late", rq.lang.datetime(at, rq.loc)), true
		}
	}
	return "", false
}

// noticeContent reads the draft form's content; a number that is not one
// is a message for its field.
func noticeContent(rq *request, n *breach.Notice) (breach.Content, map[string]string) {
	f := rq.r.PostForm
	c := n.Content
	errs := map[string]string{}
	for _, name := range noticeFieldNames(n.Kind) {
		if p := contentText(&c, name); p != nil {
			*p = f.Get(name)
			continue
		}
		raw := strings.TrimSpace(f.Get(name))
		var v int64
		if raw != "" {
			var err error
			if v, err = strconv.ParseInt(strings.ReplaceAll(raw, " ", ""), 10, 64); err != nil {
				errs["edit."+name] = rq.lang.T("breach.number.bad")
			}
		}
		if name == "subjects_approx" {
			c.SubjectsApprox = v
		} else {
			c.RecordsApprox = v
		}
	}
	return c, errs
}

// noticeSave changes a draft's content and language.
func (s *server) noticeSave(rq *request) error {
	id, err := s.noticeID(rq)
	if err != nil {
		return err
	}
	_, n, err := s.desk.BreachNotice(rq.ctx, id)
	if err != nil {
		return err
	}
	c, errs := noticeContent(rq, n)
	if len(errs) > 0 {
		rq.r.PostForm.Set("form", "edit")
		return s.renderNotice(rq, http.StatusUnprocessableEntity, rq.r.PostForm, errs)
	}
	rev, _ := strconv.Atoi(rq.r.PostFormValue("rev"))
	if _, err := s.desk.UpdateBreachNotice(rq.ctx, id, desk.BreachNoticeInput{Lang: rq.r.PostFormValue("lang"), Content: c, Rev: rev}); err != nil {
		return s.noticeFormBack(rq, "edit", err)
	}
	return rq.redirect("/breach/notices/" + strconv.FormatInt(id, 10) + "?done=breach_notice_saved")
}

// noticeSend records when and how the draft was sent.
func (s *server) noticeSend(rq *request) error {
	f := rq.r.PostForm
	send := breach.Sending{Via: f.Get("via"), Reference: f.Get("reference"), DelayReasons: f.Get("delay_reasons")}
	return s.noticeSending(rq, "send", send)
}

// noticeDecide records the decision not to notify the data subjects.
func (s *server) noticeDecide(rq *request) error {
	f := rq.r.PostForm
	send := breach.Sending{NotNotifyGround: f.Get("not_notify_ground"), NotNotifyReason: f.Get("not_notify_reason")}
	if send.NotNotifyGround == "" && strings.TrimSpace(send.NotNotifyReason) == "" {
		f.Set("form", "decide")
		return s.renderNotice(rq, http.StatusUnprocessableEntity, f, map[string]string{"decide.not_notify_ground": rq.lang.T("rule.required")})
	}
	return s.noticeSending(rq, "decide", send)
}

func (s *server) noticeSending(rq *request, form string, send breach.Sending) error {
	id, err := s.noticeID(rq)
	if err != nil {
		return err
	}
	f := rq.r.PostForm
	at, msg := rq.instantField(strings.TrimSpace(f.Get("sent_at")), f.Get("zone"))
	if msg != "" {
		f.Set("form", form)
		return s.renderNotice(rq, http.StatusUnprocessableEntity, f, map[string]string{form + ".sent_at": msg})
	}
	send.At = at
	rev, _ := strconv.Atoi(f.Get("rev"))
	if _, err := s.desk.SendBreachNotice(rq.ctx, id, rev, send); err != nil {
		return s.noticeFormBack(rq, form, err)
	}
	return rq.redirect("/breach/notices/" + strconv.FormatInt(id, 10) + "?done=breach_notice_" + form)
}

// noticeVersion starts a new draft version of a sent notice, to correct it.
func (s *server) noticeVersion(rq *request) error {
	id, err := s.noticeID(rq)
	if err != nil {
		return err
	}
	n, err := s.desk.NewBreachNoticeVersion(rq.ctx, id)
	if err != nil {
		return s.noticeFormBack(rq, "version", err)
	}
	return rq.redirect("/breach/notices/" + strconv.FormatInt(n.ID, 10) + "?done=breach_notice_version")
}

var docStyleRE = regexp.MustCompile(`(?s)<style>(.*?)</style>`)

// noticeDocument serves a notice's document, its times in the viewer's
// zone: printable HTML (its own page, its style allowed by its hash) or
// text; in the notice's language, or with lang the headings in another.
func (s *server) noticeDocument(rq *request) error {
	id, err := s.noticeID(rq)
	if err != nil {
		return err
	}
	q := rq.r.URL.Query()
	n, doc, err := s.desk.BreachNoticeDocument(rq.ctx, id, rq.loc)
	if err != nil {
		return err
	}
	if lang := q.Get("lang"); lang != "" && lang != n.Lang {
		if !slices.Contains(breach.Languages, lang) {
			return desk.Errorf(desk.ENOTFOUND, "no document in %q", lang)
		}
		if doc, err = s.noticeDocumentIn(rq, id, lang); err != nil {
			return err
		}
	}
	h := rq.w.Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Language", doc.Lang)
	if q.Get("format") == "text" {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		rq.w.WriteHeader(http.StatusOK)
		_, err = rq.w.Write([]byte(doc.Text()))
		return err
	}
	b := doc.HTML()
	style := "'none'"
	if m := docStyleRE.FindSubmatch(b); m != nil {
		sum := sha256.Sum256(m[1])
		style = "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	h.Set("Content-Security-Policy", "default-src 'none'; style-src "+style+"; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	rq.w.WriteHeader(http.StatusOK)
	_, err = rq.w.Write(b)
	return err
}

// noticeDocumentIn is a notice's document with the headings in lang (the
// notice's own words stay as written).
func (s *server) noticeDocumentIn(rq *request, id int64, lang string) (breach.Document, error) {
	t, n, err := s.desk.BreachNotice(rq.ctx, id)
	if err != nil {
		return breach.Document{}, err
	}
	var first *breach.Notice
	if n.Supplements != 0 {
		if _, first, err = s.desk.BreachNotice(rq.ctx, n.Supplements); err != nil {
			return breach.Document{}, err
		}
	}
	c := *n
	c.Lang = lang
	facts := breach.CaseFacts{Number: t.Number, Zone: rq.loc}
	if t.Breach != nil {
		facts.AwareAt = t.Breach.AwareAt
	}
	return breach.Render(&c, facts, first), nil
}
