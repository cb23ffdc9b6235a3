package servicenow

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

func importText(t *testing.T, s *sqlstore.Store, text string, o Options) Summary {
	t.Helper()
	sum, err := Import(t.Context(), s, strings.NewReader(text), o)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum
}

// smallLog has two incidents and a bad row between them, gzip-compressed.
var smallLog = csvLog(
	csvRow("number=INC0000045", "assignment_group=Group 56"),
	csvRow("number=INC0000045", "assignment_group=Group 70", "reassignment_count=1", "sys_mod_count=1",
		"assigned_to=Resolver 89", "incident_state=Active", "sys_updated_at=29/2/2016 05:00"),
	csvRow("number=INC0000045", "assignment_group=Group 70", "reassignment_count=1", "sys_mod_count=2",
		"assigned_to=Resolver 89", "incident_state=Resolved", "sys_updated_at=29/2/2016 11:29"),
	csvRow("number=INC0000046", "incident_state=-100"),
	csvRow("number=INC0000047", "caller_id=Caller 1", "category=Category 9", "subcategory=Subcategory 97"),
)

func TestImport_SmallLog(t *testing.T) {
	t.Parallel()
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			sum, err := Import(t.Context(), s, strings.NewReader(string(gzipped(t, smallLog))), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := Summary{Rows: 5, Incidents: 2, Imported: 2, Events: 5,
				BadRows: []BadRow{{Line: 5, Number: "INC0000046", Reason: `incident_state "-100" is not a ServiceNow incident state`}}}
			if d := cmp.Diff(want, sum); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
			checkSmallLog(t, s)
		})
	}
}

func checkSmallLog(t *testing.T, s *sqlstore.Store) {
	ctx := t.Context()
	// Found by its ServiceNow number, in any case, through the desk as the
	// API and CLI find tickets.
	admin := &desk.User{ID: 1, Role: desk.RoleAdmin, Active: true}
	tk, err := desk.New(s, desk.SystemClock{}, desk.DefaultConfig).Ticket(desk.WithActor(ctx, admin), "inc0000045")
	if err != nil {
		t.Fatalf("find INC0000045 through the desk: %v", err)
	}
	if tk.State != desk.StateResolved || tk.Group.Name != "Group 70" || name(tk.Assignee) != "Resolver 89" ||
		tk.ReassignmentCount != 1 || tk.Requester.Email != "caller-2403@servicenow.invalid" {
		t.Errorf("INC0000045 = %s", ticketLine(tk))
	}
	if _, err := s.GetTicketByNumber(ctx, "INC0000046"); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("the incident with only a bad row: %v, want not found", err)
	}
	events := eventLines(t, s, tk)
	wantKinds := []string{"created by Updated by 21", "reassigned by Updated by 21", "transition by Updated by 21",
		"transition by Updated by 21"}
	for i, e := range events {
		if i >= len(wantKinds) || !strings.Contains(e, wantKinds[i]) {
			t.Errorf("event %d = %s, want %s", i, e, wantKinds[min(i, len(wantKinds)-1)])
		}
	}
	dir := strings.Join(directoryLines(t, s), "\n")
	for _, want := range []string{
		"group Group 70 line 1 default=false members=[Resolver 89]",
		"group Group 56 line 1 default=false members=[]",
		"group Service Desk line 1 default=true",
		`category Subcategory 97 under "Category 9"`,
		`category Category 9 under ""`,
		"user Caller 1 <caller-1@servicenow.invalid> requester active=true",
		"user Resolver 89 <resolver-89@servicenow.invalid> agent active=true",
		"user Updated by 21 <updated-by-21@servicenow.invalid> agent active=true",
		"user Opened by 8 <opened-by-8@servicenow.invalid> agent active=true",
	} {
		if !strings.Contains(dir, want) {
			t.Errorf("directory lacks %q:\n%s", want, dir)
		}
	}
}

// TestImport_Idempotent imports the same log twice: the second run skips
// every incident and the store is unchanged.
func TestImport_Idempotent(t *testing.T) {
	t.Parallel()
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			log := syntheticLog(40)
			first := importText(t, s, log, Options{BatchSize: 7})
			before := dump(t, s)
			second := importText(t, s, log, Options{BatchSize: 7})
			if first.Imported != 40 || first.Skipped != 0 || second.Imported != 0 || second.Skipped != 40 ||
				second.Events != 0 || second.Rows != first.Rows {
				t.Errorf("first %+v, second %+v", first, second)
			}
			if d := cmp.Diff(before, dump(t, s)); d != "" {
				t.Errorf("second import changed the store (-before +after):\n%s", d)
			}
			numbers := map[string]bool{}
			for _, line := range before {
				if n, _, _ := strings.Cut(line, " "); strings.HasPrefix(line, "INC") && !strings.Contains(line, "#") {
					if numbers[n] {
						t.Errorf("ticket %s stored twice", n)
					}
					numbers[n] = true
				}
			}
			if len(numbers) != 40 {
				t.Errorf("%d tickets stored, want 40", len(numbers))
			}
		})
	}
}

