package devgen

import (
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
)

// diagnosis adds line 1's checklist of the printers (one question in
// Russian only, one in both languages), answered on an open ticket of
// that category, and the mode that requires a reason to escalate
// without answers.
func (b *showcase) diagnosis() {
	if b.err != nil {
		return
	}
	dx := diagnosis.New(b.st, b.d, desk.SystemClock{})
	admin := b.as("admin")
	c := &diagnosis.Checklist{Category: desk.Ref{ID: b.sub.ID}, Items: []diagnosis.Item{
		{Question: map[string]string{"ru": "Печатается ли пробная страница?", "en": "Does a test page print?"}, Kind: diagnosis.YesNo},
		{Question: map[string]string{"ru": "Что написано на панели принтера?"}, Kind: diagnosis.Text}}}
	b.fail(dx.Create(admin, c))
	b.fail(dx.SetMode(admin, diagnosis.Require))
	b.english("Does a test page print?")
	for _, t := range b.out.Tickets {
		if t.Kind == "priority/medium-medium" {
			_, err := dx.Answer(b.as("agent_l1"), t.Number, []string{"no", "Ошибка E-13: замятие бумаги"})
			b.fail(err)
		}
	}
}
