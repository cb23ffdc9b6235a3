package statusweb_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkStatusPage serves GET /status over loopback HTTP (keep-alive,
// as browsers and tools/statusbench ask) from a page with four components
// and a published incident, alternating English and Russian visitors;
// run with -benchmem to see the served path's allocations.
func BenchmarkStatusPage(b *testing.B) {
	f := benchPage(b)
	langs, client := []string{"en-GB,en;q=0.9", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"}, f.http.Client()
	reqs := make([]*http.Request, len(langs))
	for i, l := range langs {
		reqs[i], _ = http.NewRequest("GET", f.http.URL+"/status", nil)
		reqs[i].Header.Set("Accept-Language", l)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		res, err := client.Do(reqs[i%2])
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatal(res.Status)
		}
	}
}

// benchPage is a page with four components and a published incident.
func benchPage(b *testing.B) *fixture {
	f := newFixture(b, testdb.SQLiteInstances)
	for _, name := range []string{"Mail delivery", "Web", "VPN", "Printing"} {
		_, err := f.page.SaveComponent(f.admin, statuspage.Component{Name: name, Group: "Services"})
		if err != nil {
			b.Fatal(err)
		}
	}
	tk := f.incident(false)
	m, err := f.majors.Declare(f.agent, tk.Number, major.DeclareInput{CommanderID: f.agentU.ID})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.page.Publish(f.agent, m.ID, statuspage.PublishInput{Name: "Mail is delayed", Body: "Investigating."}); err != nil {
		b.Fatal(err)
	}
	f.refresh()
	return f
}

// BenchmarkStatusPageHandler is the served path alone: the handler on a
// recorder, no network, alternating English and Russian visitors.
func BenchmarkStatusPageHandler(b *testing.B) {
	f := benchPage(b)
	reqs := []*http.Request{httptest.NewRequest("GET", "/status", nil), httptest.NewRequest("GET", "/status", nil)}
	reqs[0].Header.Set("Accept-Language", "en-GB,en;q=0.9")
	reqs[1].Header.Set("Accept-Language", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, reqs[i%2])
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}
