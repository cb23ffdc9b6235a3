package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The report form asks plain questions and maps the answers to the
// ticket's type, impact and urgency. Line 1 can correct any of them.
var (
	// kindTypes: is something broken (an incident) or is something wanted
	// (a service request)?
	kindTypes = map[string]desk.TicketType{"broken": desk.TypeIncident, "need": desk.TypeRequest}
	// peopleImpact: how many people it stops from working.
	peopleImpact = map[string]desk.Level{"me": desk.LevelLow, "some": desk.LevelMedium, "many": desk.LevelHigh}
	// soonUrgency: how soon it blocks them.
	soonUrgency = map[string]desk.Level{"later": desk.LevelLow, "today": desk.LevelMedium, "now": desk.LevelHigh}
)

type reportView struct {
	Services []*desk.Service
	Key      string // idempotency key of this form: a double submit registers one ticket
	MaxFile  int64
	KB       *kbReport     // matching public articles (knowledge_portal.go); nil: no knowledge base
	Assist   *reportAssist // what the desk reads from the report (portal_assist.go); nil: nothing typed
}

func (s *server) reportPage(rq *request) error {
	return s.renderReport(rq, http.StatusOK, url.Values{"key": {randomToken()}}, nil)
}

func (s *server) renderReport(rq *request, status int, form url.Values, errs map[string]string) error {
	all, err := s.desk.Services(rq.ctx)
	if err != nil {
		return err
	}
	var svcs []*desk.Service
	for _, svc := range all {
		if !svc.Retired {
			svcs = append(svcs, svc)
		}
	}
	kb, err := s.kbReportPanel(rq, form.Get("title"), form.Get("description"))
	if err != nil {
		return err
	}
	assist, err := s.reportAssistPanel(rq, form)
	if err != nil {
		return err
	}
	return rq.renderForm(status, "portal_report", reportView{Services: svcs, Key: form.Get("key"), MaxFile: s.desk.AttachmentMaxBytes(),
		KB: kb, Assist: assist}, form, errs)
}

func (s *server) report(rq *request) error {
	f := rq.r.PostForm
	if f.Get("find") != "" { // "Find answers": the form again, with the articles matching it
		return s.renderReport(rq, http.StatusOK, f, nil)
	}
	if f.Get("accept") != "" { // "Use these": the form again, with the suggested kind and service
		if err := s.acceptReportSuggestions(rq, f); err != nil {
			return err
		}
		return s.renderReport(rq, http.StatusOK, f, nil)
	}
	errs := map[string]string{}
	typ, ok := kindTypes[f.Get("kind")]
	if !ok {
		errs["kind"] = rq.lang.T("report.err.kind")
	}
	impact, ok := peopleImpact[f.Get("people")]
	if !ok {
		errs["people"] = rq.lang.T("report.err.people")
	}
	urgency, ok := soonUrgency[f.Get("soon")]
	if !ok {
		errs["soon"] = rq.lang.T("report.err.soon")
	}
	if strings.TrimSpace(f.Get("title")) == "" {
		errs["title"] = rq.lang.T("form.required")
	}
	svcID, err := s.serviceByName(rq, f.Get("service"))
	if err != nil {
		errs["service"] = rq.lang.T("report.err.service")
	}
	files, ferrs, err := s.formFiles(rq)
	if err != nil {
		return err
	}
	for k, v := range ferrs {
		errs[k] = v
	}
	if len(errs) > 0 {
		return s.renderReport(rq, http.StatusUnprocessableEntity, f, errs)
	}
	t, _, err := s.desk.CreateTicket(rq.ctx, desk.NewTicket{Type: typ, Title: f.Get("title"),
		Description: f.Get("description"), Channel: desk.ChannelPortal, Impact: impact, Urgency: urgency,
		ServiceID: svcID, Security: f.Get("compromised") == "yes"}, f.Get("key"))
	if fe := fieldErrors(rq, err); fe != nil {
		return s.renderReport(rq, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	if len(files) > 0 {
		if _, _, err := s.desk.Attach(rq.ctx, t.Number, desk.AttachInput{Files: files}); err != nil {
			return err
		}
	}
	if err := s.kbKeepShown(rq, t.Number, f["shown"]); err != nil {
		return err
	}
	return rq.redirect("/tickets/" + t.Number + "?done=reported")
}

// serviceByName finds the active service the requester picked from the
// searchable list ("" is none).
func (s *server) serviceByName(rq *request, name string) (int64, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return 0, nil
	}
	all, err := s.desk.Services(rq.ctx)
	if err != nil {
		return 0, err
	}
	for _, svc := range all {
		if !svc.Retired && strings.EqualFold(svc.Name, name) {
			return svc.ID, nil
		}
	}
	return 0, errors.New("no such service")
}
