package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// While a requester writes a report in the portal (issue 13), the form
// shows what the desk can tell from it without showing anything that is
// not theirs: what it looks like (something broken or something needed)
// and which service, as the triage model reads the words (Use these, or
// Alt+A, fills both in), and their own earlier tickets like it, so that
// they can follow one already open instead of reporting it twice. Other
// people's tickets are never shown (the desk's similar tickets for a
// requester are their own only, and never security cases); the matching
// public articles are beside the form (knowledge_portal.go). Categories
// and groups are the desk's own filing and are not offered here.

func init() {
	registerArea("portal_assist", func(s *server) {
		s.get("/report/assist", signedIn, s.reportAssistPart)
	})
}

// reportAssist is the panel under the report form's details.
type reportAssist struct {
	Kind    string // broken or need, as the model reads the text; "": no suggestion
	Service string // the service's name; "": none
	Applied bool   // the form holds both already
	Similar []desk.SimilarTicket
}

// typeKinds maps a ticket type to the report form's answer.
var typeKinds = map[string]string{string(desk.TypeIncident): "broken", string(desk.TypeRequest): "need"}

// reportAssistPanel works out the panel for the form's input; nil when
// nothing is typed yet.
func (s *server) reportAssistPanel(rq *request, f url.Values) (*reportAssist, error) {
	title, desc := f.Get("title"), f.Get("description")
	if strings.TrimSpace(title+desc) == "" {
		return nil, nil
	}
	a := &reportAssist{}
	if s.opts.Triage != nil {
		sg, err := s.opts.Triage.SuggestReport(rq.ctx, title, desc)
		if err != nil {
			return nil, err
		}
		for _, x := range sg.Fields {
			switch x.Field {
			case "type":
				a.Kind = typeKinds[x.Value]
			case "service":
				a.Service = x.Value
			}
		}
	}
	a.Applied = (a.Kind == "" || f.Get("kind") == a.Kind) && (a.Service == "" || strings.EqualFold(f.Get("service"), a.Service))
	var err error
	a.Similar, err = s.desk.SimilarToText(rq.ctx, desk.SimilarQuery{Title: title, Description: desc, Open: true})
	return a, err
}

// acceptReportSuggestions fills the form's kind and service from the
// model's reading, as Use these does without JavaScript.
func (s *server) acceptReportSuggestions(rq *request, f url.Values) error {
	f.Del("accept")
	a, err := s.reportAssistPanel(rq, f)
	if err != nil || a == nil {
		return err
	}
	if a.Kind != "" {
		f.Set("kind", a.Kind)
	}
	if a.Service != "" {
		f.Set("service", a.Service)
	}
	return nil
}

// reportAssistPart answers report-assist.js: the panel alone, as HTML.
func (s *server) reportAssistPart(rq *request) error {
	f := rq.r.URL.Query()
	a, err := s.reportAssistPanel(rq, f)
	if err != nil {
		return err
	}
	return rq.renderPart(http.StatusOK, "portal_report", "report_assist", reportView{Assist: a}, f)
}
