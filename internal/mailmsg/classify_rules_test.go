package mailmsg

import (
	"fmt"
	"strings"
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

// classifyRaw parses a plain-text message with the given header lines.
func classifyRaw(t *testing.T, from, subject string, headers ...string) *Message {
	t.Helper()
	raw := "From: " + from + "\r\nTo: support@helpdesk.local\r\nSubject: " + subject + "\r\nMessage-ID: <cr-1@example.com>\r\n"
	for _, h := range headers {
		raw += h + "\r\n"
	}
	raw += "Content-Type: text/plain; charset=utf-8\r\n\r\nThe message text.\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Non-delivery reports from servers that do not send a DSN part: the
// sender's mailbox (mailer-daemon, postmaster, mail-daemon), or a null
// Return-Path together with a failure subject. Either alone from a person
// is a person's mail.
func TestBounceWithoutDSNPart(t *testing.T) {
	for _, tc := range []struct {
		from, subject string
		headers       []string
		want          Kind
	}{
		{"MAILER-DAEMON@mx.example.com", "Returned mail", nil, KindBounce},
		{"postmaster@mx.example.com", "Delivery report", nil, KindBounce},
		{"Mail Delivery <mail-daemon@mx.example.com>", "Report", nil, KindBounce},
		{"Mail System <noreply@mx.example.com>", "Undeliverable: Printer", []string{"Return-Path: <>"}, KindBounce},
		// A person whose subject mentions a failure, with a return path.
		{"Ann <ann@example.com>", "Undeliverable mail in my inbox", []string{"Return-Path: <ann@example.com>"}, KindNormal},
		// A null return path without a failure subject (a list's probe, a
		// forwarding service) is not a bounce by that rule.
		{"Ann <ann@example.com>", "Printer jams", []string{"Return-Path: <>"}, KindNormal},
		// The postmaster's colleagues are people.
		{"postmaster.assistant@example.com", "Printer jams", nil, KindNormal},
	} {
		m := classifyRaw(t, tc.from, tc.subject, tc.headers...)
		if m.Kind != tc.want {
			t.Errorf("%s %q %v: kind %s (%s), want %s", tc.from, tc.subject, tc.headers, m.Kind, m.KindReason, tc.want)
		}
	}
}

// A read receipt (multipart/report of a disposition notification) is not a
// non-delivery report: only report-type=delivery-status makes a bounce.
func TestReadReceiptIsNotABounce(t *testing.T) {
	raw := "From: Ann <ann@example.com>\r\nTo: support@helpdesk.local\r\nSubject: Read: Printer jams\r\n" +
		"Message-ID: <mdn-1@example.com>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message was read.\r\n" +
		"--b1\r\nContent-Type: message/disposition-notification\r\n\r\nFinal-Recipient: rfc822; ann@example.com\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n" +
		"--b1--\r\n"
	m, err := Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if m.Kind == KindBounce {
		t.Errorf("a read receipt classified as %s (%s)", m.Kind, m.KindReason)
	}
}

// Exchange marks mail its inbox rules send with X-MS-Exchange-Inbox-Rules-Loop
// and X-Auto-Response-Suppress (All or OOF): such a message is automatic
// whatever its subject; the suppress header alone (Outlook sets it on
// meeting requests and ordinary mail) is not.
func TestExchangeRuleMailIsAutomatic(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		subject string
		want    Kind
	}{
		{[]string{"X-Auto-Response-Suppress: OOF", "X-MS-Exchange-Inbox-Rules-Loop: ann@example.com"}, "Printer jams", KindAutoReply},
		{[]string{"X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: ann@example.com"}, "Printer jams", KindAutoReply},
		{[]string{"X-Auto-Response-Suppress: DR, RN, NRN, OOF, AutoReply"}, "Printer jams", KindNormal},
		{[]string{"X-Auto-Response-Suppress: All"}, "Printer jams", KindNormal},
		{[]string{"X-MS-Exchange-Inbox-Rules-Loop: ann@example.com"}, "Printer jams", KindNormal},
	} {
		m := classifyRaw(t, "Ann <ann@example.com>", tc.subject, tc.headers...)
		if m.Kind != tc.want {
			t.Errorf("%v %q: kind %s (%s), want %s", tc.headers, tc.subject, m.Kind, m.KindReason, tc.want)
		}
	}
}

// Bulk mail: each Precedence value alone; List-Id only with
// List-Unsubscribe; a Mailchimp campaign; a Feedback-ID only with
// List-Unsubscribe. One of a pair alone is a person's mail (a discussion
// list, a transactional message).
func TestBulkHeaders(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		want    Kind
	}{
		{[]string{"Precedence: bulk"}, KindBulk},
		{[]string{"Precedence: junk"}, KindBulk},
		{[]string{"Precedence: list"}, KindBulk},
		{[]string{"Precedence: first-class"}, KindNormal},
		{[]string{"List-Id: <news.example.com>", "List-Unsubscribe: <mailto:leave@example.com>"}, KindBulk},
		{[]string{"List-Id: <it-staff.example.com>"}, KindNormal},
		{[]string{"List-Unsubscribe: <mailto:leave@example.com>"}, KindNormal},
		{[]string{"X-Mailchimp-Campaign: 12345"}, KindBulk},
		{[]string{"Feedback-ID: 1:campaign:sender", "List-Unsubscribe: <https://example.com/u>"}, KindBulk},
		{[]string{"Feedback-ID: 1:receipt:sender"}, KindNormal},
	} {
		m := classifyRaw(t, "News <news@example.com>", "Printer offers", tc.headers...)
		if m.Kind != tc.want {
			t.Errorf("%v: kind %s (%s), want %s", tc.headers, m.Kind, m.KindReason, tc.want)
		}
	}
}

