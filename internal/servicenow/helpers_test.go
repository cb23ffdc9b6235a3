package servicenow

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// columns is the header of the real export, in its order.
var columns = strings.Split("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,"+
	"made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,"+
	"contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,"+
	"assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,"+
	"caused_by,closed_code,resolved_by,resolved_at,closed_at", ",")

// template is a row of the real export (INC0000045's first).
var template = map[string]string{
	"number": "INC0000045", "incident_state": "New", "active": "true", "reassignment_count": "0",
	"reopen_count": "0", "sys_mod_count": "0", "made_sla": "true", "caller_id": "Caller 2403",
	"opened_by": "Opened by  8", "opened_at": "29/2/2016 01:16", "sys_created_by": "Created by 6",
	"sys_created_at": "29/2/2016 01:23", "sys_updated_by": "Updated by 21", "sys_updated_at": "29/2/2016 01:23",
	"contact_type": "Phone", "location": "Location 143", "category": "Category 55",
	"subcategory": "Subcategory 170", "u_symptom": "Symptom 72", "cmdb_ci": "?", "impact": "2 - Medium",
	"urgency": "2 - Medium", "priority": "3 - Moderate", "assignment_group": "Group 56", "assigned_to": "?",
	"knowledge": "true", "u_priority_confirmation": "false", "notify": "Do Not Notify", "problem_id": "?",
	"rfc": "?", "vendor": "?", "caused_by": "?", "closed_code": "code 5", "resolved_by": "Resolved by 149",
	"resolved_at": "29/2/2016 11:29", "closed_at": "5/3/2016 12:00",
}

// csvRow renders one CSV line (no newline) of the template with the
// "column=value" overrides applied.
func csvRow(overrides ...string) string {
	vals := map[string]string{}
	for k, v := range template {
		vals[k] = v
	}
	for _, o := range overrides {
		k, v, ok := strings.Cut(o, "=")
		if _, known := template[k]; !ok || !known {
			panic("bad override " + o)
		}
		vals[k] = v
	}
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = vals[c]
	}
	return strings.Join(out, ",")
}

// csvLog joins the header and lines into a file's text.
func csvLog(lines ...string) string {
	return strings.Join(append([]string{strings.Join(columns, ",")}, lines...), "\n") + "\n"
}

