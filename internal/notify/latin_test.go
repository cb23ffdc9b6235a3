package notify

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
)

// systemReasonsSample are reasons the desk writes itself: every reason
// code with its params (as a payload carries them now), and the English
// sentences of payloads queued before codes existed. Russian mail must
// word every one of them.
func systemReasonsSample() []map[string]string {
	values := map[string]string{"priority": "P1", "type": "incident", "group": "Service Desk", "step": "2",
		"round": "1", "names": "Ivan Petrov, Anna", "rounds": "3", "state": "resolved", "name": "Lena Smith",
		"window": "168h0m0s", "ticket": "INC-000005", "cadence": "30m0s", "rule": "Lena Smith", "title": "VPN drops every hour",
		"recipients": "21", "affected": "VPN drops every hour", "doing": "Please restart the client", "due": "10:30 UTC",
		"since": "10:05 UTC", "policy": "Service Desk", "major": "INC-000003", "code": "workaround", "resolved": "20", "skipped": "1"}
	var out []map[string]string
	for _, code := range desk.ReasonCodes() {
		p := desk.ReasonParams{}
		for _, name := range desk.ReasonParamNames(code) {
			p[name] = values[name]
		}
		b, _ := json.Marshal(p)
		out = append(out, map[string]string{"reason": desk.ReasonText(code, p), "reason_code": string(code),
			"reason_params": string(b), "manager": ""})
	}
	for _, old := range []string{"resolution SLA breached", "response SLA breached", "P1 incident in Service Desk",
		"P2 request in Network", "step 1, round 2: paged Ivan Petrov, Anna", "step 2, round 1: nobody on call, moving on",
		"nobody acknowledged after 3 round(s)", "all alerts resolved", "alert fired again within the flap window",
		"requester replied", "requester replied to the resolution"} {
		out = append(out, map[string]string{"reason": old, "manager": ""})
	}
	return out
}

// TestRenderRussianHasNoEnglish renders every notification kind in Russian,
// with every state, clock, call kind and system reason the desk can put in
// a payload, and fails on a Latin-script word other than the allow-list
// (langcheck) and the data the message quotes (names, titles, comments).
func TestRenderRussianHasNoEnglish(t *testing.T) {
	data := map[string]string{"title": "VPN drops every hour", "group": "Service Desk", "actor": "Lena Smith",
		"assignee": "Lena Smith", "body": "Please restart the client", "resolution": "Replaced the token",
		"call_note": "bring the laptop", "organizer": "Kim Lee", "into_title": "VPN down",
		"call_phone": "+7 495 000-00-00", "call_url": "https://meet.example.com/x?a=1", "user": "Vera",
		"paged": "Ivan Petrov, Anna", "other_group": "Network", "affected": "Sending mail", "doing": "Restarting the relay",
		"name": "Mail is delayed"}
	base := map[string]string{"ticket": "INC-000007", "priority": "P1", "reopen_until": "2026-03-09T09:00:00Z",
		"respond_by": "2026-03-02T09:30:00Z", "resolve_by": "2026-03-02T17:00:00Z", "percent": "90",
		"deadline": "2026-03-02T10:00:00Z", "line": "2", "call_start": "2026-03-03T10:00:00Z", "call_minutes": "30",
		"into": "INC-000005", "round": "1", "started_at": "2026-03-02T09:05:00Z", "manager": "true",
		"ack_url": "https://desk.example.com/api/v1/page-links/tok?action=acknowledge", "major": "INC-000003",
		"next_at": "2026-03-02T10:00:00Z", "due_at": "2026-03-02T10:00:00Z", "declared_at": "2026-03-02T09:00:00Z",
		"at": "2026-03-02T09:30:00Z", "page_url": "https://desk.example.com/status", "status": "investigating",
		"confirm_url": "https://desk.example.com/status/confirm/abc", "unsubscribe_url": "https://desk.example.com/status/unsubscribe/abc"}
	var quoted []string
	for _, v := range data {
		quoted = append(quoted, v)
	}
	variants := []map[string]string{}
	for _, state := range []string{"new", "assigned", "in_progress", "on_hold", "resolved", "closed", "canceled"} {
		variants = append(variants, map[string]string{"state": state})
	}
	for _, clock := range []string{"response", "resolution", "next_update"} {
		variants = append(variants, map[string]string{"clock": clock})
	}
	for _, kind := range []string{"phone", "video"} {
		variants = append(variants, map[string]string{"call_kind": kind})
	}
	variants = append(variants, systemReasonsSample()...)
	variants = append(variants, map[string]string{"resolution": desk.AutoResolveNotes}) // the alert intake's notes
	variants = append(variants, payloadVariants(t)...)                                  // every branch on a payload flag
	checked := 0
	for kind := range kindsOf("ru") { // every kind the Russian catalogues write, the fallback too
		for _, vary := range variants {
			p := map[string]string{"state": "in_progress", "clock": "resolution", "call_kind": "video"}
			for _, m := range []map[string]string{base, data, vary} {
				for k, v := range m {
					p[k] = v
				}
			}
			p["body"] = data["body"]
			if kind == desk.OutboxOnCallPage {
				p["body"] = p["ack_url"]
			}
			d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: p}}
			for _, name := range []string{"", "Sam Brown"} {
				r, err := render(d, Recipient{Name: name, Language: "ru", Location: time.UTC}, "https://desk.example.com/")
				if err != nil {
					t.Fatal(err)
				}
				for part, text := range map[string]string{"subject": r.Subject, "text": r.Text} {
					if w := langcheck.LatinWords(text, append(quoted, name)...); len(w) > 0 {
						t.Errorf("ru %s (%v) %s has English %q:\n%s", kind, vary, part, w, text)
					}
				}
				checked++
			}
		}
	}
	for _, kind := range desk.NotificationKinds {
		if _, ok := languages["ru"].kinds[kind]; !ok {
			t.Errorf("%s has no Russian text: it would be sent with the generic one", kind)
		}
	}
	if checked < len(desk.NotificationKinds)*len(variants) {
		t.Fatalf("checked %d messages", checked)
	}
}

// TestReasonText: a payload's reason in the reader's language, from its
// code and params or (queued before codes existed) its English sentence;
// a person's reason stays as written.
func TestReasonText(t *testing.T) {
	cases := []struct {
		payload map[string]string
		ru, en  string
	}{
		{map[string]string{"reason": "resolution SLA breached", "reason_code": "resolution_breached"},
			"нарушен срок решения", "the resolution target was missed"},
		{map[string]string{"reason": "resolution SLA breached"}, "нарушен срок решения", "the resolution target was missed"},
		{map[string]string{"reason": "x", "reason_code": "page_exhausted", "reason_params": `{"rounds":"21"}`},
			"никто не подтвердил вызов за 21 круг", "nobody acknowledged after 21 rounds"},
		{map[string]string{"reason": "P3 request in Сеть"}, "запрос на обслуживание P3, группа Сеть", "P3 service request in the group Сеть"},
		{map[string]string{"reason": "нужны логи за вчера (requester replied)"},
			"нужны логи за вчера (requester replied)", "нужны логи за вчера (requester replied)"},
	}
	for _, c := range cases {
		if got := reasonText("ru", c.payload); got != c.ru {
			t.Errorf("ru %v = %q, want %q", c.payload, got, c.ru)
		}
		if got := reasonText("en", c.payload); got != c.en {
			t.Errorf("en %v = %q, want %q", c.payload, got, c.en)
		}
	}
}
