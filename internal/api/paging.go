package api

import (
	"html/template"
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Pages: acknowledging and resolving them (staff), reading a ticket's
// pages and the failed deliveries (admins), and the signed links in pages
// (public: the token is the credential).

type pageJSON struct {
	ID         int64              `json:"id"`
	TicketID   int64              `json:"ticket_id"`
	GroupID    int64              `json:"group_id"`
	Policy     string             `json:"policy"`
	Reason     string             `json:"reason"`
	State      desk.PageState     `json:"state"`
	Step       int                `json:"step"`  // steps run in the current round
	Round      int                `json:"round"` // 1 for the first pass
	StartedAt  time.Time          `json:"started_at"`
	NextAt     *time.Time         `json:"next_at"`
	AckedAt    *time.Time         `json:"acknowledged_at"`
	AckedBy    *desk.Ref          `json:"acknowledged_by"`
	EndedAt    *time.Time         `json:"ended_at"`
	Deliveries []pageDeliveryJSON `json:"deliveries,omitempty"`
}

type pageDeliveryJSON struct {
	ID        int64            `json:"id"`
	PageID    int64            `json:"page_id"`
	TicketID  int64            `json:"ticket_id"`
	UserID    int64            `json:"user_id"`
	Kind      desk.ContactKind `json:"kind"`
	Target    string           `json:"target"`
	State     string           `json:"state"`
	DueAt     time.Time        `json:"due_at"`
	Attempts  int              `json:"attempts"`
	LastError *string          `json:"last_error"`
	SentAt    *time.Time       `json:"sent_at"`
	FailedAt  *time.Time       `json:"failed_at"`
}

func pageView(p *desk.Page) pageJSON {
	return pageJSON{ID: p.ID, TicketID: p.TicketID, GroupID: p.GroupID, Policy: p.Policy.Name, Reason: p.Reason, State: p.State,
		Step: p.Step, Round: p.RoundNumber(), StartedAt: p.StartedAt, NextAt: p.NextAt, AckedAt: p.AckedAt, AckedBy: p.AckedBy, EndedAt: p.EndedAt}
}

func deliveryView(d *desk.PageDelivery) pageDeliveryJSON {
	return pageDeliveryJSON{ID: d.ID, PageID: d.PageID, TicketID: d.TicketID, UserID: d.UserID, Kind: d.Kind, Target: d.Target,
		State: d.State(), DueAt: d.DueAt, Attempts: d.Attempts, LastError: nonEmpty(d.LastError), SentAt: d.SentAt, FailedAt: d.FailedAt}
}

func (s *server) acknowledgeTicket(w http.ResponseWriter, r *http.Request) error {
	pages, err := s.desk.AcknowledgePage(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": views(pages, pageView)})
	return nil
}

func (s *server) resolveTicketPages(w http.ResponseWriter, r *http.Request) error {
	pages, err := s.desk.ResolvePage(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": views(pages, pageView)})
	return nil
}

func (s *server) listTicketPages(w http.ResponseWriter, r *http.Request) error {
	pages, err := s.desk.TicketPages(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]pageJSON, len(pages))
	for i, p := range pages {
		out[i] = pageView(p.Page)
		out[i].Deliveries = views(p.Deliveries, deliveryView)
	}
	writeJSON(w, http.StatusOK, map[string]any{"pages": out})
	return nil
}

func (s *server) listFailedPageDeliveries(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "cursor", "limit")
	limit := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	ds, next, err := s.desk.FailedPageDeliveries(r.Context(), q.str("cursor"), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deliveries": views(ds, deliveryView), "next_cursor": cursorJSON(next)})
	return nil
}

// linkPage is the HTML of a signed page link: a confirmation form on GET,
// the outcome after the POST. Everything is escaped by html/template.
var linkPage = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>Tierdesk page</title>
<style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em}button{font-size:1.1em;margin:.3em .5em .3em 0;padding:.5em 1em}</style>
</head><body>
{{if .Error}}<h1>{{.Error}}</h1>
{{else}}<h1>{{.Number}} — {{.Title}}</h1>
<p>Priority {{.Priority}}. Paged: {{.User}}. Page {{.PageID}} is <b>{{.State}}</b>{{if .AckedBy}} (by {{.AckedBy}}){{end}}.</p>
{{if .Message}}<p><b>{{.Message}}</b></p>{{end}}
{{if not .Done}}<form method="post">
<button type="submit" name="action" value="acknowledge"{{if eq .Action "acknowledge"}} autofocus{{end}}>Acknowledge</button>
<button type="submit" name="action" value="resolve"{{if eq .Action "resolve"}} autofocus{{end}}>Resolve</button>
</form>{{end}}
{{end}}</body></html>
`))

type pageLinkView struct {
	Error, Message, Action                 string
	Number, Title, Priority, User, AckedBy string
	State                                  desk.PageState
	PageID                                 int64
	Done                                   bool
}

func writePageLink(w http.ResponseWriter, status int, v pageLinkView) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = linkPage.Execute(w, v)
}

func pageLinkViewOf(v *desk.PageLinkView) pageLinkView {
	out := pageLinkView{Number: v.Ticket.Number, Title: v.Ticket.Title, Priority: string(v.Ticket.Priority), User: v.User.Name,
		State: v.Page.State, PageID: v.Page.ID, Done: v.Done}
	if v.Page.AckedBy != nil {
		out.AckedBy = v.Page.AckedBy.Name
	}
	return out
}

// linkError renders a desk error as the link page with its status.
func (s *server) linkError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	msg := desk.ErrorMessage(err)
	if p.Status >= 500 {
		s.log.Error("page link failed", "method", r.Method, "err", err)
		msg = "Something went wrong; try again, or acknowledge in Tierdesk."
	}
	writePageLink(w, p.Status, pageLinkView{Error: msg})
}

// showPageLink is GET /api/v1/page-links/{token}: it shows the page and the buttons and
// changes nothing (mail scanners and link previews follow GET links).
func (s *server) showPageLink(w http.ResponseWriter, r *http.Request) error {
	v, err := s.desk.PageLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.linkError(w, r, err)
		return nil
	}
	lv := pageLinkViewOf(v)
	lv.Action = r.URL.Query().Get("action")
	writePageLink(w, http.StatusOK, lv)
	return nil
}

// actOnPageLink is POST /api/v1/page-links/{token} with action=acknowledge|resolve.
func (s *server) actOnPageLink(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		writePageLink(w, http.StatusBadRequest, pageLinkView{Error: "The form could not be read."})
		return nil
	}
	state := map[string]desk.PageState{"acknowledge": desk.PageAcknowledged, "resolve": desk.PageResolved}[r.PostForm.Get("action")]
	v, err := s.desk.ActOnPageLink(r.Context(), r.PathValue("token"), state)
	if err != nil {
		s.linkError(w, r, err)
		return nil
	}
	lv := pageLinkViewOf(v)
	lv.Message = "Done: the page is " + string(v.Page.State) + "."
	writePageLink(w, http.StatusOK, lv)
	return nil
}
