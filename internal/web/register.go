package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Register for a caller (/console/register, key n in the console): line 1
// finds the caller (or types a new one), sees their open and recent
// tickets, and either adds the call to one of them or registers a new
// ticket, resolved on the spot if the call ended the problem.
//
// The page is one POST form whose buttons say what to do (op=search,
// pick=<user id>, op=clear, add=<ticket number>, op=register; anything
// else, as Enter in a field, just shows the form again with the priority
// and lookup brought up to date), so that every step works without
// JavaScript and every input survives every step. register.js only looks
// callers up as they are typed, through /console/requesters.

func init() {
	registerArea("register", func(s *server) {
		s.addNav(navItem{Path: "/console/register", Key: "nav.register", Who: staffOnly, Order: 6})
		s.get("/console/register", staffOnly, s.registerPage)
		s.post("/console/register", staffOnly, s.registerPost)
		s.get("/console/requesters", staffOnly, s.requesterLookup)
	})
}

// registerView is the form's data beside its input (.Form).
type registerView struct {
	Matches     *desk.RequesterMatches // the lookup's results; nil before a lookup
	Requester   *desk.User             // the caller chosen
	Open        []*desk.Ticket         // the caller's open tickets
	Recent      []*desk.Ticket         // and those finished in the last 30 days
	Priority    desk.Priority          // impact × urgency as the form stands
	MatrixJSON  string
	Levels      []desk.Level
	Types       []desk.TicketType
	Channels    []desk.Channel
	Resolutions []desk.ResolutionCode
	Categories  []*desk.Category
	Services    []*desk.Service
	Groups      []*desk.Group   // active groups, to route the call to one at once
	Assist      *registerAssist // suggestions, similar tickets, articles (register_assist.go)
}

// callChannels are the channels a caller reaches line 1 by; phone first.
var callChannels = []desk.Channel{desk.ChannelPhone, desk.ChannelWalkIn, desk.ChannelChat, desk.ChannelEmail}

// recentDays is how far back finished tickets are shown as possible
// duplicates.
const recentDays = 30

func (s *server) registerPage(rq *request) error {
	f := url.Values{"key": {randomToken()}, "type": {string(desk.TypeIncident)}, "channel": {string(desk.ChannelPhone)},
		"impact": {string(desk.LevelMedium)}, "urgency": {string(desk.LevelMedium)}, "visibility": {"public"}}
	if id := rq.r.URL.Query().Get("requester"); id != "" {
		f.Set("requester_id", id)
	}
	return s.renderRegister(rq, http.StatusOK, f, nil)
}

func (s *server) registerPost(rq *request) error {
	f := rq.r.PostForm
	switch {
	case f.Get("pick") != "":
		f.Set("requester_id", f.Get("pick"))
		f.Del("pick")
	case f.Get("op") == "clear":
		f.Del("requester_id")
	case f.Get("add") != "":
		return s.addCall(rq, f)
	case f.Get("op") == "register":
		return s.registerCall(rq, f)
	case f.Get("accept") != "":
		if err := s.acceptSuggestion(rq, f); err != nil {
			return err
		}
	case f.Get("reuse") != "":
		if err := s.reuseResolution(rq, f); err != nil {
			return err
		}
	}
	f.Del("op")
	return s.renderRegister(rq, http.StatusOK, f, nil)
}

// renderRegister shows the form with what its input calls for: the
// lookup's matches, the chosen caller and their tickets, the priority.
func (s *server) renderRegister(rq *request, status int, f url.Values, errs map[string]string) error {
	v := &registerView{Levels: desk.Levels, Types: desk.TicketTypes, Channels: callChannels, Resolutions: desk.ResolutionCodes}
	if err := s.loadCaller(rq, f, v); err != nil {
		return err
	}
	m, err := s.ticketChoices(rq, &v.Categories, &v.Services, &v.MatrixJSON)
	if err != nil {
		return err
	}
	v.Priority = m.Priority(formLevel(f, "impact"), formLevel(f, "urgency"))
	groups, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if g.Active {
			v.Groups = append(v.Groups, g)
		}
	}
	if v.Assist, err = s.registerAssistPanel(rq, f); err != nil {
		return err
	}
	return rq.renderForm(status, "register", v, f, errs)
}

// loadCaller reads the chosen caller and their tickets, or, with none
// chosen, looks up what was typed.
func (s *server) loadCaller(rq *request, f url.Values, v *registerView) error {
	id, _ := strconv.ParseInt(f.Get("requester_id"), 10, 64)
	if id <= 0 {
		f.Del("requester_id")
		if strings.TrimSpace(f.Get("q")) == "" {
			return nil
		}
		m, err := s.desk.LookupRequesters(rq.ctx, desk.RequesterLookup{Query: f.Get("q"), Limit: 10})
		if fe := fieldErrors(rq, err); fe != nil {
			return nil // a query too long to look up finds nobody
		}
		v.Matches = m
		return err
	}
	u, err := s.desk.User(rq.ctx, id)
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		f.Del("requester_id")
		return nil
	}
	if err != nil {
		return err
	}
	v.Requester = u
	open, err := s.desk.ListTickets(rq.ctx, desk.TicketFilter{RequesterID: &id, States: desk.OpenStates,
		Sort: desk.SortUpdated, Desc: true, Limit: 20})
	if err != nil {
		return err
	}
	since := time.Now().AddDate(0, 0, -recentDays)
	done, err := s.desk.ListTickets(rq.ctx, desk.TicketFilter{RequesterID: &id, UpdatedFrom: &since,
		States: []desk.State{desk.StateResolved, desk.StateClosed, desk.StateCanceled}, Sort: desk.SortUpdated, Desc: true, Limit: 5})
	if err != nil {
		return err
	}
	v.Open, v.Recent = open.Tickets, done.Tickets
	return nil
}

