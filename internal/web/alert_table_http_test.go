package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/web"
)

// The agent's page of a grouped alert incident shows how many alerts fire
// and which: the table of their labels, kept as alerts resolve, as a
// preformatted block so its columns stay aligned.
func TestWeb_AlertIncidentShowsFiringTable(t *testing.T) {
	e := newHTTPEnv(t, web.Options{})
	ctx := context.Background()
	admin, _, err := e.d.Bootstrap(ctx, desk.UserInput{Email: "ada@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := e.d.CreateIntegration(desk.WithActor(ctx, admin), desk.IntegrationInput{Kind: desk.KindGeneric, Name: "nagios"})
	if err != nil {
		t.Fatal(err)
	}
	ig, err := e.d.AuthenticateIntegration(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	notice := desk.AlertNotice{DedupKey: "web"}
	for _, host := range []string{"web1", "web2", "web3"} {
		notice.Alerts = append(notice.Alerts, desk.Alert{Fingerprint: host, Status: desk.AlertFiring, Summary: "HTTP 500",
			Labels: map[string]string{"host": host, "site": "<b>eu</b>"}})
	}
	rc, err := e.d.ReceiveAlerts(ctx, ig, []desk.AlertNotice{notice})
	if err != nil {
		t.Fatal(err)
	}
	notice.Alerts[0].Status = desk.AlertResolved
	if _, err := e.d.ReceiveAlerts(ctx, ig, []desk.AlertNotice{notice}); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signIn("lena@example.com")
	p := c.get("/tickets/" + rc.Outcomes[0].TicketNumber)
	if p.status != 200 {
		t.Fatalf("ticket page %d", p.status)
	}
	i := strings.Index(p.body, `<pre class="alert-table">`)
	if i < 0 {
		t.Fatalf("no alert table on the agent's page:\n%s", pageText(p.body))
	}
	table := p.body[i:]
	table = table[:strings.Index(table, "</pre>")]
	for _, want := range []string{"2 of 3 alerts firing.", "host   2", "web2 ×1, web3 ×1", "&lt;b&gt;eu&lt;/b&gt; ×2"} {
		if !strings.Contains(table, want) {
			t.Errorf("alert table lacks %q:\n%s", want, table)
		}
	}
	if strings.Contains(table, "web1") {
		t.Errorf("a resolved alert is listed as firing:\n%s", table)
	}
}
