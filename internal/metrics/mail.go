package metrics

import (
	"context"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// MailReceiver is what the mail adapters hand messages to (desk.Desk).
type MailReceiver interface {
	ReceiveMail(ctx context.Context, in desk.InboundMail) (desk.MailOutcome, error)
}

// Mail returns r counting every message by outcome, and the dropped and
// refused ones by reason.
func (m *Metrics) Mail(r MailReceiver) MailReceiver { return &observedMail{r: r, m: m} }

type observedMail struct {
	r MailReceiver
	m *Metrics
}

func (o *observedMail) ReceiveMail(ctx context.Context, in desk.InboundMail) (desk.MailOutcome, error) {
	out, err := o.r.ReceiveMail(ctx, in)
	switch {
	case err != nil && desk.ErrorCode(err) == desk.EINTERNAL:
		o.m.mailReceived.WithLabelValues("error").Inc()
	case err != nil:
		o.m.mailReceived.WithLabelValues("refused").Inc()
		o.m.mailDropped.WithLabelValues("refused_" + desk.ErrorCode(err)).Inc()
	default:
		o.m.mailReceived.WithLabelValues(string(out.Action)).Inc()
		if out.Action == desk.MailDropped {
			o.m.mailDropped.WithLabelValues(dropReason(out.Reason)).Inc()
		}
	}
	return out, err
}

// dropReason names the desk's worded reason with a fixed label value.
func dropReason(why string) string {
	switch {
	case strings.HasPrefix(why, "our own mail"):
		return "own_mail"
	case strings.HasPrefix(why, "automatic mail"):
		return "automatic"
	case strings.Contains(why, "bounce"):
		return "unknown_bounce"
	}
	return "other"
}
