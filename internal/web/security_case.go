package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// The security case's page (issue 14; desk/breach_case.go and
// breach_notices.go): its breach record (when the organisation became
// aware, which regimes apply, each with a reason), the regulators' clocks
// in the viewer's own zone with what is left or how late, and its
// notification records. Its members read it; its owners (the security
// group, the case's assignee) change it. Anyone else finds no such page,
// as with the ticket itself: an administrator who is not a member grants
// themselves access first (/security/access).
func init() {
	registerArea("security_case", func(s *server) {
		s.get("/tickets/{ref}/breach", staffOnly, s.securityCase)
		s.post("/tickets/{ref}/breach/awareness", staffOnly, s.securityAwareness)
		s.post("/tickets/{ref}/breach/regime", staffOnly, s.securityRegime)
		s.post("/tickets/{ref}/breach/notices", staffOnly, s.securityNoticeCreate)
	})
}

// securityCaseView is the case page's data.
type securityCaseView struct {
	T       *desk.Ticket
	Status  *desk.BreachStatus
	Clocks  []breachClockView
	Now     time.Time
	Zone    string // the viewer's zone, which times are typed and shown in
	UTC     bool   // the viewer's zone is UTC: no zone to choose
	Aware   string // the awareness as a datetime-local value in Zone
	Regimes []breach.Regime
	Notices []*breach.Notice
	// Kinds are the notices the case's regimes ask for; Firsts the sent
	// first notices a supplement may follow; Langs a document's languages.
	Kinds  []breach.NoticeKind
	Firsts []*breach.Notice
	Langs  []string
	// Playbook is the case's playbook (playbook.go).
	Playbook *playbookPanel
}

// caseTicket reads the security case ref for a case page: a ticket that
// is not one is no such page (404), like a case the viewer is not on.
func (s *server) caseTicket(rq *request) (*desk.Ticket, *desk.BreachStatus, error) {
	t, st, err := s.desk.BreachCaseOf(rq.ctx, rq.ref())
	if desk.ErrorCode(err) == desk.ECONFLICT || err == nil && st == nil {
		return nil, nil, desk.Errorf(desk.ENOTFOUND, "no security case %q", rq.ref())
	}
	return t, st, err
}

func (s *server) securityCase(rq *request) error {
	return s.renderSecurityCase(rq, http.StatusOK, nil, nil)
}

func (s *server) renderSecurityCase(rq *request, status int, form url.Values, errs map[string]string) error {
	t, st, err := s.caseTicket(rq)
	if err != nil {
		return err
	}
	_, ns, err := s.desk.BreachNotices(rq.ctx, t.Number)
	if err != nil {
		return err
	}
	now := s.desk.Now()
	v := securityCaseView{T: t, Status: st, Clocks: breachClockViews(st.Clocks, now), Now: now, Zone: rq.loc.String(),
		UTC: rq.loc.String() == "UTC", Regimes: desk.BreachRegimes(), Notices: ns, Langs: breach.Languages}
	if st.Case.AwareAt != nil {
		v.Aware = localInput(*st.Case.AwareAt, rq.loc)
	}
	for _, k := range breach.NoticeKinds {
		if k.Applies(st.Case.Regime) && st.Case.Regime != "" {
			v.Kinds = append(v.Kinds, k)
		}
	}
	for _, n := range ns {
		if n.State == breach.NoticeSent && n.Supplements == 0 && (n.Kind == breach.NoticeGDPRAuthority || n.Kind == breach.Notice152First) {
			v.Firsts = append(v.Firsts, n)
		}
	}
	if v.Playbook, err = s.playbookTicketPanel(rq, t); err != nil {
		return err
	}
	return rq.renderForm(status, "security_case", v, form, errs)
}

// caseFormBack renders the case page again after a refused form: the
// fields' errors under the form's name, a stale case or a refusal above.
func (s *server) caseFormBack(rq *request, form string, err error) error {
	f := rq.r.PostForm
	f.Set("form", form)
	errs := map[string]string{}
	for k, msg := range fieldErrors(rq, err) {
		errs[form+"."+k] = msg
	}
	if err := refusedForm(rq, err, errs, "breach.stale"); err != nil {
		return err
	}
	return s.renderSecurityCase(rq, http.StatusUnprocessableEntity, f, errs)
}

// refusedForm words a refused form for its page: the fields' errors
// already in errs, else a record changed meanwhile (staleKey) or a
// refusal, above the forms; any other error is returned to fail the page.
func refusedForm(rq *request, err error, errs map[string]string, staleKey string) error {
	switch c := desk.ErrorCode(err); {
	case len(errs) > 0:
	case c == desk.ESTALE:
		errs[""] = rq.lang.T(staleKey)
	case c == desk.ECONFLICT || c == desk.EFORBIDDEN:
		errs[""] = rq.errorText(err)
	default:
		return err
	}
	return nil
}

func (rq *request) caseDone(ref, done string) error {
	return rq.redirect("/tickets/" + url.PathEscape(ref) + "/breach?done=" + done)
}

// securityAwareness records when the organisation became aware, typed in
// the viewer's zone (or UTC).
func (s *server) securityAwareness(rq *request) error {
	f := rq.r.PostForm
	version, _ := formVersion(rq)
	at, msg := rq.instantField(strings.TrimSpace(f.Get("aware_at")), f.Get("zone"))
	if msg != "" {
		f.Set("form", "aware")
		return s.renderSecurityCase(rq, http.StatusUnprocessableEntity, f, map[string]string{"aware.aware_at": msg})
	}
	t, err := s.desk.SetBreachAwareness(rq.ctx, rq.ref(), desk.BreachAwarenessInput{AwareAt: at, Reason: f.Get("reason"), IfVersion: version})
	if err != nil {
		return s.caseFormBack(rq, "aware", err)
	}
	return rq.caseDone(t.Number, "breach_aware")
}

// securityRegime records which regimes apply.
func (s *server) securityRegime(rq *request) error {
	f := rq.r.PostForm
	version, _ := formVersion(rq)
	t, err := s.desk.SetBreachRegime(rq.ctx, rq.ref(), desk.BreachRegimeInput{Regime: breach.Regime(f.Get("regime")),
		Reason: f.Get("reason"), IfVersion: version})
	if err != nil {
		return s.caseFormBack(rq, "regime", err)
	}
	return rq.caseDone(t.Number, "breach_regime")
}

// securityNoticeCreate starts a draft notice of a kind, language and (for
// a supplement) the first notice it follows, then opens it to be filled.
func (s *server) securityNoticeCreate(rq *request) error {
	f := rq.r.PostForm
	in := desk.BreachNoticeInput{Kind: breach.NoticeKind(f.Get("kind")), Lang: f.Get("lang")}
	if sup := f.Get("supplements"); sup != "" {
		id, err := strconv.ParseInt(sup, 10, 64)
		if err != nil || id <= 0 {
			f.Set("form", "notice")
			return s.renderSecurityCase(rq, http.StatusUnprocessableEntity, f,
				map[string]string{"notice.supplements": rq.lang.T("rule.invalid_format.id")})
		}
		in.Supplements = id
	}
	n, err := s.desk.CreateBreachNotice(rq.ctx, rq.ref(), in)
	if err != nil {
		return s.caseFormBack(rq, "notice", err)
	}
	return rq.redirect("/breach/notices/" + strconv.FormatInt(n.ID, 10) + "?done=breach_notice_created")
}
