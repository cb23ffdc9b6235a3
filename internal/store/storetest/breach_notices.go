package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
)

// testBreachNotices: a notice is stored with its ticket's event in one
// transaction and read back as written (content, series, supplements, the
// sending); a draft is updated at its revision (a stale one is ESTALE and
// stores nothing); a sent one is never updated again (notice_sent); a new
// version shares the series; each write has its audit entry.
func testBreachNotices(t *testing.T, open Opener) {
	f := newFixture(t, open)
	tk := f.ticket("My account sends spam", 1)
	aware := base.Add(-2 * time.Hour)
	tk.Security, tk.Restricted = true, true
	tk.Breach = &desk.BreachCase{AwareAt: &aware, AwareReason: "SOC", Regime: breach.Both, RegimeReason: "EU and RU"}
	f.create(t, tk)
	ev := func(state string) []desk.Event {
		return []desk.Event{{At: base, Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventUpdated,
			Changes: []desk.Change{{Field: desk.FieldBreachNoticeState, New: state}}}}
	}
	n := &breach.Notice{TicketID: tk.ID, Kind: breach.Notice152First, Lang: "ru", Version: 1, State: breach.NoticeDraft,
		Content:   breach.Content{Nature: "Утечка", Causes: "Фишинг", SubjectsApprox: 12},
		CreatedBy: f.agent.ID, CreatedByName: "Vera Agent", CreatedAt: base, UpdatedAt: base}
	version := tk.Version
	must(t, f.s.SaveBreachNotice(ctx(t), n, "create", desk.TicketWrite{Ticket: tk, Events: ev("draft")}))
	if n.ID == 0 || n.Series != n.ID || n.Rev != 1 || tk.Version != version+1 {
		t.Fatalf("created notice id %d series %d rev %d, ticket version %d→%d", n.ID, n.Series, n.Rev, version, tk.Version)
	}
	got, err := f.s.BreachNotice(ctx(t), n.ID)
	must(t, err)
	if diff := cmp.Diff(n, got); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
	// A stale draft stores nothing, the ticket's event neither.
	stale := *got
	stale.Rev = 7
	stale.Nature = "stale"
	err = f.s.SaveBreachNotice(ctx(t), &stale, "update", desk.TicketWrite{Ticket: tk, Events: ev("draft")})
	if desk.ErrorCode(err) != desk.ESTALE {
		t.Fatalf("stale draft: %v", err)
	}
	sent := base.Add(-time.Hour)
	got.State, got.SentAt, got.SentBy, got.SentByName, got.Via, got.Reference = breach.NoticeSent, &sent, f.agent.ID, "Vera Agent", "portal", "RKN-1"
	must(t, f.s.SaveBreachNotice(ctx(t), got, "send", desk.TicketWrite{Ticket: tk, Events: ev("sent")}))
	again, err := f.s.BreachNotice(ctx(t), n.ID)
	must(t, err)
	if diff := cmp.Diff(got, again); diff != "" {
		t.Fatalf("sent (-want +got):\n%s", diff)
	}
	again.Nature = "rewritten"
	err = f.s.SaveBreachNotice(ctx(t), again, "update", desk.TicketWrite{Ticket: tk, Events: ev("sent")})
	if e, ok := err.(*desk.Error); !ok || e.Rule != desk.RuleNoticeSent {
		t.Fatalf("a sent notice updated: %v", err)
	}
	// The follow-up links to it; a new version of the first shares its series.
	follow := &breach.Notice{TicketID: tk.ID, Kind: breach.Notice152Results, Lang: "ru", Version: 1, Supplements: n.ID,
		State: breach.NoticeDraft, Content: breach.Content{Results: "Итоги"}, CreatedBy: f.agent.ID, CreatedAt: base, UpdatedAt: base}
	must(t, f.s.SaveBreachNotice(ctx(t), follow, "create", desk.TicketWrite{Ticket: tk, Events: ev("draft")}))
	v2 := &breach.Notice{TicketID: tk.ID, Kind: n.Kind, Lang: "ru", Series: n.ID, Version: 2, State: breach.NoticeDraft,
		CreatedBy: f.agent.ID, CreatedAt: base, UpdatedAt: base}
	must(t, f.s.SaveBreachNotice(ctx(t), v2, "version", desk.TicketWrite{Ticket: tk, Events: ev("draft")}))
	all, err := f.s.BreachNotices(ctx(t), tk.ID)
	must(t, err)
	if len(all) != 3 || all[0].State != breach.NoticeSent || all[1].Supplements != n.ID || all[2].Series != n.ID || all[2].Version != 2 {
		t.Fatalf("notices: %+v", all)
	}
	if _, err := f.s.BreachNotice(ctx(t), 99999); desk.ErrorCode(err) != desk.ENOTFOUND {
		t.Fatalf("missing notice: %v", err)
	}
	evs, err := f.s.ListEvents(ctx(t), tk.ID, desk.EventFilter{Limit: 100})
	must(t, err)
	if len(evs.Events) != 5 { // created + 4 notice writes, none from the refused ones
		t.Fatalf("events: %d", len(evs.Events))
	}
	if al, ok := f.s.(auditLister); ok {
		_, err := al.SealAudit(ctx(t))
		must(t, err)
		page, err := al.ListAudit(ctx(t), audit.Filter{Kind: "breach.", Limit: 50})
		must(t, err)
		kinds := []string{}
		for _, e := range page.Entries {
			kinds = append(kinds, e.Kind)
		}
		if len(kinds) != 4 {
			t.Errorf("breach audit entries %v, want one per stored write", kinds)
		}
	}
}
