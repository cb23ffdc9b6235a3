package statuspage

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// SubscribeResult says what a subscription request did, for the page's
// message; it never says whether the address was known.
type SubscribeResult struct {
	MailSent bool
}

// Subscribe asks for the page's notices at email (about components; none:
// all), in lang. A confirmation mail is sent, at most once per ResendAfter
// for an address; nothing else is sent before the address confirms. One
// client may ask RequestsPerHour times an hour (ELIMIT after).
func (s *Service) Subscribe(ctx context.Context, client, email, lang string, components []int64) (SubscribeResult, error) {
	now := s.now()
	n, err := s.st.CountRequest(ctx, client, now.Truncate(time.Hour))
	if err != nil {
		return SubscribeResult{}, err
	}
	if n > RequestsPerHour {
		return SubscribeResult{}, desk.Refusef(desk.ELIMIT, desk.RuleTooMany, desk.Params{"max": RequestsPerHour},
			"too many subscription requests: try again in an hour")
	}
	addr, err := CheckAddress(email)
	if err != nil {
		return SubscribeResult{}, err
	}
	if _, err := s.liveComponents(ctx, asStates(components)); err != nil {
		return SubscribeResult{}, err
	}
	if lang != "ru" {
		lang = "en"
	}
	sub, err := s.st.SubscriberByEmail(ctx, addr)
	switch {
	case desk.ErrorCode(err) == desk.ENOTFOUND:
		sub = &Subscriber{Email: addr, CreatedAt: now}
	case err != nil:
		return SubscribeResult{}, err
	case sub.Active():
		sub.ComponentIDs, sub.Language = components, lang // a known subscriber changes components
		return SubscribeResult{}, s.st.SaveSubscriber(ctx, sub, nil)
	case sub.UnsubscribedAt == nil && now.Sub(sub.CreatedAt) < ResendAfter:
		return SubscribeResult{}, nil // a confirmation is on its way
	}
	sub.Token, sub.Language, sub.ComponentIDs = NewToken(), lang, components
	sub.CreatedAt, sub.ConfirmedAt, sub.UnsubscribedAt, sub.Reason = now, nil, nil, ""
	q := &Queue{Outbox: []desk.OutboxMessage{{Kind: OutboxConfirm, Payload: map[string]string{"to": addr, "lang": lang,
		"confirm_url": s.baseURL + "/status/confirm/" + sub.Token, "page_url": s.baseURL + "/status"}}}}
	if err := s.st.SaveSubscriber(ctx, sub, q); err != nil {
		return SubscribeResult{}, err
	}
	return SubscribeResult{MailSent: true}, nil
}

func asStates(ids []int64) map[int64]ComponentStatus {
	out := map[int64]ComponentStatus{}
	for _, id := range ids {
		out[id] = Operational
	}
	return out
}

// Confirm confirms the subscription of token (the link of the
// confirmation mail).
func (s *Service) Confirm(ctx context.Context, token string) (*Subscriber, error) {
	sub, err := s.st.SubscriberByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if sub.UnsubscribedAt != nil {
		return nil, desk.Errorf(desk.ENOTFOUND, "no such subscription")
	}
	if sub.ConfirmedAt == nil {
		now := s.now()
		sub.ConfirmedAt, sub.Bounces = &now, 0 // the address works again
		if err := s.st.SaveSubscriber(ctx, sub, nil); err != nil {
			return nil, err
		}
	}
	return sub, nil
}

// Unsubscribe ends the subscription of token (one click, RFC 8058).
func (s *Service) Unsubscribe(ctx context.Context, token string) error {
	sub, err := s.st.SubscriberByToken(ctx, token)
	if err != nil {
		return err
	}
	if sub.UnsubscribedAt != nil {
		return nil
	}
	now := s.now()
	sub.UnsubscribedAt, sub.Reason = &now, "request"
	return s.st.SaveSubscriber(ctx, sub, nil)
}

// RecordBounce counts a bounce of email; at MaxBounces the address is
// unsubscribed. An unknown address is ignored.
func (s *Service) RecordBounce(ctx context.Context, email string) (*Subscriber, error) {
	sub, err := s.st.SubscriberByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	sub.Bounces++
	if sub.Bounces >= MaxBounces && sub.UnsubscribedAt == nil {
		now := s.now()
		sub.UnsubscribedAt, sub.Reason = &now, "bounces"
	}
	return sub, s.st.SaveSubscriber(ctx, sub, nil)
}

// Subscribers lists every subscriber (staff).
func (s *Service) Subscribers(ctx context.Context) ([]Subscriber, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.st.Subscribers(ctx)
}

