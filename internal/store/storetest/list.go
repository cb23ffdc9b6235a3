package storetest

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// all sees every ticket: filters are tested apart from visibility.
var all = desk.Visibility{AllRestricted: true}

func testListTickets(t *testing.T, open Opener) {
	d := newDataset(t, open, 80)
	zero := int64(0)
	for _, tc := range []struct {
		name string
		f    desk.TicketFilter
	}{
		{"NoFilter", desk.TicketFilter{}},
		{"OpenStates", desk.TicketFilter{States: desk.OpenStates}},
		{"OpenStatesShuffled", desk.TicketFilter{States: []desk.State{desk.StateOnHold, desk.StateNew, desk.StateInProgress, desk.StateAssigned}}},
		{"OneState", desk.TicketFilter{States: []desk.State{desk.StateResolved}}},
		{"Types", desk.TicketFilter{Types: []desk.TicketType{desk.TypeRequest}}},
		{"Priorities", desk.TicketFilter{Priorities: []desk.Priority{desk.P1, desk.P4}}},
		{"OneGroup", desk.TicketFilter{GroupIDs: []int64{d.net.ID}}},
		{"Groups", desk.TicketFilter{GroupIDs: []int64{d.net.ID, d.dba.ID}}},
		{"Assignee", desk.TicketFilter{AssigneeID: &d.agent.ID}},
		{"Unassigned", desk.TicketFilter{AssigneeID: &zero}},
		{"Requester", desk.TicketFilter{RequesterID: &d.req2.ID}},
		{"CategoryMatchesSubcategory", desk.TicketFilter{CategoryID: &d.printers.ID}},
		{"CategoryTop", desk.TicketFilter{CategoryID: &d.hardware.ID}},
		{"Service", desk.TicketFilter{ServiceID: &d.mail.ID}},
		{"Lines", desk.TicketFilter{Lines: []desk.Line{desk.Line2, desk.Line3}}},
		{"Channels", desk.TicketFilter{Channels: []desk.Channel{desk.ChannelEmail, desk.ChannelPhone}}},
		{"Created", desk.TicketFilter{CreatedFrom: ptr(base.Add(10 * time.Minute)), CreatedTo: ptr(base.Add(20 * time.Minute))}},
		{"Updated", desk.TicketFilter{UpdatedFrom: ptr(base.Add(30 * time.Minute)), UpdatedTo: ptr(base.Add(60 * time.Minute))}},
		{"GroupQueue", desk.TicketFilter{GroupIDs: []int64{d.desk.ID}, States: desk.OpenStates, Sort: desk.SortPriority}},
		{"Combined", desk.TicketFilter{States: desk.OpenStates, Lines: []desk.Line{desk.Line1, desk.Line2}, RequesterID: &d.req1.ID, Sort: desk.SortUpdated, Desc: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Visibility, f.Limit, f.Total = all, desk.MaxPageSize, true
			p, err := d.s.ListTickets(ctx(t), f)
			must(t, err)
			want := d.want(f)
			if len(want) == 0 || len(want) == len(d.tickets) && tc.name != "NoFilter" {
				t.Fatalf("dataset gives %d matches: the case does not test its filter", len(want))
			}
			diff(t, "ids", want, ids(p.Tickets))
			if p.Total == nil || *p.Total != len(want) {
				t.Errorf("Total %v, want %d", p.Total, len(want))
			}
		})
	}
	t.Run("Visibility", func(t *testing.T) { listVisibility(t, d) })
	t.Run("Limits", func(t *testing.T) { listLimits(t, d) })
	t.Run("InvalidFilter", func(t *testing.T) { listInvalid(t, d) })
}

func ids(tickets []*desk.Ticket) []int64 {
	out := make([]int64, len(tickets))
	for i, t := range tickets {
		out[i] = t.ID
	}
	return out
}

func listVisibility(t *testing.T, d *dataset) {
	for name, v := range map[string]desk.Visibility{
		"Nothing restricted": {},
		"Requester":          {RequesterID: d.req2.ID, AllRestricted: true},
		"RequesterPlain":     {RequesterID: d.req2.ID},
		"RestrictedGroups":   {RestrictedGroups: []int64{d.net.ID, d.dba.ID}},
		"All":                all,
	} {
		f := desk.TicketFilter{Visibility: v, Limit: desk.MaxPageSize, Total: true}
		p, err := d.s.ListTickets(ctx(t), f)
		must(t, err)
		diff(t, name, d.want(f), ids(p.Tickets))
		if *p.Total != len(d.want(f)) {
			t.Errorf("%s: Total %d, want %d", name, *p.Total, len(d.want(f)))
		}
	}
}