func gzipped(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// syntheticLog makes a log of n incidents with varied histories: some are
// reassigned, put on hold, reopened, left without group or assignee.
func syntheticLog(n int) string {
	var lines []string
	for i := range n {
		num := fmt.Sprintf("number=INC%07d", 1000+i)
		day := 1 + i%27
		at := func(h int) string { return fmt.Sprintf("%d/3/2016 %02d:%02d", day, h, i%60) }
		base := []string{num, "opened_at=" + at(8), fmt.Sprintf("caller_id=Caller %d", i%7),
			fmt.Sprintf("category=Category %d", i%4), fmt.Sprintf("subcategory=Subcategory %d", i%9),
			fmt.Sprintf("assignment_group=Group %d", i%5), "resolved_at=" + at(15), "closed_at=" + at(20)}
		if i%6 == 0 {
			base = append(base, "assignment_group=?", "caller_id=?", "category=?")
		}
		agent := fmt.Sprintf("assigned_to=Resolver %d", i%11)
		step := func(h, mod int, extra ...string) {
			kv := append(slices.Clone(base), fmt.Sprintf("sys_updated_at=%s", at(h)), fmt.Sprintf("sys_mod_count=%d", mod),
				fmt.Sprintf("sys_updated_by=Updated by %d", (i+mod)%13))
			lines = append(lines, csvRow(append(kv, extra...)...))
		}
		step(8, 0)
		if i%3 == 1 {
			base = append(base, fmt.Sprintf("assignment_group=Group %d", 5+i%3), "reassignment_count=1")
			step(9, 1)
		}
		step(10, 2, "incident_state=Active", agent)
		if i%4 == 2 {
			step(11, 3, "incident_state=Awaiting User Info", agent, "impact=1 - High", "priority=2 - High")
		}
		step(15, 4, "incident_state=Resolved", agent)
		if i%5 == 3 {
			step(16, 5, "incident_state=Active", agent, "reopen_count=1")
			step(17, 6, "incident_state=Resolved", agent, "reopen_count=1")
			base = append(base, "reopen_count=1")
		}
		if i%8 != 7 {
			step(20, 7, "incident_state=Closed", agent)
		}
	}
	return csvLog(lines...)
}

// dump renders everything an import stores (tickets with their history,
// people, groups, memberships, categories) without database ids, sorted,
// to compare two stores.
func dump(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	var out []string
	f := desk.TicketFilter{Limit: desk.MaxPageSize, Visibility: desk.Visibility{AllRestricted: true}}
	for {
		page, err := s.ListTickets(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range page.Tickets {
			out = append(out, ticketLine(tk))
			out = append(out, eventLines(t, s, tk)...)
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	return append(slices.Sorted(slices.Values(out)), directoryLines(t, s)...)
}

func name(r *desk.Ref) string {
	if r == nil {
		return "-"
	}
	return r.Name
}

func ticketLine(tk *desk.Ticket) string {
	return fmt.Sprintf("%s %s %s/%s %s %s %s %s cat=%s/%s group=%s(%d) asg=%s req=%s<%s> %s reported=%v created=%v "+
		"updated=%v first=%v resolved=%v closed=%v %s %q reopen=%d reassign=%d v%d %q %q",
		tk.Number, tk.Type, tk.State, tk.HoldReason, tk.Impact, tk.Urgency, tk.Priority, tk.Title,
		name(tk.Category), name(tk.Subcategory), tk.Group.Name, tk.Group.Line, name(tk.Assignee),
		tk.Requester.Name, tk.Requester.Email, tk.Channel, tk.ReportedAt, tk.CreatedAt, tk.UpdatedAt,
		tk.FirstResponseAt, tk.ResolvedAt, tk.ClosedAt, tk.ResolutionCode, tk.ResolutionNotes,
		tk.ReopenCount, tk.ReassignmentCount, tk.Version, tk.Description, tk.Symptoms)
}

func eventLines(t *testing.T, s *sqlstore.Store, tk *desk.Ticket) []string {
	t.Helper()
	var out []string
	f := desk.EventFilter{Limit: desk.MaxPageSize}
	for {
		page, err := s.ListEvents(t.Context(), tk.ID, f)
		if err != nil {
			t.Fatal(err)
		}
		for i, e := range page.Events {
			out = append(out, fmt.Sprintf("%s #%03d %s", tk.Number, len(out)+i, eventString(e)))
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			return out
		}
	}
}

// eventString shows an event as tests compare it.
func eventString(e *desk.Event) string {
	var ch []string
	for _, c := range e.Changes {
		ch = append(ch, fmt.Sprintf("%s: %q→%q", c.Field, c.Old, c.New))
	}
	return fmt.Sprintf("%s %s by %s public=%v reason=%q body=%q {%s}",
		e.At.Format("2/1/2006 15:04"), e.Kind, name(e.Actor), e.Public, e.Reason, e.Body, strings.Join(ch, "; "))
}

func directoryLines(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	var out []string
	groups, err := s.ListGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		members, err := s.GroupMembers(t.Context(), g.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, m := range members {
			names = append(names, m.Name)
		}
		slices.Sort(names)
		out = append(out, fmt.Sprintf("group %s line %d default=%v members=%v", g.Name, g.Line, g.Default, names))
	}
	cats, err := s.ListCategories(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	catNames := map[int64]string{}
	for _, c := range cats {
		catNames[c.ID] = c.Name
	}
	for _, c := range cats {
		out = append(out, fmt.Sprintf("category %s under %q", c.Name, catNames[c.ParentID]))
	}
	f := desk.UserFilter{Limit: desk.MaxPageSize}
	for {
		page, err := s.ListUsers(t.Context(), f)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range page.Users {
			out = append(out, fmt.Sprintf("user %s <%s> %s active=%v", u.Name, u.Email, u.Role, u.Active))
		}
		if f.Cursor = page.NextCursor; f.Cursor == "" {
			break
		}
	}
	slices.Sort(out)
	return out
}
