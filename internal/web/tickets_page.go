package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The Tickets page: search (the list API's q) and every filter of the list
// API plus channel, a sort, keyset pages with a total that is exact up to
// the desk's count cap (desk.CountCap) and labelled "more than" beyond, the columns to show,
// saved filters (tickets_filters.go), CSV export (tickets_export.go) and
// bulk actions on the selected rows (tickets_bulk.go). The filter lives in
// the URL's query, so a search is a link; it is read into a desk.FilterSpec,
// which is what a saved filter keeps and what the export runs.

func init() {
	registerArea("tickets", func(s *server) {
		s.get("/tickets", staffOnly, s.ticketsPage)
	})
}

// ticketsPageSize is a page's rows; the count stops at the desk's cap
// (Config.CountCap, desk.CountCap by default): beyond, "1,000+".
const ticketsPageSize = 50

// ticketSorts are the page's sort choices: a leading - sorts descending.
var ticketSorts = []string{"-created", "created", "-updated", "updated", "priority", "-priority", "sla", "-sla"}

// dueChoices are the "next deadline" choices: within so many minutes, or
// already breached.
var dueChoices = []string{"60", "240", "1440", "breached"}

// filterParams are the query parameters that make up the filter (not the
// page position or the saved filter's id).
var filterParams = []string{"q", "state", "type", "priority", "line", "channel", "group", "assignee", "requester",
	"category", "service", "created_from", "created_to", "updated_from", "updated_to", "due", "sort", "columns"}

// ticketsView is the Tickets page.
type ticketsView struct {
	Rows       []ticketRow // tickets_cells.go
	Columns    []string
	Total      int
	Capped     bool
	Next       string // the next page's URL
	Query      string // the filter as a query string (no page position)
	Filters    []*desk.SavedFilter
	Current    *desk.SavedFilter // the saved filter shown, if any
	CanChange  bool              // the viewer owns Current
	Modified   bool              // the form differs from Current
	Groups     []*desk.Group
	Categories []*desk.Category
	Services   []*desk.Service
	Staff      []*desk.User
	MyGroups   []desk.GroupRef
	Sorts      []string
	Due        []string
	AllColumns []string
	States     []desk.State
	Types      []desk.TicketType
	Priorities []desk.Priority
	Channels   []desk.Channel
	Lines      []string
	Bulk       *bulkResult // after a bulk action
}

func (s *server) ticketsPage(rq *request) error {
	q := rq.r.URL.Query()
	if ref := strings.TrimSpace(q.Get("ref")); ref != "" { // the "go to ticket" box
		t, err := s.desk.Ticket(rq.ctx, ref)
		if err != nil {
			return err
		}
		return rq.redirect("/tickets/" + url.PathEscape(t.Number))
	}
	v, err := s.ticketsContext(rq)
	if err != nil {
		return err
	}
	if id := q.Get("filter"); id != "" {
		if err := s.loadCurrentFilter(rq, v, id, q); err != nil {
			return err
		}
	}
	spec, errs := s.readFilter(rq, q, v)
	if len(errs) == 0 {
		errs = s.runFilter(rq, v, spec, q.Get("after"))
	}
	if len(errs) > 0 {
		return rq.renderForm(422, "tickets", v, q, errs)
	}
	return rq.renderForm(200, "tickets", v, q, nil)
}

// loadCurrentFilter opens saved filter id: with no filter parameters of its
// own the page shows the saved one's; otherwise it shows the form as
// changed from it.
func (s *server) loadCurrentFilter(rq *request, v *ticketsView, id string, q url.Values) error {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return desk.Errorf(desk.ENOTFOUND, "no saved filter %q", id)
	}
	if v.Current, err = s.desk.SavedFilter(rq.ctx, n); err != nil {
		return err
	}
	v.CanChange = desk.CanChangeFilter(rq.user, v.Current)
	saved := s.specValues(rq, v.Current.Filter)
	if !hasAny(q, filterParams) {
		for k, vs := range saved {
			q[k] = vs
		}
	}
	v.Modified = encodeFilter(q) != encodeFilter(saved)
	return nil
}

