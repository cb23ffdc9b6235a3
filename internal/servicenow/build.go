package servicenow

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Incident is the good rows of one incident.
type Incident struct {
	Number string
	Rows   []Row
}

// Sort puts the rows in history order: by sys_updated_at, then by
// sys_mod_count (many changes share a minute), then as they came in the
// file.
func (inc *Incident) Sort() {
	slices.SortStableFunc(inc.Rows, func(a, b Row) int {
		if c := a.UpdatedAt.Compare(b.UpdatedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ModCount, b.ModCount)
	})
}

// snapshot is an incident as one row shows it, in our terms.
type snapshot struct {
	state                          desk.State
	hold                           desk.HoldReason
	group                          desk.GroupRef
	assignee, caller               string
	impact, urgency                desk.Level
	priority                       desk.Priority
	category, subcategory, symptom string
	channel                        desk.Channel
	reassignments, reopens         int
	extra                          [len(extraColumns)]string
	unknown                        []Field
}

func (d *Directory) snapshot(r *Row) snapshot {
	s := snapshot{
		group: d.Group(r.Group), assignee: r.AssignedTo, caller: r.Caller,
		impact: r.Impact, urgency: r.Urgency, priority: r.Priority,
		category: r.Category, symptom: r.Symptom, channel: MapChannel(r.ContactType),
		reassignments: r.ReassignmentCount, reopens: r.ReopenCount, extra: r.Extra,
		unknown: r.Unknown,
	}
	if s.caller == "" {
		s.caller = UnknownCaller
	}
	if r.Category != "" {
		s.subcategory = r.Subcategory
	}
	s.state, s.hold = MapState(r.State, r.AssignedTo != "")
	return s
}

func isDone(s desk.State) bool { return s == desk.StateResolved || s == desk.StateClosed }

// changes collects field changes, leaving out the unchanged ones.
type changes []desk.Change

func (c *changes) add(field, old, new string) {
	if old != new {
		*c = append(*c, desk.Change{Field: field, Old: old, New: new})
	}
}

func (c *changes) addInt(field string, old, new int) {
	c.add(field, strconv.Itoa(old), strconv.Itoa(new))
}

// Build maps one sorted incident (at least one row) to a ticket and its
// history: a created event with the first row's values, then for every
// later row the events its changes make. Refs come from d; names it does
// not know get ID 0 (the importer makes sure it knows them all).
func (d *Directory) Build(inc *Incident) (*desk.Ticket, []desk.Event) {
	first, last := &inc.Rows[0], &inc.Rows[len(inc.Rows)-1]
	prev := d.snapshot(first)
	events := []desk.Event{d.createdEvent(first, prev)}
	for i := 1; i < len(inc.Rows); i++ {
		r := &inc.Rows[i]
		cur := d.snapshot(r)
		events = append(events, rowEvents(prev, cur, r.UpdatedAt, d.User(r.UpdatedBy))...)
		prev = cur
	}
	return d.ticket(inc, first, last, prev), events
}

// ticket is the incident as its last row leaves it.
func (d *Directory) ticket(inc *Incident, first, last *Row, s snapshot) *desk.Ticket {
	t := &desk.Ticket{
		Number: inc.Number, Type: desk.TypeIncident,
		Title: title(inc.Number, s), Description: description(last), Symptoms: s.symptom,
		State: s.state, HoldReason: s.hold, Impact: s.impact, Urgency: s.urgency, Priority: s.priority,
		Category: d.Category(s.category), Subcategory: d.Subcategory(s.category, s.subcategory),
		Group: s.group, Assignee: d.User(s.assignee), Channel: s.channel,
		ReportedAt: last.OpenedAt, CreatedAt: last.OpenedAt, UpdatedAt: last.UpdatedAt,
		ReopenCount: s.reopens, ReassignmentCount: s.reassignments,
	}
	if p := d.User(s.caller); p != nil {
		t.Requester = desk.Person{ID: p.ID, Name: p.Name, Email: Email(p.Name)}
	}
	if creator := d.User(cmp.Or(last.OpenedBy, first.UpdatedBy)); creator != nil {
		t.CreatedBy = creator.ID
	}
	t.FirstResponseAt = firstResponse(inc.Rows)
	if isDone(s.state) {
		t.ResolvedAt = cmp.Or(last.ResolvedAt, lastEntry(inc.Rows, "Resolved"))
		t.ResolutionCode = ResolutionCode
		t.ResolutionNotes = "ServiceNow close code: " + cmp.Or(last.ClosedCode, "none")
	}
	if s.state == desk.StateClosed {
		t.ClosedAt = cmp.Or(last.ClosedAt, lastEntry(inc.Rows, "Closed"))
	}
	return t
}

// firstResponse is when the incident first left New: someone took it up.
func firstResponse(rows []Row) *time.Time {
	for _, r := range rows {
		if r.State != "New" {
			return &r.UpdatedAt
		}
	}
	return nil
}

// lastEntry is when the incident last moved into the source state, or nil.
func lastEntry(rows []Row, state string) *time.Time {
	var at *time.Time
	for i := range rows {
		if rows[i].State == state && (i == 0 || rows[i-1].State != state) {
			at = &rows[i].UpdatedAt
		}
	}
	return at
}

