package web

import (
	"context"
	"net/http"
	"sort"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// An area is a group of pages (auth, portal, agent ticket, console, admin,
// ...) that registers its own routes. Each area file adds itself with
// registerArea from an init function, so that areas live in separate files
// and never edit a shared route table.
var areas = map[string]func(*server){}

// registerArea adds an area's route registration; names must be unique.
func registerArea(name string, register func(*server)) {
	if _, dup := areas[name]; dup {
		panic("web: area " + name + " registered twice")
	}
	areas[name] = register
}

// routes registers every area (in name order, so that conflicts between
// patterns show up the same way every time) and the static files.
func (s *server) routes() {
	names := make([]string, 0, len(areas))
	for n := range areas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		areas[n](s)
	}
	s.mux.Handle("GET /static/", http.HandlerFunc(s.assets.serve))
	s.mux.Handle("/", s.handle(public, s.notFound))
}

// Access says who may open a route.
type access int

const (
	public    access = iota // anyone, signed in or not
	signedIn                // any signed-in user
	staffOnly               // agents, managers and admins
)

// get and post register a handler for a path pattern (Go 1.22 syntax,
// e.g. "/tickets/{ref}"). POST handlers check the CSRF token before they run.
func (s *server) get(pattern string, who access, h handlerFunc) {
	s.mux.Handle("GET "+pattern, s.handle(who, h))
}

func (s *server) post(pattern string, who access, h handlerFunc) {
	s.mux.Handle("POST "+pattern, s.handle(who, s.checkCSRF(h)))
}

// navItem is a link in the top navigation; areas add theirs with addNav.
type navItem struct {
	Path   string
	Key    string // catalogue key of the link text
	Who    access // signedIn: everyone signed in; staffOnly: staff
	Order  int    // position, lowest first
	People bool   // requesters only (the portal's own links)
	Admin  bool   // administrators only, as desk.RequireAdmin decides
}

// addNav adds a navigation link.
func (s *server) addNav(item navItem) {
	s.nav = append(s.nav, item)
	sort.SliceStable(s.nav, func(i, j int) bool { return s.nav[i].Order < s.nav[j].Order })
}

// navFor returns the links the user may follow.
func (s *server) navFor(u *desk.User) []navItem {
	var out []navItem
	for _, n := range s.nav {
		switch {
		case u == nil:
		case n.Who == staffOnly && !u.Role.IsStaff():
		case n.People && u.Role.IsStaff():
		case n.Admin && desk.RequireAdmin(desk.WithActor(context.Background(), u)) != nil:
		default:
			out = append(out, n)
		}
	}
	return out
}

func (s *server) notFound(rq *request) error {
	return rq.errorPage(http.StatusNotFound)
}
