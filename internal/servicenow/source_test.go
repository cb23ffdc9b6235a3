package servicenow

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestParseTime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"29/2/2016 01:16", time.Date(2016, 2, 29, 1, 16, 0, 0, time.UTC), true},
		{"1/3/2016 9:05", time.Date(2016, 3, 1, 9, 5, 0, 0, time.UTC), true},
		{"01/03/2016 09:05", time.Date(2016, 3, 1, 9, 5, 0, 0, time.UTC), true},
		{"18/2/2017 23:59", time.Date(2017, 2, 18, 23, 59, 0, 0, time.UTC), true},
		{"5/3/2016 12:00:30", time.Date(2016, 3, 5, 12, 0, 30, 0, time.UTC), true},
		{"29/2/2017 01:16", time.Time{}, false}, // no 29 February in 2017
		{"3/13/2016 10:00", time.Time{}, false}, // month/day order
		{"2016-02-29 01:16", time.Time{}, false},
		{"29/2/2016", time.Time{}, false},
		{"29/2/2016 25:00", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, err := ParseTime(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) || (tt.ok && got.Location() != time.UTC) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v, ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

// readAll reads every row of a log.
func readAll(t *testing.T, r io.Reader) ([]Row, []BadRow) {
	t.Helper()
	src, err := NewSource(r)
	if err != nil {
		t.Fatal(err)
	}
	var rows []Row
	var bad []BadRow
	for {
		row, b, err := src.Next()
		if errors.Is(err, io.EOF) {
			return rows, bad
		}
		if err != nil {
			t.Fatal(err)
		}
		if b != nil {
			bad = append(bad, *b)
		} else {
			rows = append(rows, row)
		}
	}
}

// badLog has good rows around every kind of bad one; the comment on each
// line is its line number in the file.
var badLog = csvLog(
	csvRow("number=inc0000001", "assigned_to=Resolver 89", "resolved_at=?", "cmdb_ci=?"), // 2
	csvRow("number=INC0000002", "incident_state=-100"),                                   // 3
	csvRow("number=INC0000003", "sys_updated_at=31/2/2016 10:00"),                        // 4
	csvRow("number=INC0000004")+",extra",                                                 // 5
	csvRow("number=INC0000005", "reassignment_count=one"),                                // 6
	csvRow("number=INC0000006", "impact=4 - Extreme"),                                    // 7
	csvRow("number=INC0000007", "priority=?"),                                            // 8
	csvRow("number=?"),                                                             // 9
	csvRow("number=INC0000009", "opened_at=?"),                                     // 10
	csvRow("number=INC0000010", `location="Location 1`+"\n"+`and 2"`),              // 11-12
	csvRow("number=INC0000011", `location=Loc"ation`),                              // 13
	csvRow("number=INC0000012", "incident_state=Awaiting Evidence", "closed_at=?"), // 14
)

func TestSource_BadRows(t *testing.T) {
	rows, bad := readAll(t, strings.NewReader(badLog))
	type got struct {
		Line   int
		Number string
	}
	var lines []got
	for _, r := range rows {
		lines = append(lines, got{r.Line, r.Number})
	}
	want := []got{{2, "INC0000001"}, {11, "INC0000010"}, {14, "INC0000012"}}
	if d := cmp.Diff(want, lines); d != "" {
		t.Errorf("good rows (-want +got):\n%s", d)
	}
	wantBad := []struct {
		line   int
		reason string
	}{
		{3, `incident_state "-100" is not a ServiceNow incident state`},
		{4, `sys_updated_at "31/2/2016 10:00"`},
		{5, "37 columns, want 36"},
		{6, `reassignment_count "one" is not a count`},
		{7, `impact "4 - Extreme"`},
		{8, `priority "" is not one of`},
		{9, "number is missing"},
		{10, "opened_at is missing"},
		{13, "malformed CSV"},
	}
	if len(bad) != len(wantBad) {
		t.Fatalf("bad rows: %v, want %d", bad, len(wantBad))
	}
	for i, w := range wantBad {
		if bad[i].Line != w.line || !strings.Contains(bad[i].Reason, w.reason) {
			t.Errorf("bad row %d = %v, want line %d: …%s…", i, bad[i], w.line, w.reason)
		}
	}
}

func TestSource_Values(t *testing.T) {
	rows, _ := readAll(t, strings.NewReader(badLog))
	r := rows[0]
	opened := time.Date(2016, 2, 29, 1, 16, 0, 0, time.UTC)
	closed := time.Date(2016, 3, 5, 12, 0, 0, 0, time.UTC)
	checks := []struct {
		what      string
		got, want any
	}{
		{"number upper-cased", r.Number, "INC0000001"},
		{"state", r.State, "New"},
		{"opened_at", r.OpenedAt, opened},
		{"sys_updated_at", r.UpdatedAt, time.Date(2016, 2, 29, 1, 23, 0, 0, time.UTC)},
		{"resolved_at ? is nil", r.ResolvedAt, (*time.Time)(nil)},
		{"closed_at", *r.ClosedAt, closed},
		{"opened_by spaces collapsed", r.OpenedBy, "Opened by 8"},
		{"assignee", r.AssignedTo, "Resolver 89"},
		{"impact", r.Impact, desk.LevelMedium},
		{"priority", r.Priority, desk.P3},
		{"cmdb_ci ? is empty", r.Extra[1], ""},
		{"location", r.Extra[0], "Location 143"},
		{"quoted multi-line value", rows[1].Extra[0], "Location 1\nand 2"},
	}
	for _, c := range checks {
		if !cmp.Equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestSource_GzipByContent(t *testing.T) {
	plainRows, plainBad := readAll(t, strings.NewReader(badLog))
	zRows, zBad := readAll(t, bytes.NewReader(gzipped(t, badLog)))
	if d := cmp.Diff(plainRows, zRows); d != "" {
		t.Errorf("gzip rows differ (-plain +gzip):\n%s", d)
	}
	if d := cmp.Diff(plainBad, zBad); d != "" {
		t.Errorf("gzip bad rows differ (-plain +gzip):\n%s", d)
	}
}

func TestSource_Header(t *testing.T) {
	_, err := NewSource(strings.NewReader("number,incident_state,impact\nINC1,New,1 - High\n"))
	if err == nil || !strings.Contains(err.Error(), "header lacks reassignment_count") {
		t.Errorf("short header: %v", err)
	}
	if _, err := NewSource(strings.NewReader("")); err == nil {
		t.Error("empty file accepted")
	}
	// Columns in another order, with a byte-order mark: read by name.
	cols := append([]string{}, columns...)
	cols[0], cols[1] = cols[1], cols[0]
	line := strings.Split(csvRow("number=INC0000077"), ",")
	line[0], line[1] = line[1], line[0]
	text := "\ufeff" + strings.Join(cols, ",") + "\n" + strings.Join(line, ",") + "\n"
	rows, bad := readAll(t, strings.NewReader(text))
	if len(bad) != 0 || len(rows) != 1 || rows[0].Number != "INC0000077" || rows[0].State != "New" {
		t.Errorf("reordered columns: rows %+v, bad %v", rows, bad)
	}
}
