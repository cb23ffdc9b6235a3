package desk

// transitions is the ticket state machine: the states each state may move to
// by an explicit transition. Escalation and reassignment move a ticket back to
// "assigned" by their own rules (see Service.Escalate).
//
// new → in_progress is taking a new ticket and starting work in one move;
// in_progress → assigned stops work, keeping the assignee, handing it to
// another member, or (Unassign) back to the group's unassigned queue.
var transitions = map[State][]State{
	StateNew:        {StateAssigned, StateInProgress, StateCanceled},
	StateAssigned:   {StateInProgress, StateCanceled},
	StateInProgress: {StateAssigned, StateOnHold, StateResolved, StateCanceled},
	StateOnHold:     {StateInProgress, StateResolved, StateCanceled},
	StateResolved:   {StateInProgress, StateClosed}, // to in_progress is a reopen
	StateClosed:     nil,
	StateCanceled:   nil,
}

// AllowedTransitions returns the states a ticket in state from may move to.
func AllowedTransitions(from State) []State { return transitions[from] }

// CanTransition reports whether the state machine allows from → to.
func CanTransition(from, to State) bool { return oneOf(to, transitions[from]) }

// transitionError is the conflict returned for a refused transition; it names
// the allowed targets so that clients can offer them.
func transitionError(from, to State) error {
	e := Refusef(ECONFLICT, RuleTransition, Params{"from": string(from), "to": string(to)}, "cannot move a ticket from %s to %s", from, to)
	e.Allowed = names(transitions[from])
	if e.Allowed == nil {
		e.Allowed = []string{}
	}
	return e
}