func hasAny(q url.Values, names []string) bool {
	for _, n := range names {
		if _, ok := q[n]; ok {
			return true
		}
	}
	return false
}

// encodeFilter is the filter part of q as a query string.
func encodeFilter(q url.Values) string {
	out := url.Values{}
	for _, n := range filterParams {
		for _, v := range q[n] {
			if v != "" {
				out.Add(n, v)
			}
		}
	}
	return out.Encode()
}

// ticketsContext loads what the form's choices offer.
func (s *server) ticketsContext(rq *request) (*ticketsView, error) {
	v := &ticketsView{Sorts: ticketSorts, Due: dueChoices, AllColumns: desk.TicketColumns, States: desk.States,
		Types: desk.TicketTypes, Priorities: desk.Priorities, Channels: desk.Channels, Lines: []string{"1", "2", "3"},
		MyGroups: rq.user.Groups}
	var err error
	if v.Filters, err = s.desk.SavedFilters(rq.ctx); err != nil {
		return nil, err
	}
	if v.Groups, err = s.desk.Groups(rq.ctx); err != nil {
		return nil, err
	}
	if v.Categories, err = s.desk.Categories(rq.ctx); err != nil {
		return nil, err
	}
	if v.Services, err = s.desk.Services(rq.ctx); err != nil {
		return nil, err
	}
	staff, err := s.desk.ListUsers(rq.ctx, desk.UserFilter{Roles: []desk.Role{desk.RoleAgent, desk.RoleManager, desk.RoleAdmin},
		Limit: desk.MaxPageSize})
	if err != nil {
		return nil, err
	}
	for _, u := range staff.Users {
		if u.Active {
			v.Staff = append(v.Staff, u)
		}
	}
	return v, nil
}

// runFilter lists one page of spec into v; a desk refusal of a value comes
// back as errors by field.
func (s *server) runFilter(rq *request, v *ticketsView, spec desk.FilterSpec, after string) map[string]string {
	page, err := s.desk.FindTickets(rq.ctx, spec, desk.QueueOptions{Cursor: after, Limit: ticketsPageSize,
		Total: true})
	if errs := fieldErrors(rq, err); errs != nil {
		if m, ok := errs["cursor"]; ok { // a page link of another search: no field to show it by
			delete(errs, "cursor")
			errs[""] = m
		}
		return errs
	} else if err != nil {
		return map[string]string{"": rq.errorText(err)}
	}
	v.Capped = page.TotalCapped
	if page.Total != nil {
		v.Total = *page.Total
	}
	v.Columns = spec.Columns
	if len(v.Columns) == 0 {
		v.Columns = desk.DefaultTicketColumns
	}
	selected := rq.r.URL.Query()["t"] // rows the bulk form sent back stay selected
	if rq.r.PostForm != nil {
		selected = append(selected, rq.r.PostForm["t"]...)
	}
	v.Rows = ticketRows(rq.lang, rq.loc, page.Tickets, v.Columns, selected)
	for i, t := range page.Tickets {
		if v.Rows[i].RegMissed, err = s.regulatoryMissed(rq, t); err != nil {
			return map[string]string{"": rq.errorText(err)}
		}
	}
	fq, _ := url.ParseQuery(encodeFilter(rq.r.URL.Query()))
	if v.Current != nil {
		fq.Set("filter", strconv.FormatInt(v.Current.ID, 10))
	}
	v.Query = fq.Encode()
	if page.NextCursor != "" {
		fq.Set("after", page.NextCursor)
		v.Next = "/tickets?" + fq.Encode()
	}
	return nil
}

