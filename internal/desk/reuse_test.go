package desk_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func resolvedIncident(f *fixture, title, notes string) *desk.Ticket {
	f.t.Helper()
	tk := f.incident(title)
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})
	return f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: notes})
}

func reusedFrom(t *testing.T, f *fixture, ref string) []string {
	t.Helper()
	rs, err := f.d.ResolutionReuses(f.l1, ref)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range rs {
		out = append(out, r.SourceNumber)
	}
	return out
}

// TestResolutionReuse: "Use this resolution" records the resolved ticket a
// resolution was copied from, on a resolution and on a first-contact
// resolution, once a source; a source that is open, the ticket itself,
// or one the agent may not see is refused naming reused_from.
func TestResolutionReuse(t *testing.T) {
	f := newFixture(t)
	src := resolvedIncident(f, "VPN drops every hour", "Renewed the client certificate")
	tk := f.incident("VPN drops again")
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress})

	refused := func(name string, in desk.TransitionInput, rule desk.Rule) {
		t.Helper()
		_, err := f.d.Transition(f.l1, tk.Number, in)
		e := wantCode(t, err, desk.EINVALID)
		if len(e.Fields) != 1 || e.Fields[0].Field != "reused_from" || e.Fields[0].Rule != rule {
			t.Errorf("%s: %+v, want reused_from %s", name, e.Fields, rule)
		}
	}
	resolve := desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: src.ResolutionNotes}
	open := f.incident("VPN open")
	in := resolve
	in.ReusedFrom = open.Number
	refused("an open source", in, desk.RuleNotResolved)
	in.ReusedFrom = tk.Number
	refused("itself", in, desk.RuleSelf)
	in.ReusedFrom = "INC-999999"
	refused("no such ticket", in, desk.RuleUnknown)
	hidden := resolvedIncident(f, "VPN of the board", "Secret fix")
	restricted := true
	if _, err := f.d.UpdateTicket(f.admin, hidden.Number, desk.TicketPatch{Restricted: &restricted}); err != nil {
		t.Fatal(err)
	}
	_, l2only := f.agent("rita@example.com", f.g2)
	if _, err := f.d.Transition(l2only, tk.Number, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0],
		ResolutionNotes: "x", ReusedFrom: hidden.Number}); desk.ErrorCode(err) != desk.EINVALID && desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("reusing a restricted ticket of another group: %v", err)
	}
	in = desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldReasons[0], Reason: "waiting", ReusedFrom: src.Number}
	refused("not a resolution", in, desk.RuleNotAllowed)
	if got := reusedFrom(t, f, tk.Number); len(got) != 0 {
		t.Fatalf("refused reuses were recorded: %v", got)
	}

	in = resolve
	in.ReusedFrom = src.Number
	f.move(f.l1, tk, in)
	if got := reusedFrom(t, f, tk.Number); len(got) != 1 || got[0] != src.Number {
		t.Errorf("reused from %v, want %s", got, src.Number)
	}
	// Reopened and resolved again from the same source: still one use.
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress, Reason: "back again"})
	f.move(f.l1, tk, in)
	if got := reusedFrom(t, f, tk.Number); len(got) != 1 {
		t.Errorf("reused %v, want one use of %s", got, src.Number)
	}

	fcr := fcrTicket(false)
	fcr.FirstContact.ReusedFrom = src.Number
	on, _, err := f.d.CreateTicket(f.l1, fcr, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := reusedFrom(t, f, on.Number); len(got) != 1 || got[0] != src.Number {
		t.Errorf("first-contact resolution reused from %v, want %s", got, src.Number)
	}
	fcr.FirstContact.ReusedFrom = open.Number
	if _, _, err := f.d.CreateTicket(f.l1, fcr, ""); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("a first-contact resolution from an open ticket: %v, want invalid", err)
	}
}
