package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// testProblemLinkAtomic: linking an incident is one write. The link, the
// hold and the known error's workaround go in together (the ticket one
// version on), and a ticket changed since it was read stores none of
// them, not even the link.
func testProblemLinkAtomic(t *testing.T, open Opener) {
	p := newPrbFixture(t, open)
	c := p.as(t, p.agent)
	pr, err := p.pm.Create(c, problem.Input{Title: "VPN drops"})
	must(t, err)
	_, _, err = p.pm.PublishWorkaround(c, pr.Number(), problem.WorkaroundInput{Text: "Use the IKEv2 profile."})
	must(t, err)

	tk := p.working(t, "VPN drops at home", 1)
	res, err := p.pm.Link(c, pr.Number(), []string{tk.Number})
	must(t, err)
	if len(res.Held) != 1 {
		t.Fatalf("link: %+v", res)
	}
	after, err := p.d.Ticket(c, tk.Number)
	must(t, err)
	if after.Version != tk.Version+1 || after.State != desk.StateOnHold {
		t.Errorf("linked: version %d → %d, state %s; want one write putting it on hold", tk.Version, after.Version, after.State)
	}
	evs, err := p.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 50})
	must(t, err)
	n := len(evs.Events)
	if n < 2 || evs.Events[n-2].ReasonCode != desk.ReasonAwaitingProblem || evs.Events[n-1].ReasonCode != desk.ReasonWorkaround ||
		evs.Events[n-1].Body != "Use the IKEv2 profile." {
		t.Errorf("entries after the link: %+v", evs.Events)
	}

	// A write prepared on a ticket that changed since: nothing is stored.
	other := p.working(t, "VPN drops in the office", 2)
	_, stale, err := p.d.TicketForWrite(c, other.Number)
	must(t, err)
	_, _, err = p.d.Comment(c, other.Number, desk.CommentInput{Body: "Looking into it."})
	must(t, err)
	w, err := p.d.Prepare(c, stale, p.agent, desk.SystemNote{Kind: desk.EventLinked, Code: desk.ReasonProblemLinked,
		Params: []string{"problem", pr.Number()}})
	must(t, err)
	err = p.st.LinkIncident(ctx(t), problem.Link{ProblemID: pr.ID, TicketID: other.ID, LinkedAt: p.clock.Now(), LinkedBy: p.agent.ID}, w)
	wantCode(t, "link with a stale ticket", err, desk.ESTALE)
	_, err = p.st.TicketProblem(ctx(t), other.ID)
	wantCode(t, "the link of a failed write", err, desk.ENOTFOUND)

	// Through the service the stale read is read again and linked.
	res, err = p.pm.Link(c, pr.Number(), []string{other.Number})
	must(t, err)
	if len(res.Linked) != 1 {
		t.Errorf("link after a change: %+v", res)
	}
}
