package servicenow

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestMapState(t *testing.T) {
	for _, tt := range []struct {
		source   string
		assignee bool
		state    desk.State
		hold     desk.HoldReason
	}{
		{"New", false, desk.StateNew, ""},
		{"New", true, desk.StateNew, ""},
		{"Active", true, desk.StateInProgress, ""},
		{"Active", false, desk.StateAssigned, ""},
		{"Awaiting User Info", true, desk.StateOnHold, desk.HoldAwaitingRequester},
		{"Awaiting Evidence", true, desk.StateOnHold, desk.HoldAwaitingRequester},
		{"Awaiting Vendor", false, desk.StateOnHold, desk.HoldAwaitingVendor},
		{"Awaiting Problem", true, desk.StateOnHold, desk.HoldAwaitingProblem},
		{"Resolved", true, desk.StateResolved, ""},
		{"Closed", false, desk.StateClosed, ""},
	} {
		state, hold := MapState(tt.source, tt.assignee)
		if state != tt.state || hold != tt.hold {
			t.Errorf("MapState(%q, %v) = %s/%s, want %s/%s", tt.source, tt.assignee, state, hold, tt.state, tt.hold)
		}
	}
}

func TestMapChannel(t *testing.T) {
	for in, want := range map[string]desk.Channel{
		"Phone": desk.ChannelPhone, "IVR": desk.ChannelPhone, "Email": desk.ChannelEmail,
		"Self service": desk.ChannelPortal, "Direct opening": desk.ChannelPortal, "": desk.ChannelPortal,
		"Carrier pigeon": desk.ChannelPortal,
		"Walk-in":        desk.ChannelWalkIn, "walk-in": desk.ChannelWalkIn, "Walk in": desk.ChannelWalkIn,
		"Chat": desk.ChannelChat, " chat ": desk.ChannelChat, "Virtual Agent": desk.ChannelChat,
	} {
		if got := MapChannel(in); got != want {
			t.Errorf("MapChannel(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestEmail(t *testing.T) {
	for in, want := range map[string]string{
		"Caller 2403":   "caller-2403@servicenow.invalid",
		"Updated by 21": "updated-by-21@servicenow.invalid",
		" Ünknown!! ":   "nknown@servicenow.invalid",
		"":              "unknown@servicenow.invalid",
	} {
		if got := Email(in); got != want {
			t.Errorf("Email(%q) = %q, want %q", in, got, want)
		}
	}
}

// incident reads the rows of a log snippet as one sorted incident.
func incident(t *testing.T, lines ...string) *Incident {
	t.Helper()
	rows, bad := readAll(t, strings.NewReader(csvLog(lines...)))
	if len(bad) > 0 {
		t.Fatalf("bad rows: %v", bad)
	}
	inc := &Incident{Number: rows[0].Number, Rows: rows}
	inc.Sort()
	return inc
}

func testDirectory() *Directory {
	return newDirectory(desk.GroupRef{ID: 1, Name: "Service Desk", Line: desk.Line1})
}

func utc(s string) time.Time {
	t, err := ParseTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptrTo(t time.Time) *time.Time { return &t }

// TestBuild_Lifecycle follows one incident through reassignment, work, a
// hold, resolution, a reopen and closure, with its rows shuffled in the
// file and two of them sharing a minute.
func TestBuild_Lifecycle(t *testing.T) {
	r := func(at string, mod int, by string, kv ...string) string {
		return csvRow(append([]string{"sys_updated_at=" + at, "sys_mod_count=" + string(rune('0'+mod)),
			"sys_updated_by=" + by, "resolved_at=2/3/2016 10:00", "closed_at=8/3/2016 11:00"}, kv...)...)
	}
	const g1, g2, res = "assignment_group=Group 1", "assignment_group=Group 2", "assigned_to=Resolver 7"
	inc := incident(t,
		r("29/2/2016 09:00", 5, "Updated by 5", g2, res, "incident_state=Resolved", "reassignment_count=1"),
		r("29/2/2016 01:23", 0, "Updated by 1", g1),
		r("29/2/2016 02:00", 1, "Updated by 2", g2, "reassignment_count=1"),
		r("29/2/2016 03:00", 3, "Updated by 3", g2, res, "incident_state=Awaiting User Info", "reassignment_count=1"),
		r("29/2/2016 03:00", 2, "Updated by 3", g2, res, "incident_state=Active", "reassignment_count=1",
			"impact=1 - High", "priority=2 - High"),
		r("29/2/2016 04:00", 4, "Updated by 4", g2, res, "incident_state=Active", "reassignment_count=1"),
		r("1/3/2016 10:00", 6, "Updated by 6", g2, res, "incident_state=Active", "reassignment_count=1", "reopen_count=1"),
		r("1/3/2016 10:00", 7, "Updated by 6", g2, res, "incident_state=Active", "reassignment_count=1", "reopen_count=1"),
		r("2/3/2016 10:00", 8, "Updated by 5", g2, res, "incident_state=Resolved", "reassignment_count=1", "reopen_count=1"),
		r("8/3/2016 11:00", 9, "Updated by 908", g2, res, "incident_state=Closed", "reassignment_count=1", "reopen_count=1"),
	)
	tk, events := testDirectory().Build(inc)

	var got []string
	for i := range events {
		got = append(got, eventString(&events[i]))
	}
	want := []string{
		`29/2/2016 01:16 created by Updated by 1 public=true reason="" body="" {type: ""→"incident"; state: ""→"new"; ` +
			`impact: ""→"medium"; urgency: ""→"medium"; priority: ""→"P3"; group: ""→"Group 1"; channel: ""→"phone"; ` +
			`requester: ""→"Caller 2403"; category: ""→"Category 55"; subcategory: ""→"Subcategory 170"; ` +
			`symptoms: ""→"Symptom 72"; servicenow.location: ""→"Location 143"; servicenow.knowledge: ""→"true"; ` +
			`servicenow.made_sla: ""→"true"; servicenow.u_priority_confirmation: ""→"false"; ` +
			`servicenow.notify: ""→"Do Not Notify"}`,
		`29/2/2016 02:00 reassigned by Updated by 2 public=true reason="" body="" {group: "Group 1"→"Group 2"; reassignment_count: "0"→"1"}`,
		`29/2/2016 03:00 transition by Updated by 3 public=true reason="" body="" {state: "new"→"in_progress"}`,
		`29/2/2016 03:00 updated by Updated by 3 public=true reason="" body="" {assignee: ""→"Resolver 7"; impact: "medium"→"high"; priority: "P3"→"P2"}`,
		`29/2/2016 03:00 transition by Updated by 3 public=true reason="" body="" {state: "in_progress"→"on_hold"; hold_reason: ""→"awaiting_requester"}`,
		`29/2/2016 03:00 updated by Updated by 3 public=true reason="" body="" {impact: "high"→"medium"; priority: "P2"→"P3"}`,
		`29/2/2016 04:00 transition by Updated by 4 public=true reason="" body="" {state: "on_hold"→"in_progress"; hold_reason: "awaiting_requester"→""}`,
		`29/2/2016 09:00 transition by Updated by 5 public=true reason="" body="" {state: "in_progress"→"resolved"; resolution_code: ""→"solved"}`,
		`1/3/2016 10:00 transition by Updated by 6 public=true reason="reopened before the import" body="" {state: "resolved"→"in_progress"; resolution_code: "solved"→""; reopen_count: "0"→"1"}`,
		`2/3/2016 10:00 transition by Updated by 5 public=true reason="" body="" {state: "in_progress"→"resolved"; resolution_code: ""→"solved"}`,
		`8/3/2016 11:00 transition by Updated by 908 public=true reason="" body="" {state: "resolved"→"closed"}`,
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}

	wantTicket := &desk.Ticket{
		Number: "INC0000045", Type: desk.TypeIncident,
		Title:       "ServiceNow INC0000045: Symptom 72 / Category 55 / Subcategory 170",
		Description: "Imported from a ServiceNow incident log.\nOpened by: Opened by 8\nResolved by: Resolved by 149\nClose code: code 5\nLocation: Location 143\nKnowledge article used: true\nSLA met in ServiceNow: true\nPriority confirmed: false\nNotification: Do Not Notify",
		Symptoms:    "Symptom 72", State: desk.StateClosed,
		Impact: desk.LevelMedium, Urgency: desk.LevelMedium, Priority: desk.P3,
		Category: &desk.Ref{Name: "Category 55"}, Subcategory: &desk.Ref{Name: "Subcategory 170"},
		Group: desk.GroupRef{Name: "Group 2", Line: desk.Line1}, Assignee: &desk.Ref{Name: "Resolver 7"},
		Requester:  desk.Person{Name: "Caller 2403", Email: "caller-2403@servicenow.invalid"},
		Channel:    desk.ChannelPhone,
		ReportedAt: utc("29/2/2016 01:16"), CreatedAt: utc("29/2/2016 01:16"), UpdatedAt: utc("8/3/2016 11:00"),
		FirstResponseAt: ptrTo(utc("29/2/2016 03:00")),
		ResolvedAt:      ptrTo(utc("2/3/2016 10:00")), ClosedAt: ptrTo(utc("8/3/2016 11:00")),
		ResolutionCode: "solved", ResolutionNotes: "ServiceNow close code: code 5",
		ReopenCount: 1, ReassignmentCount: 1,
	}
	if d := cmp.Diff(wantTicket, tk); d != "" {
		t.Errorf("ticket (-want +got):\n%s", d)
	}
}

func TestBuild_Edges(t *testing.T) {
	t.Run("ResolvedAtMissing", func(t *testing.T) {
		inc := incident(t,
			csvRow("resolved_at=?", "sys_updated_at=1/3/2016 10:00", "incident_state=Resolved", "sys_mod_count=1"),
			csvRow("resolved_at=?", "sys_updated_at=1/3/2016 12:00", "incident_state=Resolved", "sys_mod_count=2"),
			csvRow("resolved_at=?", "sys_updated_at=6/3/2016 12:00", "incident_state=Closed", "sys_mod_count=3"),
		)
		tk, _ := testDirectory().Build(inc)
		if tk.ResolvedAt == nil || !tk.ResolvedAt.Equal(utc("1/3/2016 10:00")) {
			t.Errorf("resolved_at = %v, want when it entered Resolved", tk.ResolvedAt)
		}
		if !tk.ClosedAt.Equal(utc("5/3/2016 12:00")) {
			t.Errorf("closed_at = %v, want the source column", tk.ClosedAt)
		}
	})
	t.Run("ClosedFromNew", func(t *testing.T) {
		inc := incident(t, csvRow("resolved_at=?"), csvRow("resolved_at=?", "incident_state=Closed", "sys_mod_count=1"))
		tk, _ := testDirectory().Build(inc)
		if tk.ResolvedAt != nil || tk.FirstResponseAt == nil || tk.State != desk.StateClosed {
			t.Errorf("closed from new: resolved %v, first response %v, state %s", tk.ResolvedAt, tk.FirstResponseAt, tk.State)
		}
	})
	t.Run("StillOpen", func(t *testing.T) {
		inc := incident(t, csvRow("incident_state=Active"), csvRow("incident_state=Awaiting Vendor", "sys_mod_count=1",
			"assigned_to=Resolver 1", "sys_updated_at=1/3/2016 10:00"))
		tk, _ := testDirectory().Build(inc)
		if tk.State != desk.StateOnHold || tk.HoldReason != desk.HoldAwaitingVendor || tk.ResolvedAt != nil ||
			tk.ClosedAt != nil || tk.ResolutionCode != "" {
			t.Errorf("open ticket: %s/%s resolved %v closed %v code %q", tk.State, tk.HoldReason, tk.ResolvedAt, tk.ClosedAt, tk.ResolutionCode)
		}
	})
	t.Run("NoGroupNoCallerActiveUnassigned", func(t *testing.T) {
		inc := incident(t, csvRow("assignment_group=?", "caller_id=?", "incident_state=Active", "category=?"))
		tk, events := testDirectory().Build(inc)
		if tk.Group.Name != "Service Desk" || tk.Requester.Name != UnknownCaller || tk.State != desk.StateAssigned ||
			tk.Category != nil || tk.Subcategory != nil {
			t.Errorf("group %v requester %v state %s category %v/%v", tk.Group, tk.Requester, tk.State, tk.Category, tk.Subcategory)
		}
		if len(events) != 1 {
			t.Errorf("%d events, want the created one", len(events))
		}
	})
	t.Run("RowChangingNothingWeKeep", func(t *testing.T) {
		inc := incident(t, csvRow(), csvRow("sys_mod_count=1", "sys_updated_by=Updated by 9", "active=false", "sys_created_by=?"))
		if _, events := testDirectory().Build(inc); len(events) != 1 {
			t.Errorf("%d events, want only the created one", len(events))
		}
	})
}
