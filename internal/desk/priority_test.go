package desk

import "testing"

// TestDefaultMatrix is the table of the issue, cell by cell.
func TestDefaultMatrix(t *testing.T) {
	want := map[[2]Level]Priority{
		{LevelHigh, LevelHigh}: P1, {LevelHigh, LevelMedium}: P2, {LevelHigh, LevelLow}: P3,
		{LevelMedium, LevelHigh}: P2, {LevelMedium, LevelMedium}: P3, {LevelMedium, LevelLow}: P4,
		{LevelLow, LevelHigh}: P3, {LevelLow, LevelMedium}: P4, {LevelLow, LevelLow}: P4,
	}
	for k, p := range want {
		if got := DefaultMatrix.Priority(k[0], k[1]); got != p {
			t.Errorf("impact %s × urgency %s = %s, want %s", k[0], k[1], got, p)
		}
	}
	if err := DefaultMatrix.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestMatrixSetAndValidate(t *testing.T) {
	m := DefaultMatrix
	m.Set(LevelLow, LevelHigh, P2)
	if got := m.Priority(LevelLow, LevelHigh); got != P2 {
		t.Fatalf("after Set: %s, want P2", got)
	}
	if DefaultMatrix.Priority(LevelLow, LevelHigh) != P3 {
		t.Fatal("Set on a copy changed DefaultMatrix")
	}
	m.Set(LevelMedium, LevelLow, "P9")
	err := m.Validate()
	e, ok := err.(*Error)
	if !ok || e.Code != EINVALID || len(e.Fields) != 1 || e.Fields[0].Field != "medium.low" {
		t.Fatalf("Validate = %v, want one invalid field medium.low", err)
	}
}

func TestParseTicketRef(t *testing.T) {
	tests := []struct {
		in     string
		id     int64
		number string
		ok     bool
	}{
		{"42", 42, "", true},
		{"INC-000123", 0, "INC-000123", true},
		{"req-000045", 0, "REQ-000045", true},
		{"INC-1234567", 0, "INC-1234567", true},
		{"0", 0, "", false},
		{"-3", 0, "", false},
		{"INC-", 0, "", false},
		{"INC-12a", 0, "", false},
		{"CHG-000001", 0, "", false},
		{"INC0000045", 0, "INC0000045", true}, // ServiceNow, kept by the importer
		{" inc0012345 ", 0, "INC0012345", true},
		{"INC", 0, "", false},
		{"INC00x1", 0, "", false},
		{"INC 0000045", 0, "", false},
		{"REQ0000045", 0, "", false},
		{"CHG0000045", 0, "", false},
		{"1; DROP TABLE tickets", 0, "", false},
	}
	for _, tt := range tests {
		id, number, err := ParseTicketRef(tt.in)
		if (err == nil) != tt.ok || id != tt.id || number != tt.number {
			t.Errorf("ParseTicketRef(%q) = %d, %q, %v; want %d, %q, ok=%v", tt.in, id, number, err, tt.id, tt.number, tt.ok)
		}
	}
}
