package web

import (
	"sync"
	"testing"
	"time"
)

// TestPages_ParsedOnFirstUse: the server parses no template at start; a
// page is parsed when first asked for, once, however many ask at the same
// time, and the other pages stay unparsed.
func TestPages_ParsedOnFirstUse(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cat: cat, opts: Options{Location: time.UTC}}
	if s.pages, err = s.newSitePages(); err != nil {
		t.Fatal(err)
	}
	if len(s.pageNames) < 40 {
		t.Fatalf("%d pages found: the list is broken", len(s.pageNames))
	}
	parsed := func() (n int) {
		for _, set := range s.pages {
			for _, p := range set.pages {
				if p.t != nil {
					n++
				}
			}
		}
		return n
	}
	if n := parsed(); n != 0 {
		t.Fatalf("%d pages parsed before any was asked for", n)
	}
	ru := s.cat.langs["ru"]
	got := make([]*pageTemplate, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i], _ = s.page(ru, nil, "login") })
	}
	wg.Wait()
	for _, g := range got {
		if g == nil || g != got[0] {
			t.Fatal("the page was not parsed once and shared")
		}
	}
	if n := parsed(); n != 1 {
		t.Errorf("%d pages parsed after one was asked for", n)
	}
	if s.pages["en"].base != nil {
		t.Error("the English base was parsed for a Russian page")
	}
	if _, err := s.page(ru, nil, "no_such_page"); err == nil {
		t.Error("an unknown page was found")
	}
}
