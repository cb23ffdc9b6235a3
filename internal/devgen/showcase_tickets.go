package devgen

import (
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// lifecycle: a ticket in every state, from the portal (Russian and
// English requesters) and the phone; a resolved one rated with a comment,
// a closed one rated without, a closed one unrated, a reopened one.
func (b *showcase) lifecycle() {
	b.ticket("state/new", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Не работает сканер"})
	en := b.ticket("state/new/english", "requester_en", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Cannot connect to the VPN", Description: "Since this morning the VPN client says the certificate expired."})
	b.english("Cannot connect to the VPN", "Since this morning the VPN client says the certificate expired.")
	b.comment(en, "requester_en", "Any news? I still cannot work from home.", false)
	b.english("Any news? I still cannot work from home.")

	a := b.ticket("state/assigned", "agent_l1", desk.NewTicket{})
	b.move(a, "agent_l1", desk.TransitionInput{To: desk.StateAssigned, AssigneeID: b.out.People["agent_l1"].ID})

	w := b.ticket("state/in_progress", "agent_l1", desk.NewTicket{Title: "Медленно открывается почта"})
	b.take(w, "agent_l1")
	b.comment(w, "agent_l1", "Проверяю настройки почтового клиента.", false)
	b.comment(w, "agent_l1", "Похоже на переполненный ящик.", true)

	rated := b.ticket("state/resolved/rated", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Нет доступа к общей папке"})
	b.take(rated, "agent_l1")
	b.move(rated, "agent_l1", resolve("Выданы права на папку «Бухгалтерия»."))
	b.rate(rated, "requester_ru", 5, "Спасибо, всё работает!")

	unrated := b.ticket("state/resolved/unrated", "requester_en", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Printer on floor 3 jams", Description: "Paper jams on every second page."})
	b.english("Printer on floor 3 jams", "Paper jams on every second page.")
	b.take(unrated, "agent_l1")
	b.move(unrated, "agent_l1", resolve("Заменён ролик подачи бумаги."))

	closed := b.ticket("state/closed/rated", "requester_en", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Outlook asks for the password again", Description: "Every hour."})
	b.english("Outlook asks for the password again", "Every hour.")
	b.take(closed, "agent_l1")
	b.move(closed, "agent_l1", resolve("Сброшен кэш учётных данных."))
	b.move(closed, "requester_en", desk.TransitionInput{To: desk.StateClosed})
	b.rate(closed, "requester_en", 2, "")

	c := b.ticket("state/closed/unrated", "agent_l1", desk.NewTicket{Title: "Заменить картридж"})
	b.take(c, "agent_l1")
	b.move(c, "agent_l1", resolve("Картридж заменён."), desk.TransitionInput{To: desk.StateClosed})

	b.ticket("state/resolved/first_contact", "agent_l1", desk.NewTicket{Title: "Забыл пароль от почты",
		FirstContact: &desk.FirstContactResolution{ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Пароль сброшен во время звонка."}})

	x := b.ticket("state/canceled", "agent_l1", desk.NewTicket{Title: "Дубль звонка"})
	b.move(x, "agent_l1", desk.TransitionInput{To: desk.StateCanceled, Reason: "Пользователь позвонил повторно по той же проблеме."})

	// Taken in one step, then handed back to the queue; another handed to a colleague.
	back := b.ticket("state/assigned/back_to_queue", "agent_l1", desk.NewTicket{Title: "Не открывается портал закупок"})
	if b.err == nil {
		_, err := b.d.Take(b.as("agent_l1"), back.Number, 0)
		b.fail(err)
	}
	b.move(back, "agent_l1", desk.TransitionInput{To: desk.StateAssigned, Unassign: true, Reason: "Ухожу в отпуск."})
	handed := b.ticket("state/assigned/handed_over", "agent_l1", desk.NewTicket{Title: "Настроить сканер в приёмной"})
	b.take(handed, "agent_l1")
	b.move(handed, "agent_l1", desk.TransitionInput{To: desk.StateAssigned, AssigneeID: b.out.People["manager"].ID})

	re := b.ticket("state/reopened", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Снова не работает телефон"})
	b.take(re, "agent_l1")
	b.move(re, "agent_l1", resolve("Перезагружен аппарат."))
	b.move(re, "requester_ru", desk.TransitionInput{To: desk.StateInProgress, Reason: "Через час снова перестал работать."})
}

func (b *showcase) rate(t *desk.Ticket, actor string, score int, comment string) {
	if b.err != nil || t == nil {
		return
	}
	_, err := b.d.RateTicket(b.as(actor), t.Number, desk.RatingInput{Score: score, Comment: comment})
	b.fail(err)
}

// holds: a ticket on hold for each reason.
func (b *showcase) holds() {
	for _, r := range desk.HoldReasons {
		t := b.ticket("state/on_hold/"+string(r), "agent_l1", desk.NewTicket{})
		b.take(t, "agent_l1")
		b.move(t, "agent_l1", desk.TransitionInput{To: desk.StateOnHold, HoldReason: r, Reason: "Ждём ответа бухгалтерии."})
	}
}

// priorities: P1–P4 from impact and urgency, one re-prioritised with a
// reason and one recategorised.
func (b *showcase) priorities() {
	for _, iu := range [][2]desk.Level{{desk.LevelHigh, desk.LevelHigh}, {desk.LevelHigh, desk.LevelMedium},
		{desk.LevelMedium, desk.LevelMedium}, {desk.LevelLow, desk.LevelLow}} {
		b.ticket("priority/"+string(iu[0])+"-"+string(iu[1]), "agent_l1", desk.NewTicket{Impact: iu[0], Urgency: iu[1],
			GroupID: b.groups[1].ID, CategoryID: b.cat.ID, SubcategoryID: b.sub.ID, ServiceID: b.svc.ID})
	}
	t := b.ticket("changed/priority", "agent_l1", desk.NewTicket{Impact: desk.LevelLow, Urgency: desk.LevelLow})
	if b.err != nil {
		return
	}
	hi, med, req := desk.LevelHigh, desk.LevelMedium, desk.TypeRequest
	_, err := b.d.UpdateTicket(b.as("agent_l1"), t.Number, desk.TicketPatch{Impact: &hi, Urgency: &med,
		Reason: "Не работает весь отдел."})
	b.fail(err)
	_, err = b.d.UpdateTicket(b.as("agent_l1"), t.Number, desk.TicketPatch{Type: &req, CategoryID: &b.cat.ID,
		ServiceID: &b.svc.ID, Reason: "Это запрос на обслуживание."})
	b.fail(err)
}

// channels: one ticket per channel a person uses (monitoring comes from
// alerts).
func (b *showcase) channels() {
	for i, ch := range desk.Channels {
		if ch == desk.ChannelMonitoring {
			continue
		}
		actor := "agent_l1"
		if ch == desk.ChannelPortal {
			actor = "requester_ru"
		}
		b.ticket("channel/"+string(ch), actor, desk.NewTicket{Channel: ch, Type: desk.TypeRequest,
			Title: fmt.Sprintf("Нужен доступ к системе учёта, обращение %d", i+1)})
	}
}

// breached: a P1 reported two days ago that nobody answered, and a P2
// answered within its target but resolved late; the sweep marks them.
func (b *showcase) breached() {
	ago := time.Now().Add(-50 * time.Hour)
	b.ticket("sla/breached", "agent_l1", desk.NewTicket{Impact: desk.LevelHigh, Urgency: desk.LevelHigh, ReportedAt: &ago,
		Title: "Не работает касса в магазине №2"})
	late := b.ticket("sla/met-response", "agent_l1", desk.NewTicket{Impact: desk.LevelHigh, Urgency: desk.LevelMedium,
		ReportedAt: &ago, Title: "Не открывается отчёт по продажам"})
	b.take(late, "agent_l1")
	b.move(late, "agent_l1", resolve("Пересобран индекс отчёта."))
	if b.err == nil && b.opts.RunDue != nil {
		b.fail(b.opts.RunDue(b.ctx))
	}
}

// replies: the desk's own reasons for a change (issue 18) — a requester's
// reply that takes a ticket off hold, one that reopens a resolution, and a
// duplicate merged into another ticket.
func (b *showcase) replies() {
	held := b.ticket("reason/requester_replied", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Не приходят письма от партнёров"})
	b.take(held, "agent_l1")
	b.move(held, "agent_l1", desk.TransitionInput{To: desk.StateOnHold, HoldReason: desk.HoldAwaitingRequester,
		Reason: "Пришлите, пожалуйста, адрес отправителя."})
	b.comment(held, "requester_ru", "Адрес отправителя: partner@example.com.", false)
	b.english("partner@example.com")

	re := b.ticket("reason/requester_reopened", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Не печатает принтер в переговорной"})
	b.take(re, "agent_l1")
	b.move(re, "agent_l1", resolve("Переустановлен драйвер принтера."))
	b.comment(re, "requester_ru", "Принтер снова не печатает.", false)

	into := b.ticket("reason/merged_into", "agent_l1", desk.NewTicket{Title: "Не работает почта на третьем этаже"})
	dup := b.ticket("reason/duplicate_of", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal,
		Title: "Почта не открывается"})
	if b.err != nil {
		return
	}
	_, _, err := b.d.MergeTickets(b.as("agent_l1"), desk.MergeInput{Into: into.Number,
		Duplicates: []desk.TicketRef{{Ref: dup.Number}}})
	b.fail(err)
}