func title(number string, s snapshot) string {
	var parts []string
	for _, p := range []string{s.symptom, s.category, s.subcategory} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "ServiceNow incident " + number
	}
	return "ServiceNow " + number + ": " + strings.Join(parts, " / ")
}

// description keeps what the ticket has no field for.
func description(r *Row) string {
	var b strings.Builder
	b.WriteString("Imported from a ServiceNow incident log.")
	line := func(label, v string) {
		if v != "" {
			b.WriteString("\n" + label + ": " + v)
		}
	}
	line("Opened by", r.OpenedBy)
	line("Resolved by", r.ResolvedBy)
	line("Close code", r.ClosedCode)
	for i, label := range extraLabels {
		line(label, r.Extra[i])
	}
	for _, f := range r.Unknown {
		line(f.Name, f.Value)
	}
	return b.String()
}

// createdEvent records the first row's values as changes from nothing, as
// desk does for a ticket registered here, at the time it was opened.
func (d *Directory) createdEvent(r *Row, s snapshot) desk.Event {
	var ch changes
	ch.add("type", "", string(desk.TypeIncident))
	ch.add("state", "", string(s.state))
	ch.add("hold_reason", "", string(s.hold))
	ch.add("impact", "", string(s.impact))
	ch.add("urgency", "", string(s.urgency))
	ch.add("priority", "", string(s.priority))
	ch.add("group", "", s.group.Name)
	ch.add("channel", "", string(s.channel))
	ch.add("requester", "", s.caller)
	ch.add("assignee", "", s.assignee)
	ch.add("category", "", s.category)
	ch.add("subcategory", "", s.subcategory)
	ch.add("symptoms", "", s.symptom)
	ch.addInt("reassignment_count", 0, s.reassignments)
	ch.addInt("reopen_count", 0, s.reopens)
	for i, name := range extraColumns {
		ch.add("servicenow."+name, "", s.extra[i])
	}
	for _, f := range s.unknown {
		ch.add("servicenow."+f.Name, "", f.Value)
	}
	return desk.Event{At: r.OpenedAt, Actor: d.User(r.UpdatedBy), Kind: desk.EventCreated, Public: true, Changes: ch}
}

// rowEvents are the events of one later row: a reassignment when the group
// changed, a transition when the state did, and an update for the rest;
// none when nothing we keep changed.
func rowEvents(prev, cur snapshot, at time.Time, actor *desk.Ref) []desk.Event {
	var routing, transition, update changes
	other := &update
	if prev.group != cur.group {
		other = &routing
		routing.add("group", prev.group.Name, cur.group.Name)
		routing.addInt("line", int(prev.group.Line), int(cur.group.Line))
	}
	other.add("assignee", prev.assignee, cur.assignee)
	other.addInt("reassignment_count", prev.reassignments, cur.reassignments)
	other = &update
	if prev.state != cur.state || prev.hold != cur.hold {
		other = &transition
		transition.add("state", string(prev.state), string(cur.state))
		transition.add("hold_reason", string(prev.hold), string(cur.hold))
		if isDone(prev.state) != isDone(cur.state) {
			code := map[bool]string{true: string(ResolutionCode)}
			transition.add("resolution_code", code[isDone(prev.state)], code[isDone(cur.state)])
		}
	}
	other.addInt("reopen_count", prev.reopens, cur.reopens)
	update.fields(prev, cur)
	var out []desk.Event
	for _, e := range []struct {
		kind desk.EventKind
		ch   changes
	}{{desk.EventReassigned, routing}, {desk.EventTransition, transition}, {desk.EventUpdated, update}} {
		if len(e.ch) == 0 {
			continue
		}
		ev := desk.Event{At: at, Actor: actor, Kind: e.kind, Public: true, Changes: e.ch}
		if e.kind == desk.EventTransition && cur.reopens > prev.reopens {
			ev.ReasonCode = desk.ReasonImportReopened
			ev.Reason = desk.ReasonText(ev.ReasonCode, nil)
		}
		out = append(out, ev)
	}
	return out
}

// fields adds the changes of everything but routing and state.
func (c *changes) fields(prev, cur snapshot) {
	c.add("impact", string(prev.impact), string(cur.impact))
	c.add("urgency", string(prev.urgency), string(cur.urgency))
	c.add("priority", string(prev.priority), string(cur.priority))
	c.add("category", prev.category, cur.category)
	c.add("subcategory", prev.subcategory, cur.subcategory)
	c.add("symptoms", prev.symptom, cur.symptom)
	c.add("channel", string(prev.channel), string(cur.channel))
	c.add("requester", prev.caller, cur.caller)
	for i, name := range extraColumns {
		c.add("servicenow."+name, prev.extra[i], cur.extra[i])
	}
	for i, f := range cur.unknown {
		old := ""
		if i < len(prev.unknown) {
			old = prev.unknown[i].Value
		}
		c.add("servicenow."+f.Name, old, f.Value)
	}
}
