package knowledge

import (
	"slices"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// transitions are the state changes an article may make: a draft is
// published (or dropped as retired), a published article is retired or
// taken back to draft for a rework, a retired one is revived as a draft.
var transitions = map[State][]State{
	Draft:     {Published, Retired},
	Published: {Retired, Draft},
	Retired:   {Draft},
}

// CanMove reports whether an article in from may move to to.
func CanMove(from, to State) bool { return slices.Contains(transitions[from], to) }

// checkMove refuses a change the state machine forbids, naming the allowed
// targets.
func checkMove(from, to State) error {
	if CanMove(from, to) {
		return nil
	}
	e := desk.Refusef(desk.ECONFLICT, desk.RuleTransition, desk.Params{"from": string(from), "to": string(to)},
		"an article in state %s cannot become %s", from, to)
	for _, s := range transitions[from] {
		e.Allowed = append(e.Allowed, string(s))
	}
	return e
}

// Visible reports whether u may read a: staff read every article,
// requesters only published public ones.
func Visible(u *desk.User, a *Article) bool {
	if u == nil || !u.Active {
		return false
	}
	if u.Role.IsStaff() {
		return true
	}
	return a.State == Published && a.Audience == Public
}

// PermissionEditor is the permission that lets a member of staff who is
// not an administrator write articles.
const PermissionEditor = "knowledge_editor"
