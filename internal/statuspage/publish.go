package statuspage

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Outbox kinds of the status page (rendered by internal/notify; the
// recipient is the payload's "to", in its "lang").
const (
	OutboxConfirm desk.OutboxKind = "status_confirm"
	OutboxNotice  desk.OutboxKind = "status_notice"
)

// PublishInput is what a human writes for the public: never copied from
// the desk.
type PublishInput struct {
	Name       string
	Status     IncidentStatus
	Impact     Impact
	Body       string
	Components map[int64]ComponentStatus // affected components and their new states
}

// Text limits of public wording.
const (
	MaxName = 200
	MaxBody = 5000
)

func (in *PublishInput) check(first bool) error {
	var fields []desk.FieldError
	if first {
		in.Name = publicText(&fields, "name", in.Name, MaxName, true)
		if in.Impact == "" {
			in.Impact = ImpactMajor
		}
		if !in.Impact.Valid() {
			fields = append(fields, desk.Invalid("impact", desk.RuleOneOf, desk.Params{"allowed": []string{"none", "minor", "major", "critical"}}, "is not an impact"))
		}
	}
	in.Body = publicText(&fields, "body", in.Body, MaxBody, true)
	if !in.Status.Valid() {
		fields = append(fields, desk.Invalid("status", desk.RuleOneOf, desk.Params{"allowed": []string{"investigating", "identified", "monitoring", "resolved", "postmortem"}}, "is not a status"))
	}
	for _, st := range in.Components {
		if !st.Valid() {
			fields = append(fields, desk.Invalid("components", desk.RuleOneOf, desk.Params{"allowed": statusNames()}, "is not a component state"))
			break
		}
	}
	if len(fields) > 0 {
		return desk.InvalidFields(fields...)
	}
	return nil
}

// source returns the publishable source of a major incident the actor may
// see: never one whose parent is restricted or a security case.
func (s *Service) source(ctx context.Context, majorID int64) (Source, error) {
	m, err := s.majors.GetMajor(ctx, majorID)
	if err != nil {
		return Source{}, err
	}
	parent, err := s.desk.Ticket(ctx, strconv.FormatInt(m.TicketID, 10))
	if err != nil {
		return Source{}, err
	}
	return NewSource(Publishable{MajorID: m.ID, Parent: parent})
}

// Publish puts a major incident on the status page with the public
// wording in; it is refused for restricted and security tickets.
func (s *Service) Publish(ctx context.Context, majorID int64, in PublishInput) (*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	src, err := s.source(ctx, majorID)
	if err != nil {
		return nil, err
	}
	if _, err := s.st.IncidentOfMajor(ctx, majorID); err == nil {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleTaken, nil, "this major incident is already on the status page")
	}
	if in.Status == "" {
		in.Status = Investigating
	}
	if err := in.check(true); err != nil {
		return nil, err
	}
	comps, err := s.liveComponents(ctx, in.Components)
	if err != nil {
		return nil, err
	}
	now := s.now()
	inc := &Incident{MajorID: src.MajorID(), Name: in.Name, Status: in.Status, Impact: in.Impact, ComponentIDs: comps,
		CreatedAt: now, UpdatedAt: now}
	return inc, s.record(ctx, inc, in)
}

// Update adds a public update to a status incident. A resolved incident
// takes no more updates except its postmortem.
func (s *Service) Update(ctx context.Context, id int64, in PublishInput) (*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	inc, err := s.st.GetIncident(ctx, id)
	if err != nil {
		return nil, err
	}
	if inc.MajorID != 0 {
		if _, err := s.source(ctx, inc.MajorID); err != nil {
			return nil, err
		}
	}
	if !inc.Status.Open() && !(inc.Status == Resolved && in.Status == Postmortem) {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotOpen, desk.Params{"state": string(inc.Status)},
			"the incident is %s: only a postmortem may follow", inc.Status)
	}
	if err := in.check(false); err != nil {
		return nil, err
	}
	comps, err := s.liveComponents(ctx, in.Components)
	if err != nil {
		return nil, err
	}
	for _, c := range comps {
		if !slices.Contains(inc.ComponentIDs, c) {
			inc.ComponentIDs = append(inc.ComponentIDs, c)
		}
	}
	inc.Status, inc.UpdatedAt = in.Status, s.now()
	return inc, s.record(ctx, inc, in)
}

// liveComponents checks that the affected components exist and are live.
func (s *Service) liveComponents(ctx context.Context, states map[int64]ComponentStatus) ([]int64, error) {
	live, err := s.st.Components(ctx, false)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for id := range states {
		if !slices.ContainsFunc(live, func(c Component) bool { return c.ID == id }) {
			return nil, desk.InvalidFields(desk.Invalid("components", desk.RuleUnknown, desk.Params{"id": id}, "component %d is not on the page", id))
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, nil
}

// record stores the incident with its new update and queues the notice.
func (s *Service) record(ctx context.Context, inc *Incident, in PublishInput) error {
	now := inc.UpdatedAt
	switch inc.Status {
	case Monitoring:
		inc.MonitoringAt = &now
	case Resolved:
		inc.ResolvedAt = &now
	}
	u := &IncidentUpdate{Status: inc.Status, Body: in.Body, At: now}
	q := &Queue{}
	notice := Notice{Kind: "incident", Name: inc.Name, Status: string(inc.Status), Body: in.Body, At: now, ComponentIDs: inc.ComponentIDs}
	if err := s.fanOut(ctx, notice, q); err != nil {
		return err
	}
	if err := s.st.SaveIncident(ctx, inc, u, in.Components, q); err != nil {
		return err
	}
	s.changed()
	return nil
}

// fanOut fills q with the notice for every active subscriber and webhook
// that wants it. The key is set by the store (the update's id) when empty.
func (s *Service) fanOut(ctx context.Context, n Notice, q *Queue) error {
	subs, err := s.st.Subscribers(ctx)
	if err != nil {
		return err
	}
	for _, sub := range subs {
		if !sub.Wants(n.ComponentIDs) {
			continue
		}
		q.Outbox = append(q.Outbox, desk.OutboxMessage{Kind: OutboxNotice, Payload: map[string]string{
			"to": sub.Email, "lang": sub.Language, "notice": n.Kind, "name": n.Name, "status": n.Status, "body": n.Body,
			"at": n.At.UTC().Format(time.RFC3339), "page_url": s.baseURL + "/status",
			"unsubscribe_url": s.baseURL + "/status/unsubscribe/" + sub.Token}})
	}
	hooks, err := s.st.Webhooks(ctx)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"kind": n.Kind, "name": n.Name, "status": n.Status, "body": n.Body,
		"at": n.At.UTC().Format(time.RFC3339), "components": componentKeys(n.ComponentIDs), "page": s.baseURL + "/status"})
	for _, h := range hooks {
		probe := Subscriber{ConfirmedAt: &n.At, ComponentIDs: h.ComponentIDs}
		if h.Active && probe.Wants(n.ComponentIDs) {
			q.Hooks = append(q.Hooks, HookDelivery{WebhookID: h.ID, URL: h.URL, Secret: h.Secret, Body: body})
		}
	}
	return nil
}

func componentKeys(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, ComponentKey(id))
	}
	return out
}

// Incidents lists the status incidents (staff).
func (s *Service) Incidents(ctx context.Context) ([]Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.st.Incidents(ctx, MaxListed)
}

// IncidentOfMajor returns the status incident published from a major
// incident (ENOTFOUND if none).
func (s *Service) IncidentOfMajor(ctx context.Context, majorID int64) (*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.st.IncidentOfMajor(ctx, majorID)
}
