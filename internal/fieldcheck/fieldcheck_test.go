package fieldcheck

import (
	"reflect"
	"strings"
	"testing"
)

// TestChecks: each rule refuses what it names and nothing else, in the
// order found.
func TestChecks(t *testing.T) {
	var c Checks
	c.Text("ok", "fine", 10, true)
	c.Text("optional", "", 10, false)
	c.Text("bad", "\xff", 10, false)
	c.Text("empty", "  ", 10, true)
	c.Text("long", strings.Repeat("я", 11), 10, false)
	c.OneOf("lang", "", []string{"en", "ru"}, false)
	c.OneOf("kind", "", []string{"a"}, true)
	c.OneOf("lang2", "de", []string{"en", "ru"}, true)
	var got []string
	for _, e := range c {
		got = append(got, e.Field+":"+e.Rule)
	}
	want := []string{"bad:invalid_text", "empty:required", "long:too_long", "kind:required", "lang2:one_of"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("refused %v, want %v", got, want)
	}
	if c[2].Params["max"] != 10 {
		t.Errorf("too_long params %v", c[2].Params)
	}
}
