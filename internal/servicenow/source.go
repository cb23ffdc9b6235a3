package servicenow

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Row is one good row of the export: one saved change to an incident, with
// its values parsed. Missing values ("?" or empty) are "" or nil.
type Row struct {
	Line   int    // line in the file; the header is line 1
	Number string // upper-case, such as INC0000045
	State  string // one of the ServiceNow states in sourceStates

	ReassignmentCount, ReopenCount, ModCount int

	Caller, OpenedBy, UpdatedBy string
	OpenedAt, UpdatedAt         time.Time
	ResolvedAt, ClosedAt        *time.Time

	ContactType, Category, Subcategory, Symptom string
	Impact, Urgency                             desk.Level
	Priority                                    desk.Priority
	Group, AssignedTo                           string
	ClosedCode, ResolvedBy                      string

	// Extra holds the values we keep only as text (location, problem, …),
	// in extraColumns order.
	Extra [len(extraColumns)]string
	// Unknown holds the values of the columns the export does not have
	// (Source.Unknown), in that order: kept like Extra.
	Unknown []Field
}

// Field is a named source value.
type Field struct{ Name, Value string }

// BadRow is a row that was skipped, and why.
type BadRow struct {
	Line   int
	Number string // when it could be read
	Reason string
}

func (b BadRow) String() string { return fmt.Sprintf("line %d: %s", b.Line, b.Reason) }

// requiredColumns must be in the header; the rest of the 36 columns of the
// export are optional.
var requiredColumns = []string{
	"number", "incident_state", "reassignment_count", "reopen_count", "sys_mod_count",
	"caller_id", "opened_at", "sys_updated_by", "sys_updated_at", "contact_type",
	"category", "subcategory", "impact", "urgency", "priority", "assignment_group", "assigned_to",
	"closed_code", "resolved_at", "closed_at",
}

// optionalColumns are read when present.
var optionalColumns = []string{"opened_by", "u_symptom", "resolved_by"}

// extraColumns are source fields with no place in a desk.Ticket: they are
// kept in the description and, when they change, in the history under
// "servicenow.<column>".
var extraColumns = [...]string{
	"location", "cmdb_ci", "problem_id", "rfc", "vendor", "caused_by",
	"knowledge", "made_sla", "u_priority_confirmation", "notify",
}

// extraLabels name extraColumns in the description, in words rather than
// the export's column names.
var extraLabels = [len(extraColumns)]string{
	"Location", "Configuration item", "Problem", "Change request", "Vendor", "Caused by",
	"Knowledge article used", "SLA met in ServiceNow", "Priority confirmed", "Notification",
}

// ignoredColumns are columns of the export that we read nothing from:
// "active" follows from the state, the sys_created pair repeats opened_*.
var ignoredColumns = []string{"active", "sys_created_by", "sys_created_at"}

// Source reads an export row by row, plain or gzip-compressed.
type Source struct {
	csv   *csv.Reader
	col   map[string]int
	width int
	// Unknown names the header's columns that are not the export's, in
	// header order (an unnamed one as "column N"): their values are kept
	// on each ticket rather than dropped unseen.
	Unknown []string
	unknown []int // their indexes
}

// gzipMagic starts every gzip stream; the file name is not consulted.
var gzipMagic = []byte{0x1f, 0x8b}

// NewSource reads the header of the export in r, decompressing it when it
// is gzip (recognised by its first bytes, whatever the file is called).
func NewSource(r io.Reader) (*Source, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	var in io.Reader = br
	if head, _ := br.Peek(2); bytes.Equal(head, gzipMagic) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("read gzip header: %w", err)
		}
		in = zr
	}
	c := csv.NewReader(in)
	c.FieldsPerRecord = -1
	c.ReuseRecord = true
	header, err := c.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	s := &Source{csv: c, col: map[string]int{}, width: len(header)}
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if name == "" {
			name = fmt.Sprintf("column %d", i+1)
		}
		if _, dup := s.col[name]; dup {
			name = fmt.Sprintf("%s (column %d)", name, i+1)
		} else {
			s.col[name] = i
		}
		if !knownColumn(name) {
			s.Unknown = append(s.Unknown, name)
			s.unknown = append(s.unknown, i)
		}
	}
	var missing []string
	for _, name := range requiredColumns {
		if _, ok := s.col[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("not a ServiceNow incident log: header lacks %s", strings.Join(missing, ", "))
	}
	return s, nil
}

// Next returns the next row: a good one, or (with bad set) one to skip. At
// the end it returns io.EOF; any other error means the file cannot be read
// further.
func (s *Source) Next() (row Row, bad *BadRow, err error) {
	rec, err := s.csv.Read()
	if err != nil {
		if pe, ok := errors.AsType[*csv.ParseError](err); ok {
			return Row{}, &BadRow{Line: pe.StartLine, Reason: "malformed CSV: " + pe.Err.Error()}, nil
		}
		return Row{}, nil, err
	}
	line, _ := s.csv.FieldPos(0)
	if len(rec) != s.width {
		return Row{}, &BadRow{Line: line, Reason: fmt.Sprintf("%d columns, want %d", len(rec), s.width)}, nil
	}
	p := rowParser{rec: rec, col: s.col}
	row = p.parse()
	row.Line = line
	if len(s.unknown) > 0 {
		row.Unknown = make([]Field, len(s.unknown))
		for i, at := range s.unknown {
			row.Unknown[i] = Field{Name: s.Unknown[i], Value: p.value(at)}
		}
	}
	if p.err != nil {
		return Row{}, &BadRow{Line: line, Number: row.Number, Reason: p.err.Error()}, nil
	}
	return row, nil, nil
}

