package web

import (
	"testing"
	"time"
)

// BenchmarkZonePages_FirstPage measures what the first page of a language
// and zone not seen before costs: parsing the layout and partials with
// that zone's functions, and the page itself (the escaping html/template
// adds on the first execution is not in it).
func BenchmarkZonePages_FirstPage(b *testing.B) {
	s := testServerB(b)
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s.zoned = zonedPages{}
		if _, err := s.page(s.cat.langs["ru"], moscow, "agent_ticket"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestZonePages_Cached: a zone's pages are parsed once and then reused,
// the site's zone uses the pages parsed at start, and the cache stays
// within its bound.
func TestZonePages_Cached(t *testing.T) {
	s := testServer(t)
	ru := s.cat.langs["ru"]
	moscow, _ := time.LoadLocation("Europe/Moscow")
	a, err := s.page(ru, moscow, "agent_ticket")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := s.page(ru, moscow, "agent_ticket"); b != a {
		t.Error("the zone's page was parsed again")
	}
	parsed, _ := s.pages["ru"].page("agent_ticket")
	if site, _ := s.page(ru, time.UTC, "agent_ticket"); site == nil || site != parsed {
		t.Error("the site's zone should use the site's pages")
	}
	if _, err := s.page(ru, moscow, "no_such_page"); err == nil {
		t.Error("an unknown page was found")
	}
	for _, name := range ianaZones[:maxZoneSets+12] { // past the bound
		loc, _ := time.LoadLocation(name)
		if _, err := s.page(ru, loc, "error"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(s.zoned.sets); n == 0 || n > maxZoneSets {
		t.Errorf("%d zone sets cached, bound %d", n, maxZoneSets)
	}
}