// AddWebhook registers a signed webhook (administrators).
func (s *Service) AddWebhook(ctx context.Context, w Webhook) (*Webhook, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, desk.InvalidFields(desk.Invalid("url", desk.RuleInvalidFmt, desk.Params{"format": "url"}, "must be an http(s) URL"))
	}
	if len(w.Secret) < 16 {
		return nil, desk.InvalidFields(desk.Invalid("secret", desk.RuleTooShort, desk.Params{"min": 16}, "must have at least 16 characters"))
	}
	if _, err := s.liveComponents(ctx, asStates(w.ComponentIDs)); err != nil {
		return nil, err
	}
	w.Active, w.CreatedAt = true, s.now()
	return &w, s.st.CreateWebhook(ctx, &w)
}

// MaintenanceInput schedules a window.
type MaintenanceInput struct {
	Name, Body       string
	StartsAt, EndsAt time.Time
	Components       []int64
}

// ScheduleMaintenance adds a maintenance window; subscribers are told it
// is scheduled, and again when it starts and ends (Sweep).
func (s *Service) ScheduleMaintenance(ctx context.Context, in MaintenanceInput) (*Maintenance, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	var fields []desk.FieldError
	m := Maintenance{Name: publicText(&fields, "name", in.Name, MaxName, true), Body: publicText(&fields, "body", in.Body, MaxBody, false),
		StartsAt: in.StartsAt, EndsAt: in.EndsAt, CreatedAt: s.now()}
	if !in.EndsAt.After(in.StartsAt) {
		fields = append(fields, desk.Invalid("ends_at", desk.RuleNotAfter, desk.Params{"after": "starts_at"}, "must come after starts_at"))
	}
	if in.EndsAt.Before(m.CreatedAt) {
		fields = append(fields, desk.Invalid("ends_at", desk.RuleInPast, nil, "must be in the future"))
	}
	if len(fields) > 0 {
		return nil, desk.InvalidFields(fields...)
	}
	comps, err := s.liveComponents(ctx, asStates(in.Components))
	if err != nil {
		return nil, err
	}
	m.ComponentIDs = comps
	q := &Queue{}
	if err := s.fanOut(ctx, maintNotice(&m, "maintenance_scheduled"), q); err != nil {
		return nil, err
	}
	if err := s.st.SaveMaintenance(ctx, &m, q); err != nil {
		return nil, err
	}
	s.changed()
	return &m, nil
}

func maintNotice(m *Maintenance, kind string) Notice {
	return Notice{Kind: kind, Name: m.Name, Status: kind, Body: m.Body, At: m.StartsAt, ComponentIDs: m.ComponentIDs, MaintID: m.ID}
}

// Sweep gives the start and end notices of maintenance windows that are
// due, once each however many instances sweep, and expires the
// subscription request counts of past hours (ExpireRequestCounts).
func (s *Service) Sweep(ctx context.Context) (int, error) {
	if _, err := s.ExpireRequestCounts(ctx); err != nil {
		return 0, err
	}
	ms, err := s.st.Maintenances(ctx)
	if err != nil {
		return 0, err
	}
	now, sent := s.now(), 0
	for i := range ms {
		m := &ms[i]
		for _, w := range []struct {
			which, kind string
			due         time.Time
			done        *time.Time
		}{{"start", "maintenance_start", m.StartsAt, m.StartNoticeAt}, {"end", "maintenance_end", m.EndsAt, m.EndNoticeAt}} {
			if m.CanceledAt != nil || w.done != nil || now.Before(w.due) {
				continue
			}
			q := &Queue{Key: w.kind + ":" + itoa(m.ID)}
			if err := s.fanOut(ctx, maintNotice(m, w.kind), q); err != nil {
				return sent, err
			}
			err := s.st.MarkMaintenance(ctx, m.ID, w.which, now, q)
			if desk.ErrorCode(err) == desk.ECONFLICT {
				continue
			}
			if err != nil {
				return sent, err
			}
			sent++
			s.changed()
		}
	}
	return sent, nil
}

// ExpireRequestCounts deletes the subscription request counts of hours
// before the previous one: the limit reads the current hour only, and the
// previous one is kept for instances whose clocks lag a little. It returns
// how many counts went.
func (s *Service) ExpireRequestCounts(ctx context.Context) (int, error) {
	return s.st.ExpireRequestCounts(ctx, s.now().Truncate(time.Hour).Add(-time.Hour))
}

// Maintenances lists the windows (staff).
func (s *Service) Maintenances(ctx context.Context) ([]Maintenance, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	ms, err := s.st.Maintenances(ctx)
	slices.SortFunc(ms, func(a, b Maintenance) int { return b.StartsAt.Compare(a.StartsAt) })
	return ms, err
}
