package storetest

import (
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func testSearch(t *testing.T, open Opener) {
	f := newFixture(t, open)
	printer := f.ticket("Не работает принтер", 0)
	printer.Description = "Принтер в бухгалтерии печатает пустые листы"
	f.create(t, printer)
	vpn := f.ticket("VPN drops every hour", 1)
	vpn.Symptoms = `error "foo OR bar" then '; DROP TABLE tickets; --`
	f.create(t, vpn)
	unit := "filler words here "
	long := f.ticket("long one", 2)
	long.Description = strings.Repeat(unit, 100*1024/len(unit)) + " needle"
	f.create(t, long)
	search := func(t *testing.T, q string) []int64 {
		t.Helper()
		p, err := f.s.ListTickets(ctx(t), desk.TicketFilter{Query: q, Visibility: all, Total: true})
		if err != nil {
			t.Fatalf("query %q: %v", q, err)
		}
		if *p.Total != len(p.Tickets) {
			t.Errorf("query %q: Total %d for %d tickets", q, *p.Total, len(p.Tickets))
		}
		return ids(p.Tickets)
	}
	for q, want := range map[string][]int64{
		"принтер":                      {printer.ID},
		"ПРИНТЕР":                      {printer.ID},
		"не работает":                  {printer.ID},
		"Не работает принтер":          {printer.ID},
		"бухгалтерия":                  {printer.ID}, // stems: бухгалтерии, бухгалтерия
		"работает сканер":              nil,
		"vpn":                          {vpn.ID},
		`"foo OR`:                      {vpn.ID},
		`'; DROP TABLE tickets; --`:    {vpn.ID},
		"needle":                       {long.ID},
		"hour needle":                  nil,
		`foo* NEAR(a b) title:x ^y -z`: nil,
		`a & b | !c :* <-> ''`:         nil,
		"   ":                          {printer.ID, vpn.ID, long.ID}, // no words: no filter
		`"" ''`:                        nil,                           // punctuation alone finds nothing
	} {
		diff(t, "query "+q, want, search(t, q))
	}
	t.Run("Comments", func(t *testing.T) {
		events := []desk.Event{
			{Kind: desk.EventComment, Public: true, Body: "Картридж заменён"},
			{Kind: desk.EventWorkNote, Body: "secretnote"},
			{Kind: desk.EventComment, Public: false, Body: "hiddencomment"},
		}
		must(t, f.s.UpdateTicket(ctx(t), vpn, events))
		diff(t, "public comment", []int64{vpn.ID}, search(t, "картридж"))
		diff(t, "work note", []int64(nil), search(t, "secretnote"))
		diff(t, "private comment", []int64(nil), search(t, "hiddencomment"))
		vpn.Title, vpn.Description = "Wi-Fi drops", "flaky link"
		must(t, f.s.UpdateTicket(ctx(t), vpn, nil))
		diff(t, "old title", []int64(nil), search(t, "vpn"))
		diff(t, "new title", []int64{vpn.ID}, search(t, "wi fi"))
		diff(t, "comment kept after retitle", []int64{vpn.ID}, search(t, "заменён"))
	})
	t.Run("WithFilters", func(t *testing.T) {
		p, err := f.s.ListTickets(ctx(t), desk.TicketFilter{Query: "принтер", GroupIDs: []int64{f.net.ID}, Visibility: all})
		must(t, err)
		diff(t, "search in another group", []int64(nil), ids(p.Tickets))
	})
}
