package desk_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func numbers(p *desk.TicketPage) []string {
	var out []string
	for _, t := range p.Tickets {
		out = append(out, t.Number)
	}
	return out
}

func (f *fixture) queue(ctx context.Context, name desk.QueueName, o desk.QueueOptions) []string {
	f.t.Helper()
	p, err := f.d.Queue(ctx, name, o)
	if err != nil {
		f.t.Fatalf("queue %s: %v", name, err)
	}
	return numbers(p)
}

// TestDesk_SLAStatus follows a P1's stored SLA position through its life:
// the response deadline first, then the resolution deadline, the outcomes
// as each clock stops.
func TestDesk_SLAStatus(t *testing.T) {
	f := newFixture(t)
	tk := f.incident("Payments down") // P1: 15 min response, 4 h resolution, 24x7
	if tk.SLA.DueAt == nil || !tk.SLA.DueAt.Equal(tk.CreatedAt.Add(15*time.Minute)) ||
		tk.SLA.ResponseMet != nil || tk.SLA.ResolutionMet != nil {
		t.Fatalf("new P1: %+v", tk.SLA)
	}
	f.clock.Advance(10 * time.Minute)
	f.move(f.l1, tk, desk.TransitionInput{To: desk.StateAssigned})
	got := f.move(f.l1, tk, desk.TransitionInput{To: desk.StateInProgress}) // first response in time
	if got.SLA.DueAt == nil || !got.SLA.DueAt.Equal(tk.CreatedAt.Add(4*time.Hour)) ||
		got.SLA.ResponseMet == nil || !*got.SLA.ResponseMet || got.SLA.ResolutionMet != nil {
		t.Fatalf("after the first response: %+v", got.SLA)
	}
	f.clock.Advance(5 * time.Hour) // the resolution clock breaches; resolving late records the miss
	got = f.move(f.l1, tk, desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCode("workaround"), ResolutionNotes: "restarted"})
	if got.SLA.DueAt != nil || got.SLA.ResolutionMet == nil || *got.SLA.ResolutionMet {
		t.Fatalf("resolved late: %+v", got.SLA)
	}
	stored, err := f.d.Ticket(f.l1, tk.Number)
	if err != nil {
		t.Fatal(err)
	}
	if stored.SLA.ResolutionMet == nil || *stored.SLA.ResolutionMet || !*stored.SLA.ResponseMet {
		t.Fatalf("stored: %+v", stored.SLA)
	}
}

