package web

import (
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
)

// reasonText is an event's reason in the viewer's language: the desk's own
// reasons (a code with params, or an English sentence written before codes
// existed) from internal/reasons, a person's own as written.
func (l *lang) reasonText(e *desk.Event) string {
	return reasons.Event(l.code, e)
}

// linkChange words a "link" history value ("parent_of INC-000029"): the
// kind in the viewer's language, then the ticket.
func (l *lang) linkChange(v string) string {
	kind, ref, ok := strings.Cut(v, " ")
	if !ok || !l.Has("link.kind."+kind) {
		return v
	}
	return l.T("link.kind."+kind) + " " + ref
}

// slaEvent words an SLA warning or breach from its changes ("clock" and
// "percent"): "the “Resolution” target was missed", rather than a change
// of a clock from nothing to a raw value.
func (l *lang) slaEvent(e *desk.Event) string {
	var clock, pct string
	for _, c := range e.Changes {
		switch c.Field {
		case "clock":
			clock = c.New
		case "percent":
			pct = c.New
		}
	}
	if l.Has("clock." + clock) {
		clock = l.T("clock." + clock)
	}
	if e.Kind == desk.EventSLABreached {
		return l.T("sla.event.breached", clock)
	}
	return l.T("sla.event.warning", pct, clock)
}

// eventHead is what follows the actor's name in a timeline entry: a verb
// agreeing with the person («Иван Петров подтвердил вызов»), or, when the
// language agrees verbs but the actor's gender is unknown (or the actor is
// the desk), a construction without one after a colon («Tierdesk: вызов
// завершён»).
type eventHead struct {
	Text  string
	Colon bool
}

func (l *lang) eventHead(e *desk.Event) eventHead {
	key := "event.kind." + string(e.Kind)
	if !l.Has(key) { // a kind the catalogue does not know yet shows as itself
		return eventHead{Text: string(e.Kind)}
	}
	var g desk.Gender
	if e.Actor != nil {
		g = e.Actor.Gender
	}
	text, agreed := l.G(key, g)
	return eventHead{Text: text, Colon: !agreed && l.agrees}
}
