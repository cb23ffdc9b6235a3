package web

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The SLA policy form: what it posts, how a stored policy fills it, and
// targets written as hours and minutes ("4h 30m", "45m", "1:30").

// choice is one checkbox or option of the policy form.
type choice struct {
	Value   string
	Label   string // services only; the others are translated by value
	Retired bool
	Checked bool
}

// policyChoices are the form's checkboxes and the services' options.
type policyChoices struct {
	Types, Priorities, PauseOn, Services []choice
	services                             []*desk.Service
}

func choicesFor(form url.Values, svcs []*desk.Service) policyChoices {
	c := policyChoices{services: svcs}
	pick := func(field string, values []string) []choice {
		out := make([]choice, len(values))
		for i, v := range values {
			out[i] = choice{Value: v, Checked: slices.Contains(form[field], v)}
		}
		return out
	}
	c.Types = pick("types", enumStrings(desk.TicketTypes))
	c.Priorities = pick("priorities", enumStrings(desk.Priorities))
	c.PauseOn = pick("pause_on", enumStrings(desk.HoldReasons))
	for _, svc := range svcs {
		id := strconv.FormatInt(svc.ID, 10)
		c.Services = append(c.Services, choice{Value: id, Label: svc.Name, Retired: svc.Retired,
			Checked: slices.Contains(form["services"], id)})
	}
	return c
}

func enumStrings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// policyForm is a stored policy as its edit form shows it.
func policyForm(p *desk.SLAPolicy) url.Values {
	form := url.Values{"name": {p.Name}, "position": {strconv.Itoa(p.Position)}, "calendar": {p.Calendar},
		"response": {targetInput(p.Response)}, "resolution": {targetInput(p.Resolution)},
		"next_update": {targetInput(p.NextUpdate)}, "organizations": {strings.Join(p.Organizations, "\n")},
		"types": enumStrings(p.Types), "priorities": enumStrings(p.Priorities), "pause_on": enumStrings(p.PauseOn)}
	for _, id := range p.ServiceIDs {
		form.Add("services", strconv.FormatInt(id, 10))
	}
	if p.VIPOnly {
		form.Set("vip_only", "on")
	}
	if p.Active {
		form.Set("active", "on")
	}
	return form
}

// readPolicy reads the posted policy form. Fields the desk cannot judge
// (numbers, targets, services by id) are checked here; their errors are
// translated already.
func (s *server) readPolicy(rq *request) (*desk.SLAPolicy, map[string]string, error) {
	f, errs := rq.r.PostForm, map[string]string{}
	p := &desk.SLAPolicy{Name: f.Get("name"), Calendar: f.Get("calendar"), VIPOnly: f.Get("vip_only") == "on",
		Active: f.Get("active") == "on"}
	var err error
	if p.Position, err = strconv.Atoi(strings.TrimSpace(f.Get("position"))); err != nil {
		errs["position"] = rq.lang.T("admin.sla.err.position")
	}
	for _, v := range f["types"] {
		p.Types = append(p.Types, desk.TicketType(v))
	}
	for _, v := range f["priorities"] {
		p.Priorities = append(p.Priorities, desk.Priority(v))
	}
	for _, v := range f["pause_on"] {
		p.PauseOn = append(p.PauseOn, desk.HoldReason(v))
	}
	for line := range strings.Lines(f.Get("organizations")) {
		if org := strings.TrimSpace(line); org != "" {
			p.Organizations = append(p.Organizations, org)
		}
	}
	svcs, err := s.desk.Services(rq.ctx)
	if err != nil {
		return nil, nil, err
	}
	if p.ServiceIDs, err = serviceIDs(svcs, f["services"]); err != nil {
		errs["services"] = rq.lang.T("admin.sla.err.services")
	}
	for _, t := range []struct {
		field    string
		into     *time.Duration
		required bool
	}{{"response", &p.Response, true}, {"resolution", &p.Resolution, true}, {"next_update", &p.NextUpdate, false}} {
		d, key := parseTarget(f.Get(t.field), t.required)
		if key != "" {
			errs[t.field] = rq.lang.T(key)
			d = time.Minute // judged here; keep the desk from judging it again
		}
		*t.into = d
	}
	return p, errs, nil
}