// readFilter reads the filter parameters into a spec. What the page can
// check itself (numbers, dates, the groups, categories and services it
// offers, a requester's address) it checks here; enumerations, the sort and
// the text are the desk's to refuse, by the same field names.
func (s *server) readFilter(rq *request, q url.Values, v *ticketsView) (desk.FilterSpec, map[string]string) {
	r := filterReader{rq: rq, q: q, errs: map[string]string{}}
	spec := desk.FilterSpec{Query: strings.TrimSpace(q.Get("q")),
		Types: asEnums[desk.TicketType](q["type"]), Priorities: asEnums[desk.Priority](q["priority"]),
		Channels: asEnums[desk.Channel](q["channel"]), Columns: nonEmpty(q["columns"])}
	for _, st := range nonEmpty(q["state"]) {
		if st == "open" {
			spec.States = append(spec.States, desk.OpenStates...)
		} else {
			spec.States = append(spec.States, desk.State(st))
		}
	}
	for _, l := range nonEmpty(q["line"]) {
		n, err := strconv.Atoi(l)
		if err != nil {
			n = -1 // the desk names the field and the lines allowed
		}
		spec.Lines = append(spec.Lines, desk.Line(n))
	}
	spec.GroupIDs = r.ids("group", func(id int64) bool {
		return slices.ContainsFunc(v.Groups, func(g *desk.Group) bool { return g.ID == id })
	})
	if c := r.ids("category", func(id int64) bool {
		return slices.ContainsFunc(v.Categories, func(c *desk.Category) bool { return c.ID == id })
	}); len(c) > 0 {
		spec.CategoryID = &c[0]
	}
	if sv := r.ids("service", func(id int64) bool {
		return slices.ContainsFunc(v.Services, func(x *desk.Service) bool { return x.ID == id })
	}); len(sv) > 0 {
		spec.ServiceID = &sv[0]
	}
	r.assignee(&spec)
	spec.RequesterID = r.requester(s)
	spec.CreatedFrom, spec.CreatedTo = r.dates("created_from", "created_to")
	spec.UpdatedFrom, spec.UpdatedTo = r.dates("updated_from", "updated_to")
	r.due(&spec)
	sort := q.Get("sort")
	if sort == "" {
		sort = "-created"
	}
	name, desc := strings.CutPrefix(sort, "-")
	spec.Sort, spec.Desc = desk.TicketSort(name), desc
	return spec, r.errs
}

func asEnums[T ~string](in []string) []T {
	var out []T
	for _, s := range nonEmpty(in) {
		out = append(out, T(s))
	}
	return out
}

func nonEmpty(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// filterReader reads the parameters the page checks itself, collecting
// errors by field in the user's language.
type filterReader struct {
	rq   *request
	q    url.Values
	errs map[string]string
}

func (r *filterReader) fail(field string, rule desk.Rule, params desk.Params) {
	if _, ok := r.errs[field]; !ok {
		r.errs[field], _ = r.rq.lang.ruleText(rule, params)
	}
}

// ids reads the ids of field, each one the page offers (known).
func (r *filterReader) ids(field string, known func(int64) bool) []int64 {
	var out []int64
	for _, s := range nonEmpty(r.q[field]) {
		id, err := strconv.ParseInt(s, 10, 64)
		switch {
		case err != nil || id <= 0:
			r.fail(field, desk.RuleInvalidFmt, desk.Params{"format": "id"})
		case !known(id):
			r.fail(field, desk.RuleUnknown, nil)
		default:
			out = append(out, id)
		}
	}
	return out
}

// assignee reads "me", "none" or a staff member's id.
func (r *filterReader) assignee(spec *desk.FilterSpec) {
	switch a := strings.TrimSpace(r.q.Get("assignee")); a {
	case "":
	case "me":
		spec.AssignedToMe = true
	case "none":
		spec.AssigneeID = new(int64)
	default:
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			r.fail("assignee", desk.RuleInvalidFmt, desk.Params{"format": "id"})
			return
		}
		spec.AssigneeID = &id
	}
}

// requester reads a user's e-mail address or id.
func (r *filterReader) requester(s *server) *int64 {
	in := strings.TrimSpace(r.q.Get("requester"))
	if in == "" {
		return nil
	}
	if id, err := strconv.ParseInt(in, 10, 64); err == nil && id > 0 {
		return &id
	}
	if !strings.Contains(in, "@") {
		r.fail("requester", desk.RuleInvalidEmail, nil)
		return nil
	}
	page, err := s.desk.ListUsers(r.rq.ctx, desk.UserFilter{Query: in, Limit: 20})
	if err == nil {
		for _, u := range page.Users {
			if strings.EqualFold(u.Email, in) {
				return &u.ID
			}
		}
	}
	r.fail("requester", desk.RuleUnknown, nil)
	return nil
}

