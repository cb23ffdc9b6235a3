package devgen

import (
	"context"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// Problem records of the showcase (issue 12), one in every state, each
// with linked incidents: a new one, one under investigation with its root
// cause and references, a known error whose workaround went to its
// incidents (publicly, so their requesters got it), a resolved one whose
// incidents were resolved with it, and a closed one; the broadcasts are
// carried out as the runner of serve does.
func (b *showcase) problems() {
	if b.err != nil {
		return
	}
	pm := problem.New(b.st, b.d, desk.SystemClock{})
	l2 := b.as("agent_l2")
	incidents := func(kind string, n int, working bool) []string {
		var out []string
		for range n {
			t := b.ticket(kind, "agent_l1", desk.NewTicket{Title: "Не подключается VPN из дома",
				Description: "Клиент VPN пишет «истёк срок сертификата», хотя сертификат выдан в этом году.",
				CategoryID:  b.cat.ID, ServiceID: b.svc.ID})
			if t == nil {
				return nil
			}
			if working {
				b.take(t, "agent_l1")
			}
			out = append(out, t.Number)
		}
		return out
	}
	record := func(title string, kind string, n int, working bool) *problem.Problem {
		if b.err != nil {
			return nil
		}
		p, err := pm.Create(l2, problem.Input{Title: title, Description: "Повторяющиеся инциденты одной причины.",
			Impact: desk.LevelHigh, GroupID: b.groups[2].ID, CategoryID: b.cat.ID, ServiceID: b.svc.ID})
		b.fail(err)
		if err != nil {
			return nil
		}
		if refs := incidents(kind, n, working); b.err == nil {
			_, err = pm.Link(l2, p.Number(), refs)
			b.fail(err)
		}
		return p
	}
	step := func(_ any, err error) { b.fail(err) }
	step2 := func(_, _ any, err error) { b.fail(err) }

	record("Сертификаты VPN отзываются раньше срока", "problem/new", 1, false)
	if p := record("Почта доходит с задержкой в час", "problem/investigating", 2, true); p != nil {
		step(pm.Move(l2, p.Number(), problem.StateInvestigating, 0))
		root, refs := "Очередь антиспам-фильтра переполняется по утрам.", []problem.Reference{{Text: "CHG-1042"},
			{Text: "Заметка поставщика", URL: "https://vendor.showcase.example/kb/77"}}
		step(pm.Update(l2, p.Number(), problem.Patch{RootCause: &root, References: &refs}))
	}
	if p := record("Клиент VPN не принимает новый сертификат", "problem/known_error", 3, true); p != nil {
		step(pm.Move(l2, p.Number(), problem.StateInvestigating, 0))
		step2(pm.PublishWorkaround(l2, p.Number(), problem.WorkaroundInput{
			Text: "Удалите старый сертификат в «Сертификаты — текущий пользователь» и перезапустите клиент VPN.", Public: true}))
	}
	if p := record("Принтеры теряют драйвер после обновления", "problem/resolved", 2, true); p != nil {
		step2(pm.PublishWorkaround(l2, p.Number(), problem.WorkaroundInput{Text: "Установите драйвер заново с портала поддержки."}))
		step2(pm.Resolve(l2, p.Number(), problem.ResolveInput{Fix: "Обновление драйвера 2.2 исправляет ошибку.", Incidents: true}))
	}
	if p := record("Календарь не синхронизируется на телефонах", "problem/closed", 1, true); p != nil {
		step2(pm.Resolve(l2, p.Number(), problem.ResolveInput{Fix: "Профиль синхронизации заменён.", Incidents: true}))
		step(pm.Move(l2, p.Number(), problem.StateClosed, 0))
	}
	if b.err == nil {
		_, err := problem.NewRunner(pm, problem.RunnerConfig{}, nil).RunDue(context.WithoutCancel(b.ctx))
		b.fail(err)
	}
}
