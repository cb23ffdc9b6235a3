package mailmsg

import (
	"fmt"
	"testing"
)

// Auto-Submitted: no is how a person's mail says it was written by a person
// (RFC 3834 §5); only other values make it automatic. Dropping it as an
// auto-reply would lose the request silently.
func TestAutoSubmittedNoIsHuman(t *testing.T) {
	for value, want := range map[string]Kind{
		"no":                            KindNormal,
		"No":                            KindNormal,
		"  no  ":                        KindNormal,
		"no (sent by Ann herself)":      KindNormal,
		"auto-generated":                KindAutoReply,
		"auto-replied":                  KindAutoReply,
		"Auto-Notified":                 KindAutoReply,
		"auto-replied; owner-email=ann": KindAutoReply,
	} {
		raw := fmt.Sprintf("From: Ann <ann@example.com>\r\nTo: support@helpdesk.local\r\nSubject: Printer jams\r\n"+
			"Message-ID: <as-1@example.com>\r\nAuto-Submitted: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThe printer jams.\r\n", value)
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != want {
			t.Errorf("Auto-Submitted: %q: kind %s (%s), want %s", value, m.Kind, m.KindReason, want)
		}
	}
}
