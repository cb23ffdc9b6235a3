package diagnosis

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Service is the checklists' application layer: it authorises the actor
// in ctx (desk.WithActor), applies the rules and persists through the
// Store; tickets are read and written through the desk. Staff read
// checklists and answer them; administrators write them and set the mode.
// Requesters see none of it: a diagnosis is an internal entry.
type Service struct {
	store Store
	desk  *desk.Desk
	clock desk.Clock
}

// New returns the service over st and d. It does not gate escalations
// until Guard is called.
func New(st Store, d *desk.Desk, clock desk.Clock) *Service {
	return &Service{store: st, desk: d, clock: clock}
}

// Guard makes the desk check the checklist before each functional
// escalation (see CheckEscalation).
func (s *Service) Guard() { s.desk.SetEscalationGate(s) }

// Checklists returns every checklist (staff).
func (s *Service) Checklists(ctx context.Context) ([]*Checklist, error) {
	if _, err := desk.RequireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.Checklists(ctx)
}

// Checklist returns one checklist (staff).
func (s *Service) Checklist(ctx context.Context, id int64) (*Checklist, error) {
	if _, err := desk.RequireStaff(ctx); err != nil {
		return nil, err
	}
	return s.store.Checklist(ctx, id)
}

// Create stores a new checklist (administrators).
func (s *Service) Create(ctx context.Context, c *Checklist) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	c.normalise()
	if err := c.validate(); err != nil {
		return err
	}
	c.Version, c.CreatedAt = 1, s.clock.Now()
	c.UpdatedAt = c.CreatedAt
	return s.store.CreateChecklist(ctx, c)
}

// Save replaces the category, service and questions of checklist c.ID
// (administrators) if it is still at version ifVersion (0: whatever it is
// at); answers recorded already keep their questions as asked.
func (s *Service) Save(ctx context.Context, c *Checklist, ifVersion int) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	c.normalise()
	if err := c.validate(); err != nil {
		return err
	}
	old, err := s.store.Checklist(ctx, c.ID)
	if err != nil {
		return err
	}
	if ifVersion == 0 {
		ifVersion = old.Version
	}
	c.Version, c.CreatedAt, c.UpdatedAt = ifVersion+1, old.CreatedAt, s.clock.Now()
	return s.store.SaveChecklist(ctx, c)
}

// Delete removes a checklist (administrators).
func (s *Service) Delete(ctx context.Context, id int64) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteChecklist(ctx, id)
}

// Mode returns what escalating an unanswered ticket takes (staff).
func (s *Service) Mode(ctx context.Context) (Mode, error) {
	if _, err := desk.RequireStaff(ctx); err != nil {
		return "", err
	}
	return s.store.DiagnosisMode(ctx)
}

// SetMode changes it (administrators).
func (s *Service) SetMode(ctx context.Context, m Mode) error {
	if err := desk.RequireAdmin(ctx); err != nil {
		return err
	}
	if !slices.Contains(Modes, m) {
		return desk.InvalidFields(desk.Invalid("mode", desk.RuleOneOf, desk.Params{"allowed": []string{string(Warn), string(Require)}},
			"must be warn or require"))
	}
	return s.store.SetDiagnosisMode(ctx, m)
}

// TicketView is the diagnosis of one ticket as its page shows it.
type TicketView struct {
	// Checklist is the one of the ticket's category (and service) now;
	// nil when it has none.
	Checklist *Checklist
	// Diagnoses are those recorded on the ticket, oldest first (possibly
	// with a checklist of a category it had before).
	Diagnoses []*Diagnosis
	Mode      Mode
}

// Latest is the last diagnosis recorded, nil when there is none.
func (v *TicketView) Latest() *Diagnosis {
	if len(v.Diagnoses) == 0 {
		return nil
	}
	return v.Diagnoses[len(v.Diagnoses)-1]
}

// Answered reports whether the current checklist was answered.
func (v *TicketView) Answered() bool {
	return v.Checklist != nil && slices.ContainsFunc(v.Diagnoses, func(d *Diagnosis) bool { return d.ChecklistID == v.Checklist.ID })
}

// ForTicket returns the checklist of a ticket and its diagnoses (staff).
func (s *Service) ForTicket(ctx context.Context, ref string) (*TicketView, error) {
	if _, err := desk.RequireStaff(ctx); err != nil {
		return nil, err
	}
	t, err := s.desk.Ticket(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, t)
}

