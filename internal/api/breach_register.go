package api

import (
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// breachRegister exports the breach register (GDPR Art. 33(5)) as JSON or
// CSV: the breaches of the security cases the caller sees (desk
// BreachRegister).
func (s *server) breachRegister(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r, "format")
	format := q.str("format")
	if format == "" {
		format = "json"
	}
	if format != "json" && format != "csv" {
		q.fail("format", desk.RuleOneOf, desk.Params{"allowed": []string{"json", "csv"}}, "must be json or csv")
	}
	if err := q.err(); err != nil {
		return err
	}
	entries, err := s.desk.BreachRegister(r.Context())
	if err != nil {
		return err
	}
	now := s.desk.Now() // the desk's clock, as the register's clocks are measured
	h := w.Header()
	h.Set("Cache-Control", "private, no-store")
	name := "breach-register-" + now.UTC().Format("20060102")
	if format == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(desk.RegisterCSV(entries))
		return nil
	}
	b, err := desk.RegisterJSON(entries, now)
	if err != nil {
		return err
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}
