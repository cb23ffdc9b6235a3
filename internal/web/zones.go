package web

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// Times are shown in the signed-in user's own time zone (their
// preference), else in the site's (Options.Location). The template
// functions are bound to a language and a zone when the templates are
// parsed, so that templates keep calling {{datetime .X}} with no zone to
// pass around; the pages of the site's zone are kept in server.pages,
// those of other zones in zonedPages (a bounded number of zones), each
// page parsed on first use.
type zonedPages struct {
	mu   sync.Mutex
	sets map[string]*pageSet // "<lang> <zone>" → its pages
}

// maxZoneSets bounds the memory the cache may take (a page set is some
// hundred kilobytes); a desk whose people span more zones than this
// rebuilds sets now and then, which costs a few milliseconds per page.
const maxZoneSets = 48

// page returns the page template of the language and zone.
func (s *server) page(l *lang, loc *time.Location, name string) (*pageTemplate, error) {
	if loc == nil || loc.String() == s.opts.Location.String() {
		return s.pages[l.code].page(name)
	}
	if _, ok := s.pages[l.code].pages[name]; !ok {
		return nil, fmt.Errorf("no page template %q", name)
	}
	z := &s.zoned
	z.mu.Lock()
	key := l.code + " " + loc.String()
	set, ok := z.sets[key]
	if !ok {
		if z.sets == nil || len(z.sets) >= maxZoneSets {
			z.sets = map[string]*pageSet{}
		}
		set = s.newPageSet(l, loc)
		z.sets[key] = set
	}
	z.mu.Unlock()
	return set.page(name)
}

// errNoSuchLocalTime: the typed time falls in a gap of the zone, the hour
// skipped when clocks go forward.
var errNoSuchLocalTime = errors.New("no such local time")

// parseLocalTime reads a time typed in an <input type="datetime-local">
// in loc. A time the clocks skip (02:30 on the night summer time begins)
// is refused rather than moved silently to another hour.
func parseLocalTime(raw string, loc *time.Location) (time.Time, error) {
	t, err := time.ParseInLocation(callInputLayout, raw, loc)
	if err != nil {
		return t, err
	}
	if t.Format(callInputLayout) != raw {
		return t, errNoSuchLocalTime
	}
	return t, nil
}

// zoneOf is the zone a user's preference names, or nil when it names none
// (or one this machine does not know: the desk validated it when it was
// stored, so that is a zone database missing here, not bad input).
func zoneOf(name string) *time.Location {
	if name == "" {
		return nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// The zone lists of the settings and calendar pages offer every zone of
// the tz database (ianaZones, generated from Debian's tzdata.zi); the
// binary embeds the zone data itself (time/tzdata in cmd/tierdesk), so
// every name listed loads on a machine without /usr/share/zoneinfo.
//
//go:generate go run zones_gen.go -in /usr/share/zoneinfo/tzdata.zi -out zones_iana.go