func formLevel(f url.Values, name string) desk.Level {
	l := desk.Level(f.Get(name))
	for _, ok := range desk.Levels {
		if l == ok {
			return l
		}
	}
	return desk.LevelMedium
}

// registerCall registers the ticket (resolved at once when so ticked).
func (s *server) registerCall(rq *request, f url.Values) error {
	in := desk.NewTicket{Type: desk.TicketType(f.Get("type")), Title: f.Get("title"), Description: f.Get("description"),
		Symptoms: f.Get("symptoms"), Channel: desk.Channel(f.Get("channel")),
		Impact: desk.Level(f.Get("impact")), Urgency: desk.Level(f.Get("urgency")),
		CategoryID: rq.formID("category_id"), SubcategoryID: rq.formID("subcategory_id"), ServiceID: rq.formID("service_id"),
		GroupID: rq.formID("group_id")}
	if id := rq.formID("requester_id"); id > 0 {
		u, err := s.desk.User(rq.ctx, id)
		if err != nil {
			return err
		}
		in.Requester = desk.PersonInput{Email: u.Email}
	} else {
		in.Requester = desk.PersonInput{Name: f.Get("requester.name"), Email: f.Get("requester.email"),
			Phone: f.Get("requester.phone"), Organization: f.Get("requester.organization")}
	}
	if f.Get("fcr") != "" {
		in.FirstContact = &desk.FirstContactResolution{ResolutionCode: desk.ResolutionCode(f.Get("resolution_code")),
			ResolutionNotes: f.Get("resolution_notes"), ReusedFrom: f.Get("reused_from")}
	}
	in.TriageOutcomes = s.triageOutcomes(rq, f)
	t, _, err := s.desk.CreateTicket(rq.ctx, in, f.Get("key"))
	if fe := fieldErrors(rq, err); fe != nil {
		return s.renderRegister(rq, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	if t.State == desk.StateResolved {
		return rq.redirect("/tickets/" + t.Number + "?done=registered_resolved")
	}
	return rq.redirect("/tickets/" + t.Number + "?done=registered")
}

// addCall adds the call to one of the caller's tickets as a comment (or
// an internal note) instead of registering a duplicate.
func (s *server) addCall(rq *request, f url.Values) error {
	ref := f.Get("add")
	f.Del("add")
	parts := []string{}
	for _, name := range []string{"title", "description", "symptoms"} {
		if v := strings.TrimSpace(f.Get(name)); v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return s.renderRegister(rq, http.StatusUnprocessableEntity, f, map[string]string{
			"title": rq.lang.T("register.err.say_what")})
	}
	head := rq.lang.T("register.call_note", rq.lang.T("channel."+f.Get("channel")))
	if !rq.lang.Has("channel." + f.Get("channel")) {
		head = rq.lang.T("register.call_note", f.Get("channel"))
	}
	body := head + "\n\n" + strings.Join(parts, "\n\n")
	_, _, err := s.desk.Comment(rq.ctx, ref, desk.CommentInput{Body: body, Internal: f.Get("visibility") == "internal"})
	switch {
	case fieldErrors(rq, err) != nil:
		return s.renderRegister(rq, http.StatusUnprocessableEntity, f, map[string]string{"description": rq.errorText(err)})
	case desk.ErrorCode(err) == desk.ECONFLICT || desk.ErrorCode(err) == desk.EFORBIDDEN:
		return s.renderRegister(rq, http.StatusConflict, f, map[string]string{"": rq.errorText(err)})
	case err != nil:
		return err
	}
	return rq.redirect("/tickets/" + ref + "?done=call_added")
}

// requesterLookup answers register.js: the callers matching q, as JSON.
func (s *server) requesterLookup(rq *request) error {
	m, err := s.desk.LookupRequesters(rq.ctx, desk.RequesterLookup{Query: rq.r.URL.Query().Get("q"), Limit: 10})
	if fieldErrors(rq, err) != nil {
		m, err = &desk.RequesterMatches{}, nil
	}
	if err != nil {
		return err
	}
	type person struct {
		ID           int64  `json:"id"`
		Name         string `json:"name"`
		Email        string `json:"email"`
		Phone        string `json:"phone"`
		Organization string `json:"organization"`
	}
	out := struct {
		Users []person `json:"users"`
		More  bool     `json:"more"`
	}{Users: []person{}, More: m.More}
	for _, u := range m.Users {
		out.Users = append(out.Users, person{u.ID, u.Name, u.Email, u.Phone, u.Organization})
	}
	return rq.json(http.StatusOK, out)
}