// serviceIDs reads the chosen services, which must be among svcs.
func serviceIDs(svcs []*desk.Service, values []string) ([]int64, error) {
	var ids []int64
	for _, v := range values {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(svcs, func(s *desk.Service) bool { return s.ID == id }) {
			return nil, errors.New("no such service")
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// maxTarget bounds a target: more than a year of round-the-clock time is a
// typing mistake.
const maxTarget = 10000 * time.Hour

var (
	clockTargetRE = regexp.MustCompile(`^(\d{1,5}):([0-5]\d)$`)
	targetPartRE  = regexp.MustCompile(`^(\d{1,6})\s*(\pL+)\.?[\s,]*`)
	targetUnits   = map[string]time.Duration{}
)

func init() {
	for _, u := range strings.Fields("h hr hrs hour hours ч час часа часов") {
		targetUnits[u] = time.Hour
	}
	for _, u := range strings.Fields("m min mins minute minutes м мин минута минуты минут") {
		targetUnits[u] = time.Minute
	}
}

// parseTarget reads a target such as "4h 30m", "4 ч 30 мин", "45m" or
// "1:30". It returns the catalogue key of what is wrong, "" when the
// target is good; an empty optional target is 0.
func parseTarget(raw string, required bool) (time.Duration, string) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if s == "" {
		if required {
			return 0, "admin.sla.err.target_required"
		}
		return 0, ""
	}
	var d time.Duration
	if m := clockTargetRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		mins, _ := strconv.Atoi(m[2])
		d = time.Duration(h)*time.Hour + time.Duration(mins)*time.Minute
	} else {
		seen := map[time.Duration]bool{}
		for s != "" {
			m := targetPartRE.FindStringSubmatch(s)
			if m == nil || targetUnits[m[2]] == 0 || seen[targetUnits[m[2]]] {
				return 0, "admin.sla.err.target"
			}
			n, _ := strconv.Atoi(m[1])
			seen[targetUnits[m[2]]] = true
			d += time.Duration(n) * targetUnits[m[2]]
			s = s[len(m[0]):]
		}
	}
	switch {
	case d > maxTarget:
		return 0, "admin.sla.err.target_long"
	case d == 0 && required:
		return 0, "admin.sla.err.target_required"
	}
	return d, ""
}

// targetInput writes a target as the form takes it back: "4h 30m".
func targetInput(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case d <= 0:
		return ""
	case h > 0 && m > 0:
		return strconv.Itoa(h) + "h " + strconv.Itoa(m) + "m"
	case h > 0:
		return strconv.Itoa(h) + "h"
	}
	return strconv.Itoa(m) + "m"
}

// targetText says a target in words: "4 hours 30 minutes". Targets are
// working time, so they are never turned into days.
func targetText(l *lang, d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case d <= 0:
		return l.T("admin.sla.no_target")
	case h > 0 && m > 0:
		return l.N("unit.hours", h) + " " + l.N("unit.minutes", m)
	case h > 0:
		return l.N("unit.hours", h)
	}
	return l.N("unit.minutes", m)
}

// policyErrors translates a desk error on a policy field by field
// (admin.sla.err.<field> when the catalogue has it); nil when err is not
// about the form's fields.
func policyErrors(rq *request, err error) map[string]string {
	return deskFormErrors(rq, err, "admin.sla.err.", nil)
}

// deskFormErrors translates a desk validation or conflict error by field:
// prefix+<field> when the catalogue has it, a conflict on a field as
// prefix+<field>_taken, else the desk's words. rename maps desk field
// names to form fields (e.g. "week.monday[1]" → "week.monday"). nil when
// err names no field.
func deskFormErrors(rq *request, err error, prefix string, rename func(string) string) map[string]string {
	var de *desk.Error
	if !errors.As(err, &de) || (de.Code != desk.EINVALID && de.Code != desk.ECONFLICT) || len(de.Fields) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, fe := range de.Fields {
		field := fe.Field
		if rename != nil {
			field = rename(field)
		}
		if _, done := out[field]; done {
			continue
		}
		key := prefix + field
		if de.Code == desk.ECONFLICT {
			key += "_taken"
		}
		if rq.lang.Has(key) {
			out[field] = rq.lang.T(key)
		} else {
			out[field] = rq.fieldText(fe)
		}
	}
	return out
}
