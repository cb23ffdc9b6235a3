package web

import (
	"fmt"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

// The diagnosis panel of the agent's ticket page (issue 12): once the
// ticket has a category with a checklist, its questions to answer (key q)
// below the articles and known errors, so the agent sees the known
// answer before diagnosing; and the answers recorded, for whichever line
// holds the ticket now. Each diagnosis is also shown in full at its entry
// of the timeline.
func init() {
	registerArea("diagnosis_ticket", func(s *server) {
		if s.opts.Diagnosis == nil {
			return
		}
		s.post("/tickets/{ref}/diagnosis", staffOnly, s.dxAnswer)
	})
}

// dxPanel is the panel's data; nil without checklists, or when the
// ticket has no checklist and none was answered on it.
type dxPanel struct {
	Checklist *diagnosis.Checklist
	Items     []dxItem
	Latest    *dxAnswered
	Answered  bool // the current checklist has answers
	Require   bool // escalating unanswered needs a reason
	Open      bool // the ticket can still take answers
}

type dxItem struct {
	Index int
	Text  string
	YesNo bool
}

// dxAnswered is one diagnosis worded in the reader's language.
type dxAnswered struct {
	By   string
	At   any
	Rows []dxRow
}

type dxRow struct{ Question, Value string }

func (rq *request) dxAnswered(d *diagnosis.Diagnosis) *dxAnswered {
	a := &dxAnswered{At: d.At}
	if d.By != nil {
		a.By = d.By.Name
	}
	for _, ans := range d.Answers {
		v := ans.Value
		if ans.Kind == diagnosis.YesNo {
			v = rq.lang.T("dx.value." + v)
		}
		a.Rows = append(a.Rows, dxRow{Question: ans.Text(rq.lang.code), Value: v})
	}
	return a
}

// dxTicketPanel loads the panel and the diagnoses by timeline entry.
func (s *server) dxTicketPanel(rq *request, t *desk.Ticket) (*dxPanel, map[int64]*dxAnswered, error) {
	dx := s.opts.Diagnosis
	if dx == nil {
		return nil, nil, nil
	}
	v, err := dx.ForTicket(rq.ctx, t.Number)
	if err != nil {
		return nil, nil, err
	}
	byEvent := map[int64]*dxAnswered{}
	for _, d := range v.Diagnoses {
		byEvent[d.EventID] = rq.dxAnswered(d)
	}
	if v.Checklist == nil && len(v.Diagnoses) == 0 {
		return nil, byEvent, nil
	}
	p := &dxPanel{Checklist: v.Checklist, Answered: v.Answered(), Require: v.Mode == diagnosis.Require, Open: !t.State.IsFinal()}
	if l := v.Latest(); l != nil {
		p.Latest = byEvent[l.EventID]
	}
	if v.Checklist != nil {
		for i, it := range v.Checklist.Items {
			p.Items = append(p.Items, dxItem{Index: i, Text: it.Text(rq.lang.code), YesNo: it.Kind == diagnosis.YesNo})
		}
	}
	return p, byEvent, nil
}

// dxAnswer records the form's answers, answer_0 … answer_{count-1} in
// order (a yes/no left unticked is sent as no value and refused).
func (s *server) dxAnswer(rq *request) error {
	return s.ticketAction(rq, "diagnose", func(int) error {
		n, _ := strconv.Atoi(rq.r.PostFormValue("count"))
		n = min(max(n, 0), diagnosis.MaxItems+1)
		values := make([]string, n)
		for i := range values {
			values[i] = rq.r.PostFormValue(fmt.Sprintf("answer_%d", i))
		}
		_, err := s.opts.Diagnosis.Answer(rq.ctx, rq.ref(), values)
		return err
	})
}
