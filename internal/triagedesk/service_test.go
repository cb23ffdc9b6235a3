package triagedesk_test

import (
	"context"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testclock"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// eachDB runs fn on a fresh SQLite desk and a fresh PostgreSQL one (the
// latter skipped without TIERDESK_TEST_POSTGRES).
func eachDB(t *testing.T, fn func(t *testing.T, s *sqlstore.Store)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, testdb.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, testdb.Postgres(t)) })
}

// deskOf is a desk on s a day after the history, with the triage service
// applying its choices, an administrator in every group and a requester.
type deskOf struct {
	s     *sqlstore.Store
	d     *desk.Desk
	svc   *triagedesk.Service
	clk   *testclock.Clock
	admin context.Context
	req   context.Context
}

func newDesk(t *testing.T, s *sqlstore.Store) *deskOf {
	t.Helper()
	clk := testclock.New(at.Add(24 * time.Hour))
	d := desk.New(s, clk, desk.DefaultConfig)
	svc := triagedesk.New(s, d, clk, triagedesk.Options{Config: smallConfig()})
	d.SetAutoTriager(svc)
	groups, err := s.ListGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, g := range groups {
		ids = append(ids, g.ID)
	}
	admin, _, err := d.Bootstrap(t.Context(), desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false, ids...)
	if err != nil {
		t.Fatal(err)
	}
	req, _, err := d.Bootstrap(t.Context(), desk.UserInput{Email: "boris@example.com", Name: "Boris", Role: desk.RoleRequester}, false)
	if err != nil {
		t.Fatal(err)
	}
	return &deskOf{s: s, d: d, svc: svc, clk: clk, admin: desk.WithActor(t.Context(), admin), req: desk.WithActor(t.Context(), req)}
}

func fields(sg *triagedesk.Suggestions) map[string]triagedesk.FieldSuggestion {
	out := map[string]triagedesk.FieldSuggestion{}
	for _, f := range sg.Fields {
		out[f.Field] = f
	}
	return out
}

// A fresh desk says it has no model and suggests nothing, without an
// error; after the job runner's sweep it suggests with reasons.
func TestService_SuggestsOnceTrained(t *testing.T) {
	eachDB(t, func(t *testing.T, s *sqlstore.Store) {
		x := newDesk(t, s)
		sg, err := x.svc.Suggest(x.admin, "Принтер не печатает", "")
		if err != nil || sg.Status != triagedesk.NoModel || len(sg.Fields) != 0 || sg.Message == "" {
			t.Fatalf("Suggest on a fresh desk: %+v, %v; want no_model with a message and no field", sg, err)
		}
		if ok, err := x.svc.Sweep(x.admin); ok || err != nil {
			t.Fatalf("Sweep with no history: %v, %v; want nothing trained, no error", ok, err)
		}
		_, set, err := x.svc.Model(x.admin)
		if err != nil || set.LastError == "" {
			t.Fatalf("settings after a training with too little history: %+v, %v; want the reason", set, err)
		}
		history(t, s, 240, desk.StateResolved)
		if ok, err := x.svc.Sweep(x.admin); ok || err != nil {
			t.Fatalf("Sweep right after a failed attempt: %v, %v; want not due", ok, err)
		}
		if _, err := x.svc.RequestTraining(x.admin); err != nil {
			t.Fatal(err)
		}
		if ok, err := x.svc.Sweep(x.admin); !ok || err != nil {
			t.Fatalf("Sweep when asked: %v, %v; want a model", ok, err)
		}
		m, set, err := x.svc.Model(x.admin)
		if err != nil || m == nil || m.Version != 1 || set.TrainRequestedAt != nil || set.LastError != "" {
			t.Fatalf("model after training: %+v, %+v, %v", m, set, err)
		}
		if ok, _ := x.svc.Sweep(x.admin); ok {
			t.Error("Sweep retrained a model trained a moment ago")
		}
		sg, err = x.svc.Suggest(x.admin, "Принтер снова не печатает", "бумага застряла")
		if err != nil || sg.Status != triagedesk.Ready {
			t.Fatalf("Suggest: %+v, %v", sg, err)
		}
		got := fields(sg)
		if c := got["category"]; c.Value != "Printers" || c.ID == 0 || len(c.Reasons) == 0 || c.Confidence <= 0 {
			t.Errorf("category suggestion %+v, want Printers with its id, a confidence and reasons", c)
		}
		if g := got["group"]; g.Value != "Field support" {
			t.Errorf("group suggestion %+v, want Field support", g)
		}
		if _, err := x.svc.Suggest(x.req, "Принтер", ""); desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("Suggest by a requester: %v, want forbidden", err)
		}
		// Another instance's service finds the same model in the database.
		other := triagedesk.New(s, x.d, x.clk, triagedesk.Options{})
		if sg2, err := other.Suggest(x.admin, "Принтер снова не печатает", "бумага застряла"); err != nil || fields(sg2)["category"].Value != "Printers" {
			t.Errorf("a second instance suggests %+v, %v", sg2, err)
		}
	})
}

// Bad input: an empty text is refused, a huge one read in part, a third
// language and unknown words answered without suggestions, never an error.
func TestService_SuggestBadInput(t *testing.T) {
	s := testdb.SQLite(t)
	x := newDesk(t, s)
	history(t, s, 240, desk.StateResolved)
	if _, err := x.svc.Sweep(x.admin); err != nil {
		t.Fatal(err)
	}
	if _, err := x.svc.Suggest(x.admin, "  ", ""); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("empty text: %v, want invalid", err)
	}
	if _, err := x.svc.Suggest(x.admin, "a\x00b", ""); desk.ErrorCode(err) != desk.EINVALID {
		t.Errorf("NUL in the text: %v, want invalid", err)
	}
	huge := make([]byte, 1<<20)
	for i := range huge {
		huge[i] = "printer jams "[i%13]
	}
	if sg, err := x.svc.Suggest(x.admin, "Printer", string(huge)); err != nil || sg.Status != triagedesk.Ready {
		t.Errorf("1 MB text: %+v, %v; want suggestions from its beginning", sg, err)
	}
	for _, text := range []string{"プリンターが印刷できません", "xyzzy qwzx"} {
		sg, err := x.svc.Suggest(x.admin, text, "")
		if err != nil || sg.Status == triagedesk.Ready || len(sg.Fields) != 0 || sg.Message == "" {
			t.Errorf("Suggest(%q): %+v, %v; want no suggestion with a message", text, sg, err)
		}
	}
}
