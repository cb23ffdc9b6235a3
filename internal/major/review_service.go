package major

import (
	"context"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Review returns the review of a major incident with its action items.
func (s *Service) Review(ctx context.Context, majorID int64) (*Review, error) {
	if _, err := s.Get(ctx, majorID); err != nil {
		return nil, err
	}
	return s.ms.GetReview(ctx, majorID)
}

// ReviewEdit is the review's editable text; nil leaves a field alone.
type ReviewEdit struct {
	Summary, Causes, WentWell, WentBadly *string
	State                                *ReviewState
	IfVersion                            int
}

// MaxReviewText bounds each text of a review.
const MaxReviewText = 20000

// EditReview changes the review's text or state (draft → in_review →
// published; a published review is final).
func (s *Service) EditReview(ctx context.Context, majorID int64, e ReviewEdit) (*Review, error) {
	if _, err := s.Get(ctx, majorID); err != nil {
		return nil, err
	}
	r, err := s.ms.GetReview(ctx, majorID)
	if err != nil {
		return nil, err
	}
	if e.IfVersion != 0 && e.IfVersion != r.Version {
		return nil, desk.Errorf(desk.ESTALE, "the review changed since it was read")
	}
	if r.State == ReviewPublished {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleNotAllowed, nil, "a published review is final")
	}
	var fields []desk.FieldError
	set := func(field string, dst *string, v *string) {
		if v == nil {
			return
		}
		if len(*v) > MaxReviewText {
			fields = append(fields, desk.Invalid(field, desk.RuleTooLong, desk.Params{"max": MaxReviewText}, "is too long"))
			return
		}
		*dst = strings.TrimSpace(*v)
	}
	set("summary", &r.Summary, e.Summary)
	set("causes", &r.Causes, e.Causes)
	set("went_well", &r.WentWell, e.WentWell)
	set("went_badly", &r.WentBadly, e.WentBadly)
	if len(fields) > 0 {
		return nil, desk.InvalidFields(fields...)
	}
	if e.State != nil && *e.State != r.State {
		if !r.State.CanMove(*e.State) {
			return nil, desk.Refusef(desk.ECONFLICT, desk.RuleTransition, desk.Params{"from": string(r.State), "to": string(*e.State)},
				"a review cannot move from %s to %s", r.State, *e.State)
		}
		r.State = *e.State
		if r.State == ReviewPublished {
			now := s.clock.Now()
			r.PublishedAt = &now
		}
	}
	return r, s.ms.SaveReview(ctx, r)
}

// AddActionItem adds a follow-up to the review of a major incident.
func (s *Service) AddActionItem(ctx context.Context, majorID int64, a ActionItem) (*ActionItem, error) {
	r, err := s.Review(ctx, majorID)
	if err != nil {
		return nil, err
	}
	a.Text = strings.TrimSpace(a.Text)
	if err := CheckItem(a); err != nil {
		return nil, err
	}
	if _, err := s.staffMember(ctx, "owner_id", a.OwnerID); err != nil {
		return nil, err
	}
	a.ReviewID, a.DoneAt = r.ID, nil
	return &a, s.ms.AddActionItem(ctx, &a)
}

// CompleteActionItem marks an item done (or open again), optionally with
// the ticket it became.
func (s *Service) CompleteActionItem(ctx context.Context, majorID, itemID int64, done bool, ticketRef string) (*ActionItem, error) {
	r, err := s.Review(ctx, majorID)
	if err != nil {
		return nil, err
	}
	for i := range r.Items {
		a := &r.Items[i]
		if a.ID != itemID {
			continue
		}
		a.DoneAt = nil
		if done {
			now := s.clock.Now()
			a.DoneAt = &now
		}
		if ticketRef != "" {
			t, err := s.desk.Ticket(ctx, ticketRef)
			if err != nil {
				return nil, desk.InvalidFields(desk.Invalid("ticket", desk.RuleUnknown, nil, "names no ticket you can see"))
			}
			a.TicketID = t.ID
		}
		return a, s.ms.UpdateActionItem(ctx, a)
	}
	return nil, desk.Errorf(desk.ENOTFOUND, "no action item %d on this review", itemID)
}

// List returns major incidents the actor may see, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]*Incident, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > desk.MaxPageSize {
		f.Limit = desk.DefaultPageSize
	}
	all, err := s.ms.ListMajors(ctx, f)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, m := range all {
		if _, err := s.desk.Ticket(ctx, idRef(m.TicketID)); err == nil {
			out = append(out, m)
		}
	}
	return out, nil
}

// Report computes the major-incident report over the incidents declared
// in [from, to) that the actor may see.
func (s *Service) Report(ctx context.Context, from, to time.Time) (Report, error) {
	list, err := s.List(ctx, Filter{From: from, To: to, Limit: desk.MaxPageSize})
	if err != nil {
		return Report{}, err
	}
	names := map[int64]string{}
	var facts []ReportFacts
	for _, m := range list {
		ups, err := s.ms.Updates(ctx, m.ID)
		if err != nil {
			return Report{}, err
		}
		if _, ok := names[m.ServiceID]; !ok && m.ServiceID != 0 {
			if svc, err := s.st.GetService(ctx, m.ServiceID); err == nil {
				names[m.ServiceID] = svc.Name
			}
		}
		facts = append(facts, ReportFacts{Incident: m, Service: names[m.ServiceID], Updates: ups})
	}
	items, err := s.ms.OpenActionItems(ctx)
	if err != nil {
		return Report{}, err
	}
	return BuildReport(facts, items, s.clock.Now()), nil
}

// Rules returns the declaration rules (staff).
func (s *Service) Rules(ctx context.Context) ([]Rule, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.ms.ListRules(ctx)
}

// CreateRule adds a declaration rule (administrators).
func (s *Service) CreateRule(ctx context.Context, r Rule) (*Rule, error) {
	u, err := staff(ctx)
	if err != nil {
		return nil, err
	}
	if u.Role != desk.RoleAdmin {
		return nil, desk.Errorf(desk.EFORBIDDEN, "only administrators may change major incident rules")
	}
	if err := r.Check(); err != nil {
		return nil, err
	}
	if _, err := s.staffMember(ctx, "commander_id", r.CommanderID); err != nil {
		return nil, err
	}
	if _, err := s.st.GetService(ctx, r.ServiceID); err != nil {
		return nil, desk.InvalidFields(desk.Invalid("service_id", desk.RuleUnknown, nil, "names no service"))
	}
	return &r, s.ms.CreateRule(ctx, &r)
}

// DeleteRule removes a rule (administrators).
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	u, err := staff(ctx)
	if err != nil {
		return err
	}
	if u.Role != desk.RoleAdmin {
		return desk.Errorf(desk.EFORBIDDEN, "only administrators may change major incident rules")
	}
	return s.ms.DeleteRule(ctx, id)
}
