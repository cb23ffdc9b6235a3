package statuspage

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
)

// Service applies the status page's rules: staff edit components and
// publish; anyone may subscribe.
type Service struct {
	desk    *desk.Desk
	st      Store
	majors  major.Store
	clock   desk.Clock
	baseURL string
	changed func() // called after every change (the snapshot's refresh)
}

// New returns a Service; baseURL is the desk's public address (links in
// mails), changed is called after every change (nil: nothing).
func New(d *desk.Desk, st Store, majors major.Store, clock desk.Clock, baseURL string, changed func()) *Service {
	if changed == nil {
		changed = func() {}
	}
	return &Service{desk: d, st: st, majors: majors, clock: clock, baseURL: strings.TrimRight(baseURL, "/"), changed: changed}
}

func staff(ctx context.Context) (*desk.User, error) {
	u := desk.ActorFrom(ctx)
	if u == nil || !u.Active {
		return nil, desk.Errorf(desk.EUNAUTHENTICATED, "authentication required")
	}
	if !u.Role.IsStaff() {
		return nil, desk.Errorf(desk.EFORBIDDEN, "only service-desk staff may change the status page")
	}
	return u, nil
}

func admin(ctx context.Context) error {
	u, err := staff(ctx)
	if err == nil && u.Role != desk.RoleAdmin && u.Role != desk.RoleManager {
		err = desk.Errorf(desk.EFORBIDDEN, "only administrators and managers may change the status page's components")
	}
	return err
}

// publicText checks a text the public will read.
func publicText(fields *[]desk.FieldError, field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		*fields = append(*fields, desk.Invalid(field, desk.RuleRequired, nil, "is required"))
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		*fields = append(*fields, desk.Invalid(field, desk.RuleInvalidText, nil, "is not text"))
	case utf8.RuneCountInString(s) > max:
		*fields = append(*fields, desk.Invalid(field, desk.RuleTooLong, desk.Params{"max": max}, "is longer than %d characters", max))
	}
	return s
}

// SaveComponent creates (ID 0) or changes a component.
func (s *Service) SaveComponent(ctx context.Context, c Component) (*Component, error) {
	if err := admin(ctx); err != nil {
		return nil, err
	}
	var fields []desk.FieldError
	c.Name = publicText(&fields, "name", c.Name, 200, true)
	c.Description = publicText(&fields, "description", c.Description, 1000, false)
	c.Group = publicText(&fields, "group", c.Group, 200, false)
	if c.Status == "" {
		c.Status = Operational
	}
	if !c.Status.Valid() {
		fields = append(fields, desk.Invalid("status", desk.RuleOneOf, desk.Params{"allowed": statusNames()}, "is not a component state"))
	}
	for _, id := range c.ServiceIDs {
		if _, err := s.desk.BusinessService(ctx, id); err != nil {
			fields = append(fields, desk.Invalid("service_ids", desk.RuleUnknown, nil, "names no service"))
			break
		}
	}
	if len(fields) > 0 {
		return nil, desk.InvalidFields(fields...)
	}
	now := s.clock.Now()
	if c.ID == 0 {
		c.CreatedAt = now
	}
	c.UpdatedAt = now
	if err := s.st.SaveComponent(ctx, &c); err != nil {
		return nil, err
	}
	s.changed()
	return &c, nil
}

func statusNames() []string {
	var out []string
	for _, s := range ComponentStatuses {
		out = append(out, string(s))
	}
	return out
}

// DeleteComponent takes a component off the page.
func (s *Service) DeleteComponent(ctx context.Context, id int64) error {
	if err := admin(ctx); err != nil {
		return err
	}
	if err := s.st.DeleteComponent(ctx, id, s.clock.Now()); err != nil {
		return err
	}
	s.changed()
	return nil
}

// Components lists the live components (staff).
func (s *Service) Components(ctx context.Context) ([]Component, error) {
	if _, err := staff(ctx); err != nil {
		return nil, err
	}
	return s.st.Components(ctx, false)
}

// ComponentNames names the live components tied to a service, for the
// review of a major incident on it.
func (s *Service) ComponentNames(ctx context.Context, m *major.Incident) ([]string, error) {
	comps, err := s.st.Components(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range comps {
		if m.ServiceID != 0 && slices.Contains(c.ServiceIDs, m.ServiceID) {
			out = append(out, c.Name)
		}
	}
	if inc, err := s.st.IncidentOfMajor(ctx, m.ID); err == nil {
		for _, id := range inc.ComponentIDs {
			if i := slices.IndexFunc(comps, func(c Component) bool { return c.ID == id }); i >= 0 && !slices.Contains(out, comps[i].Name) {
				out = append(out, comps[i].Name)
			}
		}
	}
	return out, nil
}

// now is the service clock's time.
func (s *Service) now() time.Time { return s.clock.Now() }
