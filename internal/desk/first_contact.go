package desk

// First-contact resolution: line 1 answers a caller's problem while they
// are still on the line (or at the desk), and registers the ticket already
// resolved. The ticket goes from new to resolved in one step, which the
// state machine offers nowhere else: its history is the creation event and
// one transition event new → resolved that records the resolution code,
// the notes, the first response (the call itself) and the change
// first_contact → true, by which the TAT report counts first-contact
// resolutions. The agent becomes the assignee when they belong to the
// ticket's group. The resolved ticket then closes after the reopen window
// like any other, and the requester may reopen it within the window.

// FieldFirstContact is the change that marks a first-contact resolution.
const FieldFirstContact = "first_contact"

// FirstContactResolution is how the ticket was resolved on first contact.
type FirstContactResolution struct {
	ResolutionCode  ResolutionCode `json:"resolution_code"`
	ResolutionNotes string         `json:"resolution_notes"`
	// ReusedFrom names the resolved ticket whose resolution this copies
	// ("Use this resolution" on the register form, reuse.go).
	ReusedFrom string `json:"reused_from,omitempty"`
}

// checkFirstContact validates a first-contact resolution; only staff may
// ask for one (checked with the requester's other limits).
func checkFirstContact(v *validation, in *NewTicket) {
	fc := in.FirstContact
	v.enum("resolution_code", string(fc.ResolutionCode), names(ResolutionCodes), true)
	v.text("resolution_notes", fc.ResolutionNotes, MaxTextLen, true)
}

// resolveOnFirstContact resolves the new ticket t and returns the event
// that says so.
func (s *Desk) resolveOnFirstContact(u *User, t *Ticket, fc FirstContactResolution, reuse *ResolutionReuse) Event {
	now := t.CreatedAt
	ch := changeSet{{Field: "state", Old: string(t.State), New: string(StateResolved)}}
	if t.Assignee == nil && memberOf(u, t.Group.ID) {
		t.Assignee = &Ref{ID: u.ID, Name: u.Name}
		ch.add("assignee", "", u.Name)
	}
	s.markFirstResponse(t, now, &ch)
	ch.add("resolution_code", "", string(fc.ResolutionCode))
	ch.add(FieldFirstContact, "", "true")
	t.State, t.ResolutionCode, t.ResolutionNotes, t.ResolvedAt = StateResolved, fc.ResolutionCode, fc.ResolutionNotes, &now
	return Event{At: now, Actor: &Ref{ID: u.ID, Name: u.Name}, Kind: EventTransition, Public: true,
		Body: fc.ResolutionNotes, Changes: ch, Reuse: reuse}
}

// ResolvedOnFirstContact reports whether a ticket's history (oldest first)
// records a first-contact resolution.
func ResolvedOnFirstContact(events []*Event) bool {
	for _, e := range events {
		for _, c := range e.Changes {
			if c.Field == FieldFirstContact && c.New == "true" {
				return true
			}
		}
	}
	return false
}
