package api

import (
	"net/http"
	"net/url"
	"testing"
)

type similarListJSON struct {
	Similar []similarJSON `json:"similar"`
}

// TestSimilarTickets: the resolved tickets like a ticket or a text come
// with their resolution and time taken, most similar first; open tickets
// and the ticket itself never; a restricted one only to those who may see
// it, and a requester only their own.
func TestSimilarTickets(t *testing.T) {
	e := newEnv(t)
	in := func(title, desc string) map[string]any {
		b := ticketIn(title)
		b["description"] = desc
		return b
	}
	vpn := e.agent.createTicket(in("VPN не подключается с ноутбука", "Cisco AnyConnect"))
	e.resolve(vpn)
	printer := e.agent.createTicket(in("Printer prints blank pages", "Floor 2"))
	e.resolve(printer)
	secret := e.agent.createTicket(in("VPN сертификат истёк на ноутбуке", "Сертификат"))
	e.agent.do("PATCH", ticketURL(secret, ""), map[string]any{"restricted": true},
		withHeader("If-Match", etag(secret.Version))).want(t, http.StatusOK)
	e.resolve(secret)
	open := e.agent.createTicket(in("VPN не подключается", "AnyConnect на ноутбуке"))

	numbers := func(c *client, path string) []string {
		t.Helper()
		l := decode[similarListJSON](t, c.get(path).want(t, http.StatusOK))
		var out []string
		for _, s := range l.Similar {
			out = append(out, s.Number)
			if s.ResolutionNotes != "fixed" || s.ResolutionCode == nil || s.ResolvedAt == nil || s.TimeTakenSeconds < 0 {
				t.Errorf("%s: %+v lacks its resolution", s.Number, s)
			}
		}
		return out
	}
	check := func(who string, got []string, want ...string) {
		t.Helper()
		if len(got) != len(want) {
			t.Errorf("%s: similar %v, want %v", who, got, want)
			return
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: similar %v, want %v", who, got, want)
				return
			}
		}
	}
	check("agent, ticket", numbers(e.agent, ticketURL(open, "/similar")), vpn.Number, secret.Number)
	check("line 2, ticket", numbers(e.l2, ticketURL(open, "/similar")), vpn.Number)
	check("agent, resolved ticket", numbers(e.agent, ticketURL(vpn, "/similar")), secret.Number)
	text := "/api/v1/similar-tickets?title=" + url.QueryEscape("ноутбук не подключается к VPN")
	check("agent, text", numbers(e.agent, text), vpn.Number, secret.Number)
	check("requester, own", numbers(e.alice, text), vpn.Number, secret.Number)
	check("other requester", numbers(e.bob, text))
	check("printing", numbers(e.agent, "/api/v1/similar-tickets?description=printing"), printer.Number)
	check("punctuation", numbers(e.agent, "/api/v1/similar-tickets?title=%22*%28-%5E"))
	check("nothing", numbers(e.agent, "/api/v1/similar-tickets"))
	e.agent.get("/api/v1/similar-tickets?category=abc", invalid).want(t, http.StatusUnprocessableEntity)
	e.agent.get("/api/v1/similar-tickets?titel=vpn").want(t, http.StatusUnprocessableEntity)
	e.agent.get("/api/v1/tickets/INC-999999/similar").want(t, http.StatusNotFound)
	e.bob.get(ticketURL(open, "/similar")).want(t, http.StatusNotFound)
	e.anon.get(ticketURL(open, "/similar")).want(t, http.StatusUnauthorized)
}
