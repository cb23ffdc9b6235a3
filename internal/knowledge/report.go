package knowledge

import (
	"context"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Report returns the knowledge base's use in [from, to) (staff): the most
// used articles, links by kind, deflected contacts, the reuse rate and the
// categories without a published article.
func (s *Service) Report(ctx context.Context, from, to time.Time) (*Report, error) {
	if _, err := requireStaff(ctx); err != nil {
		return nil, err
	}
	if !to.After(from) {
		return nil, &desk.Error{Code: desk.EINVALID, Message: "invalid period", Fields: []desk.FieldError{
			desk.Invalid("to", desk.RuleNotAfter, desk.Params{"after": "from"}, "must come after from")}}
	}
	r, err := s.store.KnowledgeReport(ctx, from, to)
	if err != nil {
		return nil, err
	}
	r.From, r.To = from, to
	r.ReuseRate = r.Rate()
	return r, nil
}
