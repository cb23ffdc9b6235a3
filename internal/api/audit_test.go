package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

type auditPage struct {
	Entries []struct {
		Seq     int64          `json:"seq"`
		ActorID int64          `json:"actor_id"`
		Kind    string         `json:"kind"`
		Subject string         `json:"subject"`
		Detail  map[string]any `json:"detail"`
		Hash    string         `json:"hash"`
	} `json:"entries"`
	NextCursor string `json:"next_cursor"`
}

// TestAPI_Audit reads the audit log as an administrator: the writes made
// over the API are there, newest first, by their actor; filters by kind
// (and family), subject, actor and time; keyset pages; verify and anchor.
// Everyone else is refused, and bad filters are 422.
func TestAPI_Audit(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Printer on fire"))
	e.agent.do("POST", ticketURL(tk, "/comments"), map[string]any{"body": "Water, then."}).want(t, http.StatusCreated)

	all := decode[auditPage](t, e.admin.get("/api/v1/audit?limit=500").want(t, http.StatusOK))
	if len(all.Entries) < 10 || all.NextCursor != "" {
		t.Fatalf("%d entries, cursor %q", len(all.Entries), all.NextCursor)
	}
	for i := 1; i < len(all.Entries); i++ {
		if all.Entries[i].Seq >= all.Entries[i-1].Seq {
			t.Fatalf("not newest first: %d after %d", all.Entries[i].Seq, all.Entries[i-1].Seq)
		}
	}
	subject := fmt.Sprintf("ticket/%d", tk.ID)
	mine := decode[auditPage](t, e.admin.get("/api/v1/audit?subject="+subject).want(t, http.StatusOK))
	if len(mine.Entries) != 2 || mine.Entries[0].Kind != "ticket.update" || mine.Entries[1].Kind != "ticket.create" ||
		mine.Entries[1].ActorID != e.agent.userID || mine.Entries[1].Detail["number"] != tk.Number {
		t.Fatalf("the ticket's entries: %+v", mine.Entries)
	}
	family := decode[auditPage](t, e.admin.get("/api/v1/audit?kind=ticket.").want(t, http.StatusOK))
	exact := decode[auditPage](t, e.admin.get("/api/v1/audit?kind=ticket.create").want(t, http.StatusOK))
	if len(family.Entries) != 2 || len(exact.Entries) != 1 {
		t.Fatalf("kind filters: family %d, exact %d", len(family.Entries), len(exact.Entries))
	}
	byAgent := decode[auditPage](t, e.admin.get(fmt.Sprintf("/api/v1/audit?actor_id=%d", e.agent.userID)).want(t, http.StatusOK))
	for _, en := range byAgent.Entries {
		if en.ActorID != e.agent.userID {
			t.Fatalf("actor filter let through %+v", en)
		}
	}
	if len(byAgent.Entries) != 2 {
		t.Fatalf("%d entries by the agent", len(byAgent.Entries))
	}
	future := url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))
	if p := decode[auditPage](t, e.admin.get("/api/v1/audit?from="+future).want(t, http.StatusOK)); len(p.Entries) != 0 {
		t.Fatalf("%d entries from the future", len(p.Entries))
	}
	// Keyset pages of 3 walk the whole log once.
	var seen []int64
	for cursor := ""; ; {
		p := decode[auditPage](t, e.admin.get("/api/v1/audit?limit=3&cursor="+url.QueryEscape(cursor)).want(t, http.StatusOK))
		for _, en := range p.Entries {
			seen = append(seen, en.Seq)
		}
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if len(seen) != len(all.Entries) || seen[len(seen)-1] != 1 {
		t.Fatalf("paged %d entries (last %d), listed %d", len(seen), seen[len(seen)-1], len(all.Entries))
	}

	v := decode[struct {
		OK      bool  `json:"ok"`
		Entries int64 `json:"entries"`
	}](t, e.admin.get("/api/v1/audit/verify").want(t, http.StatusOK))
	if !v.OK || v.Entries != all.Entries[0].Seq {
		t.Fatalf("verify: %+v", v)
	}
	a := decode[struct {
		Seq  int64  `json:"seq"`
		Hash string `json:"hash"`
	}](t, e.admin.do("POST", "/api/v1/audit/anchors", nil).want(t, http.StatusCreated))
	if a.Seq != all.Entries[0].Seq || a.Hash != all.Entries[0].Hash {
		t.Fatalf("anchor %+v, head %d %s", a, all.Entries[0].Seq, all.Entries[0].Hash)
	}

	for _, c := range []struct {
		name   string
		c      *client
		status int
	}{{"agent", e.agent, 403}, {"manager", e.mgr, 403}, {"requester", e.alice, 403}, {"anonymous", e.anon, 401}} {
		for _, req := range [][2]string{{"GET", "/api/v1/audit"}, {"GET", "/api/v1/audit/verify"}, {"POST", "/api/v1/audit/anchors"}} {
			e.t.Run(c.name+" "+req[0]+" "+req[1], func(t *testing.T) { c.c.do(req[0], req[1], nil).want(t, c.status) })
		}
	}
	for _, bad := range []string{"actor=1", "actor_id=x", "from=yesterday", "cursor=nonsense",
		"limit=501", "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"} {
		r := e.admin.get("/api/v1/audit?"+bad, invalid).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.body), "invalid") && !strings.Contains(string(r.body), "field") {
			t.Errorf("%s: %s", bad, r.body)
		}
	}
}
