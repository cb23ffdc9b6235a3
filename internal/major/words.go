package major

import (
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/reasons"
)

// Words says the entry in lang: an own entry from its reason code (or its
// English, read back, when written before codes existed); a ticket event
// as its ticket, what happened (a state change in the state's words) and
// its reason or public comment. Text a person wrote stays as written.
func (e *Entry) Words(lang string) string {
	if e.EventID == 0 {
		if code, p, ok := e.Why(); ok {
			if text, ok := reasons.Text(lang, code, p); ok {
				return text
			}
		}
		return e.Text
	}
	text := e.Number + ": " + eventWords(lang, e)
	if code, p, ok := e.Why(); ok {
		if why, ok := reasons.Text(lang, code, p); ok {
			return text + ": " + why
		}
	}
	if e.Body != "" {
		text += ": " + e.Body
	}
	return text
}

func eventWords(lang string, e *Entry) string {
	word := func(key string) string {
		text, _ := reasons.Text(lang, desk.ReasonCode(key), nil)
		return text
	}
	if e.From != "" && e.To != "" {
		return word("state."+string(e.From)) + " → " + word("state."+string(e.To))
	}
	if text := word("event." + string(e.Event)); text != "" {
		return text
	}
	return string(e.Event)
}