// TestImport_Resume cancels an import after three batches, runs it again,
// and compares the result with one uninterrupted import.
func TestImport_Resume(t *testing.T) {
	t.Parallel()
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			log := syntheticLog(40)
			whole := b.Open(t)
			importText(t, whole, log, Options{BatchSize: 5})

			s := b.Open(t)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			batches := 0
			sum, err := Import(ctx, s, strings.NewReader(log), Options{BatchSize: 5, AfterBatch: func(Summary) {
				if batches++; batches == 3 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) || sum.Imported != 15 {
				t.Fatalf("interrupted import: %+v, %v; want 15 imported and context.Canceled", sum, err)
			}
			rest := importText(t, s, log, Options{BatchSize: 5})
			if rest.Imported != 25 || rest.Skipped != 15 {
				t.Errorf("resumed import: %+v, want 25 imported, 15 skipped", rest)
			}
			if d := cmp.Diff(dump(t, whole), dump(t, s)); d != "" {
				t.Errorf("interrupted and resumed differs from one import (-whole +resumed):\n%s", d)
			}
		})
	}
}

func TestImport_Refuses(t *testing.T) {
	t.Parallel()
	s := testdb.SQLite(t)
	t.Run("RowsOfAnIncidentApart", func(t *testing.T) {
		log := csvLog(csvRow("number=INC0000001"), csvRow("number=INC0000002"), csvRow("number=INC0000001", "sys_mod_count=1"))
		_, err := Import(t.Context(), s, strings.NewReader(log), Options{})
		if err == nil || !strings.Contains(err.Error(), "line 4: INC0000001 appeared before, at line 2") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("NotAnIncidentLog", func(t *testing.T) {
		_, err := Import(t.Context(), s, strings.NewReader("a,b\n1,2\n"), Options{})
		if err == nil || !strings.Contains(err.Error(), "not a ServiceNow incident log") {
			t.Errorf("got %v", err)
		}
	})
}

// TestImport_KeepsOurNumbering checks that imported numbers do not touch
// the counters: the next ticket created here is still INC-000001.
func TestImport_KeepsOurNumbering(t *testing.T) {
	t.Parallel()
	s := testdb.SQLite(t)
	importText(t, s, smallLog, Options{})
	tickets, err := s.ListTickets(t.Context(), desk.TicketFilter{Limit: 10, Visibility: desk.Visibility{AllRestricted: true}})
	if err != nil {
		t.Fatal(err)
	}
	tk := *tickets.Tickets[0]
	tk.ID, tk.Number = 0, ""
	if _, err := s.CreateTicket(t.Context(), &tk, nil, nil); err != nil {
		t.Fatal(err)
	}
	if tk.Number != "INC-000001" {
		t.Errorf("first ticket created after the import is %s, want INC-000001", tk.Number)
	}
	found, err := s.ExistingNumbers(t.Context(), []string{"inc0000045", "INC0000047", "INC-000001", "INC0000046"})
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(func(yield func(string) bool) {
		for n := range found {
			yield(n)
		}
	})
	if d := cmp.Diff([]string{"INC-000001", "INC0000047", "inc0000045"}, got); d != "" {
		t.Errorf("ExistingNumbers (-want +got):\n%s", d)
	}
}

// TestImport_UnknownColumns: columns the export does not have are reported
// once, before the first row, and their non-empty values are kept on the
// ticket (description and history) instead of being dropped unseen.
func TestImport_UnknownColumns(t *testing.T) {
	t.Parallel()
	withExtra := func(line, business, empty string) string { return line + "," + business + "," + empty }
	text := strings.Join(columns, ",") + ",U_Business_Service,\n" +
		withExtra(csvRow("number=INC0000050"), "Payroll", "?") + "\n" +
		withExtra(csvRow("number=INC0000050", "sys_mod_count=1", "sys_updated_at=29/2/2016 05:00"), "Payroll EU", "") + "\n" +
		withExtra(csvRow("number=INC0000051"), "?", "") + "\n"
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			var reported [][]string
			sum := importText(t, s, text, Options{UnknownColumns: func(names []string) { reported = append(reported, names) }})
			want := []string{"u_business_service", "column 38"}
			if d := cmp.Diff([][]string{want}, reported); d != "" {
				t.Errorf("reported (-want +got):\n%s", d)
			}
			if d := cmp.Diff(want, sum.UnknownColumns); d != "" {
				t.Errorf("summary (-want +got):\n%s", d)
			}
			lines := strings.Join(dump(t, s), "\n")
			for _, w := range []string{
				`u_business_service: Payroll EU`,
				`servicenow.u_business_service: ""→"Payroll"`,
				`servicenow.u_business_service: "Payroll"→"Payroll EU"`,
			} {
				if !strings.Contains(lines, w) {
					t.Errorf("the import does not keep %q:\n%s", w, lines)
				}
			}
			if strings.Contains(lines, "column 38") {
				t.Errorf("an empty unknown column was kept:\n%s", lines)
			}
			for _, l := range dump(t, s) {
				if strings.HasPrefix(l, "INC0000051 ") && strings.Contains(l, "u_business_service") {
					t.Errorf("a missing value (?) was kept: %s", l)
				}
			}
		})
	}
}