func (s *Service) view(ctx context.Context, t *desk.Ticket) (*TicketView, error) {
	v := &TicketView{}
	var err error
	if v.Checklist, err = s.checklistOf(ctx, t); err != nil {
		return nil, err
	}
	if v.Diagnoses, err = s.store.Diagnoses(ctx, t.ID); err != nil {
		return nil, err
	}
	if v.Mode, err = s.store.DiagnosisMode(ctx); err != nil {
		return nil, err
	}
	return v, nil
}

// checklistOf returns the checklist that fits t closest: its subcategory
// before its category, and of those one for its service before one for
// any; nil when none does.
func (s *Service) checklistOf(ctx context.Context, t *desk.Ticket) (*Checklist, error) {
	cats, svc := ticketScope(t)
	if len(cats) == 0 {
		return nil, nil
	}
	lists, err := s.store.ChecklistsFor(ctx, cats)
	if err != nil {
		return nil, err
	}
	return best(lists, cats, svc), nil
}

// Answer records the answers to the ticket's checklist, one a question
// in order (staff), as an internal entry of its timeline.
func (s *Service) Answer(ctx context.Context, ref string, values []string) (*Diagnosis, error) {
	for try := 0; ; try++ {
		d, err := s.answer(ctx, ref, values)
		if desk.ErrorCode(err) != desk.ESTALE || try == 2 {
			return d, err
		}
	}
}

func (s *Service) answer(ctx context.Context, ref string, values []string) (*Diagnosis, error) {
	u, t, err := s.desk.TicketForWrite(ctx, strings.TrimSpace(ref))
	if err != nil {
		return nil, err
	}
	c, err := s.checklistOf(ctx, t)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, desk.Refusef(desk.ECONFLICT, desk.RuleUnknown, nil, "ticket %s has no diagnosis checklist: its category has none", t.Number)
	}
	answers, err := c.answers(values)
	if err != nil {
		return nil, err
	}
	w, err := s.desk.Prepare(ctx, t, u, desk.SystemNote{Code: desk.ReasonDiagnosisRecorded,
		Params: []string{"answers", strconv.Itoa(len(answers))}})
	if err != nil {
		return nil, err
	}
	d := &Diagnosis{TicketID: t.ID, ChecklistID: c.ID, ChecklistVersion: c.Version, Answers: answers,
		By: &desk.Ref{ID: u.ID, Name: u.Name}, At: s.clock.Now()}
	if err := s.store.RecordDiagnosis(ctx, d, w); err != nil {
		return nil, fmt.Errorf("diagnosis of %s: %w", t.Number, err)
	}
	s.desk.AfterWrite(ctx, w.Ticket, u)
	return d, nil
}

// CheckEscalation implements desk.EscalationGate: a ticket whose
// checklist nobody answered is escalated with the agent's reason noted;
// without one, the desk refuses (Require) or notes that there was none
// (Warn). The last answers recorded on the ticket go with the escalation's
// notice to the receiving line.
func (s *Service) CheckEscalation(ctx context.Context, t *desk.Ticket, in desk.EscalationInput) (desk.EscalationCheck, error) {
	v, err := s.view(ctx, t)
	if err != nil {
		return desk.EscalationCheck{}, err
	}
	check := desk.EscalationCheck{Diagnosis: v.Latest().forNotice()}
	if v.Checklist == nil || v.Answered() {
		return check, nil
	}
	if why := strings.TrimSpace(in.DiagnosisSkipped); why != "" {
		check.Notes = []desk.SystemNote{{Code: desk.ReasonDiagnosisSkipped, Body: why}}
		return check, nil
	}
	if v.Mode == Require {
		return desk.EscalationCheck{}, desk.InvalidFields(desk.Invalid("diagnosis_skipped", desk.RuleRequired, nil,
			"the diagnosis checklist of %s is not answered: answer it first, or say why you escalate without it", v.Checklist.Category.Name))
	}
	check.Notes = []desk.SystemNote{{Code: desk.ReasonDiagnosisMissing}}
	return check, nil
}

// forNotice is d's answers as an escalation notice carries them; nil for
// no diagnosis.
func (d *Diagnosis) forNotice() []desk.DiagnosisAnswer {
	if d == nil {
		return nil
	}
	out := make([]desk.DiagnosisAnswer, len(d.Answers))
	for i, a := range d.Answers {
		out[i] = desk.DiagnosisAnswer{Question: a.Question, Kind: string(a.Kind), Value: a.Value}
	}
	return out
}
