package statusweb_test

import (
	"io"
	"net/http"
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
	f := newFixture(&testing.T{}, testdb.SQLiteInstances)
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
	langs := []string{"en-GB,en;q=0.9", "ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"}
	reqs := make([]*http.Request, len(langs))
	for i, l := range langs {
		reqs[i], _ = http.NewRequest("GET", f.http.URL+"/status", nil)
		reqs[i].Header.Set("Accept-Language", l)
	}
	client := f.http.Client()
	b.ReportAllocs()
	b.ResetTimer()
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