// TestDesk_Queues: each predefined queue selects what its name says, most
// urgent deadline first, and the time-bound ones keep their instant across
// pages.
func TestDesk_Queues(t *testing.T) {
	f := newFixture(t)
	p1 := f.incident("P1 payments") // due in 15 min
	f.clock.Advance(time.Minute)
	p1b := f.incident("P1 checkout") // due 1 min later
	low, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: "P4 font", Channel: desk.ChannelPhone,
		Requester: desk.PersonInput{Email: "sam@example.com"}, Impact: desk.LevelLow, Urgency: desk.LevelLow}, "")
	if err != nil {
		t.Fatal(err)
	}
	f.move(f.l1, p1b, desk.TransitionInput{To: desk.StateAssigned}) // assigned to lena, first response not yet

	if got, want := f.queue(f.l1, desk.QueueMyGroups, desk.QueueOptions{}), []string{p1.Number, p1b.Number, low.Number}; !slices.Equal(got, want) {
		t.Errorf("my groups by deadline = %v, want %v", got, want)
	}
	if got, want := f.queue(f.l1, desk.QueueMine, desk.QueueOptions{}), []string{p1b.Number}; !slices.Equal(got, want) {
		t.Errorf("mine = %v, want %v", got, want)
	}
	if got, want := f.queue(f.l1, desk.QueueUnassigned, desk.QueueOptions{}), []string{p1.Number, low.Number}; !slices.Equal(got, want) {
		t.Errorf("unassigned = %v, want %v", got, want)
	}
	if got := f.queue(f.l2, desk.QueueMyGroups, desk.QueueOptions{}); len(got) != 0 {
		t.Errorf("line 2's groups hold %v, want nothing", got)
	}
	if got, want := f.queue(f.l1, desk.QueueAboutToBreach, desk.QueueOptions{}), []string{p1.Number, p1b.Number}; !slices.Equal(got, want) {
		t.Errorf("about to breach within 1 h = %v, want %v", got, want)
	}
	if got := f.queue(f.l1, desk.QueueBreached, desk.QueueOptions{}); len(got) != 0 {
		t.Errorf("breached before any deadline = %v", got)
	}

	f.clock.Advance(14*time.Minute + 30*time.Second) // p1 is past its deadline, p1b not yet
	if got, want := f.queue(f.l1, desk.QueueBreached, desk.QueueOptions{}), []string{p1.Number}; !slices.Equal(got, want) {
		t.Errorf("breached = %v, want %v", got, want)
	}
	if got, want := f.queue(f.l1, desk.QueueAboutToBreach, desk.QueueOptions{}), []string{p1b.Number}; !slices.Equal(got, want) {
		t.Errorf("about to breach = %v, want %v (a breached ticket is no longer about to)", got, want)
	}

	// Paging a time-bound queue: the second page uses the first's instant,
	// even though the clock moved and would now select both.
	page, err := f.d.Queue(f.l1, desk.QueueBreached, desk.QueueOptions{Limit: 1})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("first page: %v %v", page, err)
	}
	if page.NextCursor != "" {
		t.Fatalf("one breached ticket but a next page: %q", page.NextCursor)
	}
	f.clock.Advance(time.Hour) // both breached now
	first, err := f.d.Queue(f.l1, desk.QueueBreached, desk.QueueOptions{Limit: 1})
	if err != nil || len(first.Tickets) != 1 || first.NextCursor == "" {
		t.Fatalf("first of two: %v %v", first, err)
	}
	f.clock.Advance(time.Hour)
	second, err := f.d.Queue(f.l1, desk.QueueBreached, desk.QueueOptions{Limit: 1, Cursor: first.NextCursor})
	if err != nil || !slices.Equal(numbers(second), []string{p1b.Number}) || second.NextCursor != "" {
		t.Fatalf("second page: %v %v", second, err)
	}

	// On hold stops the resolution clock: the ticket keeps only its
	// response deadline, and shows in the on-hold queue.
	f.move(f.l1, low, desk.TransitionInput{To: desk.StateAssigned})
	f.move(f.l1, low, desk.TransitionInput{To: desk.StateInProgress})
	held := f.move(f.l1, low, desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester})
	if held.SLA.DueAt != nil {
		t.Errorf("on hold awaiting the requester, responded: deadline %v, want none", held.SLA.DueAt)
	}
	if got, want := f.queue(f.l1, desk.QueueOnHold, desk.QueueOptions{}), []string{low.Number}; !slices.Equal(got, want) {
		t.Errorf("on hold = %v, want %v", got, want)
	}
	if got := f.queue(f.l1, desk.QueueMyGroups, desk.QueueOptions{}); got[len(got)-1] != low.Number {
		t.Errorf("a ticket without a deadline sorts last: %v", got)
	}
}

func TestDesk_QueueErrors(t *testing.T) {
	f := newFixture(t)
	if _, err := f.d.Queue(f.sam, desk.QueueMine, desk.QueueOptions{}); desk.ErrorCode(err) != desk.EFORBIDDEN {
		t.Errorf("a requester's queue: %v", err)
	}
	if _, err := f.d.Queue(f.l1, "everything", desk.QueueOptions{}); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Errorf("unknown queue: %v", err)
	}
	if _, err := f.d.Queue(f.l1, desk.QueueAboutToBreach, desk.QueueOptions{Within: 30 * 24 * time.Hour}); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("a month's window: %v", err)
	}
	if _, err := f.d.Queue(f.l1, desk.QueueMine, desk.QueueOptions{Cursor: "bm90IGEgY3Vyc29y"}); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("a bad cursor: %v", err)
	}
}