func listLimits(t *testing.T, d *dataset) {
	p, err := d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all})
	must(t, err)
	if len(p.Tickets) != desk.DefaultPageSize || p.NextCursor == "" || p.Total != nil {
		t.Errorf("limit 0: %d tickets, cursor %q, total %v; want %d, a cursor, no total",
			len(p.Tickets), p.NextCursor, p.Total, desk.DefaultPageSize)
	}
	p, err = d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, Limit: len(d.tickets)})
	must(t, err)
	if len(p.Tickets) != len(d.tickets) || p.NextCursor != "" {
		t.Errorf("limit = all: %d tickets, cursor %q; want %d and no cursor", len(p.Tickets), p.NextCursor, len(d.tickets))
	}
	p, err = d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, Limit: 5, Total: true, TotalMax: 10})
	must(t, err)
	if p.Total == nil || *p.Total != 10 || !p.TotalCapped || len(p.Tickets) != 5 {
		t.Errorf("total capped at 10: %v capped %v", p.Total, p.TotalCapped)
	}
	p, err = d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, Total: true, TotalMax: len(d.tickets)})
	must(t, err)
	if p.Total == nil || *p.Total != len(d.tickets) || p.TotalCapped {
		t.Errorf("total capped at the count itself: %v capped %v, want %d exact", p.Total, p.TotalCapped, len(d.tickets))
	}
	next, err := d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, Cursor: p.NextCursor, TotalMax: 3})
	must(t, err)
	if len(next.Tickets) == 0 {
		t.Error("a cursor does not carry the count's cap: the next page with another TotalMax is refused or empty")
	}
	for _, limit := range []int{-1, desk.MaxPageSize + 1} {
		_, err := d.s.ListTickets(ctx(t), desk.TicketFilter{Limit: limit})
		wantField(t, "limit", err, desk.EINVALID, "limit")
	}
}

func listInvalid(t *testing.T, d *dataset) {
	p, err := d.s.ListTickets(ctx(t), desk.TicketFilter{Visibility: all, Limit: 5})
	must(t, err)
	for name, f := range map[string]desk.TicketFilter{
		"garbage cursor":   {Cursor: "not a cursor!"},
		"base64 not json":  {Cursor: "aGVsbG8"},
		"other sort":       {Cursor: p.NextCursor, Sort: desk.SortUpdated, Visibility: all},
		"other direction":  {Cursor: p.NextCursor, Desc: true, Visibility: all},
		"other filter":     {Cursor: p.NextCursor, Types: []desk.TicketType{desk.TypeRequest}, Visibility: all},
		"unknown sort":     {Sort: "title"},
		"unknown state":    {States: []desk.State{"new'); DROP TABLE tickets; --"}},
		"unknown type":     {Types: []desk.TicketType{"bug"}},
		"unknown priority": {Priorities: []desk.Priority{"P0"}},
		"unknown line":     {Lines: []desk.Line{4}},
		"unknown channel":  {Channels: []desk.Channel{"fax"}},
	} {
		_, err := d.s.ListTickets(ctx(t), f)
		wantCode(t, name, err, desk.EINVALID)
	}
	f := desk.TicketFilter{Visibility: all, Limit: 9, Total: true, Cursor: p.NextCursor}
	_, err = d.s.ListTickets(ctx(t), f)
	must(t, err) // the same filter with another limit or Total is fine
}

// testPaging walks every sort in both directions page by page and compares
// with the full expected order.
func testPaging(t *testing.T, open Opener) {
	d := newDataset(t, open, 60)
	for _, sort := range desk.TicketSorts {
		for _, desc := range []bool{false, true} {
			for _, f := range []desk.TicketFilter{
				{Visibility: all},
				{Visibility: all, States: desk.OpenStates, GroupIDs: []int64{d.desk.ID, d.net.ID}},
				{Visibility: all, Query: "ticket"}, // every dataset ticket has the word
				{Visibility: all, States: desk.OpenStates, SLADueFrom: ptr(base.Add(3 * time.Hour)), SLADueTo: ptr(base.Add(12 * time.Hour))},
				{Visibility: all, GroupIDs: []int64{d.net.ID}, SLADueTo: ptr(base.Add(10 * time.Hour))},
			} {
				f.Sort, f.Desc, f.Limit = sort, desc, 7
				got := d.all(t, f)
				diff(t, string(sort)+" pages", d.want(f), got)
			}
		}
	}
}
