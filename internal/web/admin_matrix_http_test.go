package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// matrixForm is m as the page's form posts it.
func matrixForm(csrf string, m desk.Matrix) url.Values {
	form := url.Values{"csrf": {csrf}}
	for _, imp := range desk.Levels {
		for _, urg := range desk.Levels {
			form.Set(string(imp)+"."+string(urg), string(m.Priority(imp, urg)))
		}
	}
	return form
}

func TestWeb_AdminMatrixRoundTrip(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	a, root := adminClient(t, e)
	ctx := desk.WithActor(context.Background(), root)
	p := a.get("/admin/matrix")
	if p.status != 200 {
		t.Fatalf("page: %d", p.status)
	}
	// The stored matrix is what the selects show.
	for _, want := range []string{`id="high.high"`, `<option value="P1" selected>`, `id="low.low"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("no %q on the page", want)
		}
	}
	csrf := a.csrf("/admin/matrix")

	m := desk.DefaultMatrix
	m.Set(desk.LevelLow, desk.LevelLow, desk.P3)
	m.Set(desk.LevelHigh, desk.LevelLow, desk.P2)
	// A cell with no priority: 422, the other cells keep what was chosen.
	bad := matrixForm(csrf, m)
	bad.Set("medium.low", "P9")
	p = a.post("/admin/matrix", bad)
	wantForm(t, p, "medium.low", "Choose P1, P2, P3 or P4.")
	if !strings.Contains(p.body, `name="low.low" aria-label="Priority for impact low, urgency low"`) {
		t.Error("the cell has no accessible name")
	}
	if got, _ := e.d.Matrix(ctx); got != desk.DefaultMatrix {
		t.Fatalf("a refused matrix was stored: %v", got)
	}
	if p = a.post("/admin/matrix", matrixForm(csrf, m)); p.status != http.StatusSeeOther {
		t.Fatalf("save: %d %.300s", p.status, p.body)
	}
	if got, _ := e.d.Matrix(ctx); got != m {
		t.Fatalf("stored %v, want %v", got, m)
	}
	if p = a.get(p.header.Get("Location")); !strings.Contains(p.body, "The priority matrix is saved.") {
		t.Error("no confirmation")
	}
	// Edit again: back to the default.
	if p = a.post("/admin/matrix", matrixForm(csrf, desk.DefaultMatrix)); p.status != http.StatusSeeOther {
		t.Fatalf("second save: %d", p.status)
	}
	if got, _ := e.d.Matrix(ctx); got != desk.DefaultMatrix {
		t.Fatalf("stored %v after the second edit", got)
	}
}

// TestWeb_AdminMatrixAgentRefused: an agent may neither see nor change the matrix.
func TestWeb_AdminMatrixAgentRefused(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	lena := e.client()
	lena.signIn("lena@example.com")
	if p := lena.get("/admin/matrix"); p.status != http.StatusForbidden {
		t.Errorf("GET: %d", p.status)
	}
	var all desk.Matrix
	for _, imp := range desk.Levels {
		for _, urg := range desk.Levels {
			all.Set(imp, urg, desk.P1)
		}
	}
	if p := lena.post("/admin/matrix", matrixForm(lena.csrf("/agent"), all)); p.status != http.StatusForbidden {
		t.Errorf("POST: %d", p.status)
	}
	if got, _ := e.d.Matrix(desk.WithActor(context.Background(), e.lena)); got != desk.DefaultMatrix {
		t.Fatal("the agent changed the matrix")
	}
}
