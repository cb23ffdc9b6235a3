package web

import (
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The timeline names every changed field in the viewer's language and
// shows names instead of the internal ids history keeps.

// idOnlyFields hold an internal id whose meaning the entry already shows
// (its kind says a call was scheduled or a page ran; the calls box and the
// page's own entries say the rest), so the timeline leaves them out.
var idOnlyFields = map[string]bool{"call_id": true, "page": true}

// wordEvents returns the events as the timeline shows them: id-only
// changes left out and a paged team's id replaced by the team's name. The
// events themselves are not changed (changed ones are copied).
func (s *server) wordEvents(rq *request, events []*desk.Event) ([]*desk.Event, error) {
	var groups map[string]string
	for i, e := range events {
		var out []desk.Change
		changed := false
		for _, c := range e.Changes {
			switch {
			case idOnlyFields[c.Field]:
				changed = true
				continue
			case c.Field == "page_group":
				if groups == nil {
					var err error
					if groups, err = s.groupNames(rq); err != nil {
						return nil, err
					}
				}
				c.Old, c.New, changed = nameOr(groups, c.Old), nameOr(groups, c.New), true
			}
			out = append(out, c)
		}
		if changed {
			cp := *e
			cp.Changes = out
			events[i] = &cp
		}
	}
	return events, nil
}

func (s *server) groupNames(rq *request) (map[string]string, error) {
	names := map[string]string{}
	if !rq.user.Role.IsStaff() { // requesters see no paging entries
		return names, nil
	}
	gs, err := s.desk.Groups(rq.ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		names[strconv.FormatInt(g.ID, 10)] = g.Name
	}
	return names, nil
}

func nameOr(names map[string]string, id string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return id
}

// fieldName is a history field's name in the viewer's language: the
// desk's fields by their catalogue words, a ServiceNow column kept by an
// import by its words (or "ServiceNow: <column>" for one we do not know).
func (l *lang) fieldName(field string) string {
	if l.Has("field." + field) {
		return l.T("field." + field)
	}
	if col, ok := strings.CutPrefix(field, "servicenow."); ok {
		if l.Has("field.servicenow." + col) {
			return l.T("field.servicenow." + col)
		}
		return l.T("field.servicenow", col)
	}
	return field
}

// sourceValue words a value an import copied from its source: the yes/no
// of ServiceNow's flags and its notification choices in the viewer's
// language; anything else (names, codes) as it is.
func (l *lang) sourceValue(field, v string) string {
	if !strings.HasPrefix(field, "servicenow.") {
		return v
	}
	key := "value.servicenow." + strings.ToLower(strings.ReplaceAll(v, " ", "_"))
	if l.Has(key) {
		return l.T(key)
	}
	return v
}