// An auto-reply phrase counts at the start, after a space, ']' or ':', and
// not inside a word.
func TestAutoReplyPhraseBoundaries(t *testing.T) {
	for subj, want := range map[string]bool{
		"[INC-000123]Automatic reply: Printer": true,
		"Re:Out of office":                     true,
		"Fwd: Out of Office":                   true,
		"Printer checkout of office":           false,
		"Stockout of office: paper":            false,
	} {
		if got := hasAutoReplySubject(strings.ToLower(subj)); got != want {
			t.Errorf("%q: auto-reply %v, want %v", subj, got, want)
		}
	}
}

// Non-delivery reports are found by their delivery-status part even when
// the report is not multipart/report (some servers wrap it in
// multipart/mixed) and its sender is an ordinary mailbox; RFC 6533's
// message/global-delivery-status (internationalised addresses) names the
// failed recipient as the classic part does.
func TestBounceByDeliveryStatusPart(t *testing.T) {
	for wrapper, part := range map[string]string{
		"multipart/mixed": "message/delivery-status",
		"multipart/report; report-type=global-delivery-status": "message/global-delivery-status",
	} {
		raw := "From: Mail Gateway <gateway@mx.example.com>\r\nTo: support@helpdesk.local\r\nSubject: Message status\r\n" +
			"Message-ID: <dsn-1@mx.example.com>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: " + wrapper + "; boundary=\"b1\"\r\n\r\n" +
			"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message could not be delivered.\r\n" +
			"--b1\r\nContent-Type: " + part + "\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n" +
			"Final-Recipient: rfc822; Gone@Example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
			"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ticket-INC-000001-1@helpdesk.local>\r\nSubject: Printer\r\n" +
			"--b1--\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != KindBounce || m.BounceOf != "ticket-INC-000001-1@helpdesk.local" || strings.Join(m.BounceRecipients, ",") != "gone@example.com" {
			t.Errorf("%s in %s: kind %s (%s), bounce of %q, recipients %v", part, wrapper, m.Kind, m.KindReason, m.BounceOf, m.BounceRecipients)
		}
	}
}

// The original Message-ID of a bounce is read from returned headers that
// are not a clean header block: a preamble line before them, a folded
// Message-ID before a broken line, a placeholder id before the real one.
func TestBounceOfFromUntidyReturnedHeaders(t *testing.T) {
	for returned, want := range map[string]string{
		"Returned message follows\r\nMessage-ID: <pre@example.com>\r\nSubject: Printer\r\n":     "pre@example.com",
		"Message-ID:\r\n <fold@example.com>\r\nSubject: Printer\r\nthis line is broken\r\n":     "fold@example.com",
		"Returned message follows\r\nMessage-ID: unknown\r\nMessage-ID: <real@example.com>\r\n": "real@example.com",
		"Message-ID: <clean@example.com>\r\nSubject: Printer\r\n\r\nThe original text.\r\n":     "clean@example.com",
	} {
		raw := "From: MAILER-DAEMON@mx.example.com\r\nTo: support@helpdesk.local\r\nSubject: Undelivered Mail Returned to Sender\r\n" +
			"Message-ID: <dsn-2@mx.example.com>\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n" +
			"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYour message could not be delivered.\r\n" +
			"--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n\r\n" +
			"Final-Recipient: rfc822; gone@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n" +
			"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n" + returned +
			"--b1--\r\n"
		m, err := Parse([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		if m.Kind != KindBounce || m.BounceOf != want {
			t.Errorf("returned %q: kind %s, bounce of %q, want %q", returned, m.Kind, m.BounceOf, want)
		}
	}
}
