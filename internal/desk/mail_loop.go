package desk

import "strings"

// ownMail says why an inbound message is our own mail come back, or "" when
// it is not. Such mail never opens a ticket, adds a comment or causes an
// answer, whatever its other headers say: a relay or an autoresponder that
// strips Auto-Submitted must not start a loop. Checked: the sender is one of
// Config.MailLoopAddresses (an address, or "@domain" for a whole domain);
// the message carries a header only our mail has (X-Tierdesk…); its own
// Message-ID is one of our notifications' (tierdesk.…@MailIDDomain). A
// reply that merely refers to our Message-ID is a person answering, not a
// loop.
func (s *Desk) ownMail(in InboundMail) string {
	from := strings.ToLower(strings.TrimSpace(in.FromAddress))
	for _, a := range s.cfg.MailLoopAddresses {
		a = strings.ToLower(strings.TrimSpace(a))
		switch {
		case a == "":
		case strings.HasPrefix(a, "@") && strings.HasSuffix(from, a):
			return "sender domain " + a[1:]
		case a == from:
			return "sender " + a
		}
	}
	if in.LoopHeader != "" {
		return "header " + in.LoopHeader
	}
	if d := strings.ToLower(s.cfg.MailIDDomain); d != "" {
		id := strings.ToLower(in.MessageID)
		if strings.HasPrefix(id, "tierdesk.") && strings.HasSuffix(id, "@"+d) {
			return "Message-ID of ours"
		}
	}
	return ""
}
