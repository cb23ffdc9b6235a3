package web

import (
	"net/http"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The breach register on the web (issue 14; desk/breach_register.go,
// GDPR Art. 33(5)): every breach of the security cases the viewer sees,
// notified or not, with its clocks, and the auditor's export as JSON or
// CSV, the same files the API gives. Members of a security group find
// every breach, people named on a case theirs, other staff an empty
// register (an administrator is pointed at the self-grant).
func init() {
	registerArea("security_register", func(s *server) {
		s.get("/security/register", staffOnly, s.breachRegisterPage)
		s.get("/security/register.json", staffOnly, s.breachRegisterFile)
		s.get("/security/register.csv", staffOnly, s.breachRegisterFile)
	})
}

// breachRegisterRow is one breach of the register page.
type breachRegisterRow struct {
	*desk.BreachRegisterEntry
	Clocks []breachClockView
}

type breachRegisterView struct {
	Rows []breachRegisterRow
	Now  time.Time
}

func (s *server) breachRegisterPage(rq *request) error {
	entries, err := s.desk.BreachRegister(rq.ctx)
	if err != nil {
		return err
	}
	now := s.desk.Now()
	v := breachRegisterView{Now: now}
	for _, e := range entries {
		v.Rows = append(v.Rows, breachRegisterRow{BreachRegisterEntry: e, Clocks: breachClockViews(e.Clocks, now)})
	}
	return rq.ok("security_register", v)
}

// breachRegisterFile downloads the register as JSON or CSV, generated at the
// desk's clock.
func (s *server) breachRegisterFile(rq *request) error {
	entries, err := s.desk.BreachRegister(rq.ctx)
	if err != nil {
		return err
	}
	now := s.desk.Now()
	h := rq.w.Header()
	h.Set("Cache-Control", "private, no-store")
	name := "breach-register-" + now.UTC().Format("20060102")
	var b []byte
	if rq.r.URL.Path == "/security/register.csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		b = desk.RegisterCSV(entries)
	} else {
		if b, err = desk.RegisterJSON(entries, now); err != nil {
			return err
		}
		h.Set("Content-Type", "application/json")
		h.Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
	}
	rq.w.WriteHeader(http.StatusOK)
	_, err = rq.w.Write(b)
	return err
}
