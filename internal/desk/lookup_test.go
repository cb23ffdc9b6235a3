package desk_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestLookupTerms(t *testing.T) {
	u := &desk.User{Name: "Anne-Marie  O'Brien", Email: "AM.OBrien@Corp.Example", Phone: "+7 (495) 123-45-67",
		Organization: "ООО «Ёлка»"}
	got := desk.LookupTerms(u)
	for _, want := range []string{"anne-marie", "anne", "marie", "o'brien", "brien", "am.obrien@corp.example",
		"am.obrien", "corp.example", "obrien", "corp", "74951234567", "4951234567", "4567", "ооо", "елка"} {
		if !slices.Contains(got, want) {
			t.Errorf("terms %q lack %q", got, want)
		}
	}
	if slices.Contains(got, "567") || slices.Contains(got, "") {
		t.Errorf("terms %q hold a phone run shorter than 4 digits or an empty term", got)
	}
}

func TestLookupWords(t *testing.T) {
	for q, want := range map[string][]string{
		"  Anna   Petrova ":  {"anna", "petrova"},
		"+7 (495) 123-45-67": {"74951234567"},
		"495 123":            {"495123"},
		"sam.seller@":        {"sam.seller@"},
		"«Ёлка»":             {"елка"},
		"% _ ,":              nil,
		"a b c d e f g":      {"a", "b", "c", "d", "e"},
		"anna anna":          {"anna"},
		"R2-D2 hotline":      {"r2-d2", "hotline"},
		"ext. 4567, room 12": {"ext.", "4567", "room", "12"},
	} {
		if d := cmp.Diff(want, desk.LookupWords(q)); d != "" {
			t.Errorf("LookupWords(%q) (-want +got):\n%s", q, d)
		}
	}
}

// TestLookupRequesters: staff find callers by any word; requesters may
// not look anyone up (the directory test covers every role); the limit
// is checked and More says when there is more to find.
func TestLookupRequesters(t *testing.T) {
	f := newFixture(t)
	for _, email := range []string{"anna.one@example.com", "anna.two@example.com", "anna.three@example.com"} {
		if _, err := f.d.CreateUser(f.admin, desk.UserInput{Email: email, Name: "Anna " + email[5:8], Role: desk.RoleRequester,
			Organization: "ACME"}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := f.d.LookupRequesters(f.l1, desk.RequesterLookup{Query: "acme anna", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Users) != 2 || !m.More {
		t.Errorf("limit 2 of 3: %d users, more %v", len(m.Users), m.More)
	}
	m, err = f.d.LookupRequesters(f.l1, desk.RequesterLookup{Query: "acme anna"})
	if err != nil || len(m.Users) != 3 || m.More {
		t.Errorf("default limit: %v, %v", m, err)
	}
	m, err = f.d.LookupRequesters(f.l1, desk.RequesterLookup{Query: " ,. "})
	if err != nil || len(m.Users) != 0 {
		t.Errorf("a query of no words finds nobody: %v, %v", m, err)
	}
	for _, limit := range []int{-1, desk.MaxLookupResults + 1} {
		_, err := f.d.LookupRequesters(f.l1, desk.RequesterLookup{Query: "anna", Limit: limit})
		if e := wantCode(t, err, desk.EINVALID); e.Fields[0].Rule != desk.RuleOutOfRange {
			t.Errorf("limit %d: %v", limit, e)
		}
	}
	_, err = f.d.LookupRequesters(f.sam, desk.RequesterLookup{Query: "anna"})
	wantCode(t, err, desk.EFORBIDDEN)
}
