package desk

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// TestStateMachine checks every ordered pair of states against the lifecycle
// the issue prescribes: new → assigned → in_progress ⇄ on_hold → resolved →
// closed, new → in_progress (take), in_progress → assigned, canceled from any open state, reopen from resolved, and nothing out
// of closed or canceled.
func TestStateMachine(t *testing.T) {
	allowed := map[[2]State]bool{
		{StateNew, StateAssigned}:        true,
		{StateNew, StateInProgress}:      true, // take and start work in one move
		{StateNew, StateCanceled}:        true,
		{StateAssigned, StateInProgress}: true,
		{StateAssigned, StateCanceled}:   true,
		{StateInProgress, StateAssigned}: true, // stop work, hand over or back to the queue
		{StateInProgress, StateOnHold}:   true,
		{StateInProgress, StateResolved}: true,
		{StateInProgress, StateCanceled}: true,
		{StateOnHold, StateInProgress}:   true,
		{StateOnHold, StateResolved}:     true,
		{StateOnHold, StateCanceled}:     true,
		{StateResolved, StateClosed}:     true,
		{StateResolved, StateInProgress}: true,
	}
	if len(States) != 7 {
		t.Fatalf("States has %d entries, want the 7 of the lifecycle", len(States))
	}
	for _, from := range States {
		for _, to := range States {
			t.Run(fmt.Sprintf("%s→%s", from, to), func(t *testing.T) {
				want := allowed[[2]State{from, to}]
				if got := CanTransition(from, to); got != want {
					t.Fatalf("CanTransition = %v, want %v", got, want)
				}
				if got := slices.Contains(AllowedTransitions(from), to); got != want {
					t.Fatalf("AllowedTransitions(%s) contains %s = %v, want %v", from, to, got, want)
				}
			})
		}
	}
}

func TestTransitionErrorNamesAllowed(t *testing.T) {
	err := transitionError(StateNew, StateResolved)
	var e *Error
	if !errors.As(err, &e) || e.Code != ECONFLICT {
		t.Fatalf("got %v, want a conflict", err)
	}
	if want := []string{"assigned", "in_progress", "canceled"}; !slices.Equal(e.Allowed, want) {
		t.Fatalf("allowed = %v, want %v", e.Allowed, want)
	}
	err = transitionError(StateClosed, StateInProgress)
	if !errors.As(err, &e) || e.Allowed == nil || len(e.Allowed) != 0 {
		t.Fatalf("from closed: allowed = %#v, want an empty list", e.Allowed)
	}
}

func TestStateOpenAndFinal(t *testing.T) {
	for _, s := range States {
		open := s == StateNew || s == StateAssigned || s == StateInProgress || s == StateOnHold
		final := s == StateClosed || s == StateCanceled
		if s.IsOpen() != open || s.IsFinal() != final {
			t.Errorf("%s: IsOpen=%v IsFinal=%v, want %v %v", s, s.IsOpen(), s.IsFinal(), open, final)
		}
		if final && len(AllowedTransitions(s)) != 0 {
			t.Errorf("%s is final but allows %v", s, AllowedTransitions(s))
		}
	}
}