// rowParser reads one record, keeping the first error.
type rowParser struct {
	rec []string
	col map[string]int
	err error
}

// knownColumn reports whether name is a column of the export.
func knownColumn(name string) bool {
	for _, list := range [][]string{requiredColumns, optionalColumns, extraColumns[:], ignoredColumns} {
		if slices.Contains(list, name) {
			return true
		}
	}
	return false
}

// get returns the column's value, "" when missing ("?", empty or no such
// column). Runs of spaces inside are collapsed ("Opened by  8").
func (p *rowParser) get(name string) string {
	i, ok := p.col[name]
	if !ok {
		return ""
	}
	return p.value(i)
}

// value is get's reading of the i-th field.
func (p *rowParser) value(i int) string {
	v := strings.TrimSpace(p.rec[i])
	if v == "?" {
		return ""
	}
	if strings.Contains(v, "  ") {
		v = strings.Join(strings.Fields(v), " ")
	}
	return v
}

func (p *rowParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf(format, args...)
	}
}

func (p *rowParser) parse() Row {
	r := Row{Number: strings.ToUpper(p.get("number"))}
	if r.Number == "" {
		p.fail("number is missing")
	}
	r.State = p.get("incident_state")
	if _, ok := sourceStates[r.State]; !ok {
		p.fail("incident_state %q is not a ServiceNow incident state", r.State)
	}
	r.ReassignmentCount = p.count("reassignment_count")
	r.ReopenCount = p.count("reopen_count")
	r.ModCount = p.count("sys_mod_count")
	r.Caller, r.OpenedBy, r.UpdatedBy = p.get("caller_id"), p.get("opened_by"), p.get("sys_updated_by")
	r.OpenedAt = p.requiredTime("opened_at")
	r.UpdatedAt = p.requiredTime("sys_updated_at")
	r.ResolvedAt, r.ClosedAt = p.time("resolved_at"), p.time("closed_at")
	r.ContactType, r.Symptom = p.get("contact_type"), p.get("u_symptom")
	r.Category, r.Subcategory = p.get("category"), p.get("subcategory")
	r.Impact, r.Urgency = p.level("impact"), p.level("urgency")
	r.Priority = p.priority("priority")
	r.Group, r.AssignedTo = p.get("assignment_group"), p.get("assigned_to")
	r.ClosedCode, r.ResolvedBy = p.get("closed_code"), p.get("resolved_by")
	for i, name := range extraColumns {
		r.Extra[i] = p.get(name)
	}
	return r
}

func (p *rowParser) count(name string) int {
	v := p.get(name)
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		p.fail("%s %q is not a count", name, v)
	}
	return n
}

func (p *rowParser) requiredTime(name string) time.Time {
	t := p.time(name)
	if t == nil {
		if p.err == nil {
			p.fail("%s is missing", name)
		}
		return time.Time{}
	}
	return *t
}

func (p *rowParser) time(name string) *time.Time {
	v := p.get(name)
	if v == "" {
		return nil
	}
	t, err := ParseTime(v)
	if err != nil {
		p.fail("%s %q: %v", name, v, err)
		return nil
	}
	return &t
}

// level reads impact or urgency: "1 - High", "2 - Medium", "3 - Low" (the
// number decides; a bare number is accepted too).
func (p *rowParser) level(name string) desk.Level {
	v := p.get(name)
	n := gradeNumber(v)
	if n < 1 || n > len(desk.Levels) {
		p.fail("%s %q is not one of 1 - High, 2 - Medium, 3 - Low", name, v)
		return ""
	}
	return desk.Levels[n-1]
}

// priority reads "1 - Critical" … "4 - Low" as P1 … P4.
func (p *rowParser) priority(name string) desk.Priority {
	v := p.get(name)
	n := gradeNumber(v)
	if n < 1 || n > len(desk.Priorities) {
		p.fail("%s %q is not one of 1 - Critical, 2 - High, 3 - Moderate, 4 - Low", name, v)
		return ""
	}
	return desk.Priorities[n-1]
}

// gradeNumber returns N of "N - Label" or "N", or 0.
func gradeNumber(v string) int {
	num, _, _ := strings.Cut(v, " - ")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil {
		return 0
	}
	return n
}

// timeLayouts are the export's date formats: day/month/year, 24-hour clock,
// minutes (seconds accepted when present).
var timeLayouts = []string{"2/1/2006 15:04", "2/1/2006 15:04:05"}

// ParseTime reads an export timestamp such as "29/2/2016 01:16". The
// export carries no time zone; we read every time as UTC (see the package
// documentation).
func ParseTime(v string) (time.Time, error) {
	var err error
	for _, layout := range timeLayouts {
		var t time.Time
		if t, err = time.ParseInLocation(layout, v, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a d/m/yyyy HH:MM time")
}
