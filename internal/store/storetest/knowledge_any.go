package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// testKBAnyFiltered: an any-word search (a ticket's suggestions) answers
// the best articles that pass its filter even when more than a few times
// the limit of better-scored ones do not: ten drafts scoring as the best
// published article, and newer (ties go to the newest), come before it in
// the score's order and are passed over.
func testKBAnyFiltered(t *testing.T, open Opener) {
	k := newKBFixture(t, open)
	best := k.article(t, knowledge.Input{Translations: en("Printer tunnel", "The printer tunnel."), Audience: knowledge.Public}, true)
	next := k.article(t, knowledge.Input{Translations: en("Printer", "The printer."), Audience: knowledge.Public}, true)
	for range 10 {
		k.article(t, knowledge.Input{Translations: en("Printer tunnel", "The printer tunnel."), Audience: knowledge.Public}, false)
	}
	search := func(q knowledge.Query) []int64 {
		t.Helper()
		hits, err := k.kn.Search(k.as(t, k.editor), q)
		must(t, err)
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.Article.ID)
		}
		return ids
	}
	q := knowledge.Query{Text: "printer tunnel", Any: true, States: []knowledge.State{knowledge.Published}, Limit: 2}
	diff(t, "published only", []int64{best.ID, next.ID}, search(q))
	q.States, q.Limit = nil, 3
	if got := search(q); len(got) != 3 || got[0] == best.ID || got[2] == next.ID {
		t.Errorf("unfiltered: %v, want three of the drafts (newest first), not %d or %d", got, best.ID, next.ID)
	}
}
