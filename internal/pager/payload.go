package pager

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// WebhookPayload is the JSON body of a generic webhook delivery.
type WebhookPayload struct {
	Event      string    `json:"event"` // "page"
	DeliveryID int64     `json:"delivery_id"`
	PageID     int64     `json:"page_id"`
	Ticket     string    `json:"ticket"`
	Title      string    `json:"title"`
	Priority   string    `json:"priority"`
	Group      string    `json:"group"`
	Reason     string    `json:"reason"`
	Step       string    `json:"step"`
	Round      string    `json:"round"`
	User       string    `json:"user"`
	TicketURL  string    `json:"ticket_url"`
	AckURL     string    `json:"ack_url"`
	ResolveURL string    `json:"resolve_url"`
	SentAt     time.Time `json:"sent_at"`
}

// WebhookBody is the body sent to a generic webhook.
func WebhookBody(d *desk.PageDelivery, now time.Time) ([]byte, error) {
	p := d.Payload
	return json.Marshal(WebhookPayload{Event: "page", DeliveryID: d.ID, PageID: d.PageID, Ticket: p["ticket"], Title: p["title"],
		Priority: p["priority"], Group: p["group"], Reason: p["reason"], Step: p["step"], Round: p["round"], User: p["user"],
		TicketURL: p["ticket_url"], AckURL: p["ack_url"], ResolveURL: p["resolve_url"], SentAt: now.UTC()})
}

// SlackMessage is a Slack incoming-webhook message; Mattermost accepts the
// same (text with <url|label> links, and attachments).
type SlackMessage struct {
	Text        string            `json:"text"`
	Attachments []SlackAttachment `json:"attachments"`
}

// SlackAttachment is a message attachment.
type SlackAttachment struct {
	Fallback  string       `json:"fallback"`
	Color     string       `json:"color"`
	Title     string       `json:"title"`
	TitleLink string       `json:"title_link"`
	Text      string       `json:"text"`
	Fields    []SlackField `json:"fields"`
}

// SlackField is a short labelled value of an attachment.
type SlackField struct {
	Title string `json:"title"`
	Value string `json:"value"`
	Short bool   `json:"short"`
}

// SlackBody is the body sent to a Slack or Mattermost incoming webhook.
func SlackBody(d *desk.PageDelivery) ([]byte, error) {
	p := d.Payload
	text := fmt.Sprintf(":rotating_light: %s, you are paged: %s %s %s — <%s|Acknowledge> · <%s|Resolve>",
		slackEscape(p["user"]), slackEscape(p["priority"]), slackEscape(p["ticket"]), slackEscape(p["title"]), p["ack_url"], p["resolve_url"])
	att := SlackAttachment{Fallback: fmt.Sprintf("Page: %s %s — acknowledge at %s", p["ticket"], p["title"], p["ack_url"]),
		Color: "#d00000", Title: p["ticket"] + " " + p["title"], TitleLink: p["ticket_url"], Text: p["reason"],
		Fields: []SlackField{{Title: "Priority", Value: p["priority"], Short: true}, {Title: "Group", Value: p["group"], Short: true},
			{Title: "Step", Value: p["step"] + " (round " + p["round"] + ")", Short: true}}}
	return json.Marshal(SlackMessage{Text: text, Attachments: []SlackAttachment{att}})
}

// slackEscape escapes the three characters Slack's text markup reserves.
func slackEscape(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '&':
			out = append(out, []rune("&amp;")...)
		case '<':
			out = append(out, []rune("&lt;")...)
		case '>':
			out = append(out, []rune("&gt;")...)
		default:
			out = append(out, r)
		}
	}
	return string(out)
}