// dates reads a from–to pair of days in the viewer's zone: from its start,
// to the end of the "to" day.
func (r *filterReader) dates(fromField, toField string) (from, to *time.Time) {
	day := func(field string) *time.Time {
		s := strings.TrimSpace(r.q.Get(field))
		if s == "" {
			return nil
		}
		t, err := time.ParseInLocation("2006-01-02", s, r.rq.loc)
		if err != nil {
			r.fail(field, desk.RuleInvalidFmt, desk.Params{"format": "date"})
			return nil
		}
		return &t
	}
	from, to = day(fromField), day(toField)
	if to != nil {
		next := to.AddDate(0, 0, 1)
		to = &next
	}
	if from != nil && to != nil && !to.After(*from) {
		r.fail(toField, desk.RuleNotAfter, desk.Params{"after": "from"})
	}
	return from, to
}

// due reads the "next deadline" choice.
func (r *filterReader) due(spec *desk.FilterSpec) {
	switch d := r.q.Get("due"); {
	case d == "":
	case d == "breached":
		spec.Breached = true
	default:
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 {
			r.fail("due", desk.RuleOneOf, desk.Params{"allowed": dueChoices})
			return
		}
		spec.DueWithinMinutes = n // the desk bounds it
	}
}

// specValues writes a saved spec as the page's parameters.
func (s *server) specValues(rq *request, fs desk.FilterSpec) url.Values {
	q := url.Values{}
	add := func(name string, vs ...string) {
		for _, v := range vs {
			q.Add(name, v)
		}
	}
	if fs.Query != "" {
		q.Set("q", fs.Query)
	}
	open := len(fs.States) == len(desk.OpenStates)
	for _, st := range desk.OpenStates {
		open = open && slices.Contains(fs.States, st)
	}
	if open {
		add("state", "open")
	} else {
		add("state", names(fs.States)...)
	}
	add("type", names(fs.Types)...)
	add("priority", names(fs.Priorities)...)
	add("channel", names(fs.Channels)...)
	for _, l := range fs.Lines {
		add("line", strconv.Itoa(int(l)))
	}
	for _, g := range fs.GroupIDs {
		add("group", strconv.FormatInt(g, 10))
	}
	switch {
	case fs.AssignedToMe:
		q.Set("assignee", "me")
	case fs.AssigneeID != nil && *fs.AssigneeID == 0:
		q.Set("assignee", "none")
	case fs.AssigneeID != nil:
		q.Set("assignee", strconv.FormatInt(*fs.AssigneeID, 10))
	}
	if fs.RequesterID != nil {
		q.Set("requester", strconv.FormatInt(*fs.RequesterID, 10))
		if u, err := s.desk.User(rq.ctx, *fs.RequesterID); err == nil {
			q.Set("requester", u.Email)
		}
	}
	if fs.CategoryID != nil {
		q.Set("category", strconv.FormatInt(*fs.CategoryID, 10))
	}
	if fs.ServiceID != nil {
		q.Set("service", strconv.FormatInt(*fs.ServiceID, 10))
	}
	s.specDates(rq, q, fs)
	if fs.Breached {
		q.Set("due", "breached")
	} else if fs.DueWithinMinutes > 0 {
		q.Set("due", strconv.Itoa(fs.DueWithinMinutes))
	}
	if fs.Sort != "" {
		sort := string(fs.Sort)
		if fs.Desc {
			sort = "-" + sort
		}
		q.Set("sort", sort)
	}
	add("columns", fs.Columns...)
	return q
}

func (s *server) specDates(rq *request, q url.Values, fs desk.FilterSpec) {
	for _, d := range []struct {
		name string
		t    *time.Time
		to   bool
	}{{"created_from", fs.CreatedFrom, false}, {"created_to", fs.CreatedTo, true},
		{"updated_from", fs.UpdatedFrom, false}, {"updated_to", fs.UpdatedTo, true}} {
		if d.t == nil {
			continue
		}
		t := d.t.In(rq.loc)
		if d.to {
			t = t.AddDate(0, 0, -1)
		}
		q.Set(d.name, t.Format("2006-01-02"))
	}
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
