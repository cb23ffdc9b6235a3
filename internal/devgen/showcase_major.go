package devgen

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

// shiftClock is the system clock moved by a duration: the showcase lives
// through a major incident's last hours in a moment.
type shiftClock time.Duration

func (c shiftClock) Now() time.Time { return time.Now().Add(time.Duration(c)) }

// majors makes three major incidents on the e-mail service (issue 15):
// an active one with roles, a bridge, children, stakeholders, an update,
// a warning and a missed update that paged the commander's group, and
// published on the status page; a resolved one whose review is in review
// with action items (one past due); a closed one with its review
// published. The status page has grouped components, a maintenance
// window and subscribers in every state.
func (b *showcase) majors() {
	if b.err != nil {
		return
	}
	at := func(d time.Duration) *major.Service {
		return major.New(b.d, b.st, b.st, shiftClock(d), major.Config{ReviewGate: true, Language: "ru"})
	}
	sp := statuspage.New(b.d, b.st, b.st, shiftClock(0), "https://desk.example.com", nil)
	comps := b.statusComponents(sp)
	_, err := at(0).AddStakeholder(b.as("manager"), major.Stakeholder{ServiceID: b.svc.ID, UserID: b.out.People["manager"].ID, Page: true})
	b.fail(err)
	_, err = at(0).AddStakeholder(b.as("manager"), major.Stakeholder{ServiceID: b.svc.ID, Email: "cio@partner.example", Name: "Kim Lee"})
	b.fail(err)
	b.english("Kim Lee")
	b.activeMajor(at, sp, comps)
	b.resolvedMajor(at, "major/resolved", -3*time.Hour, false)
	b.resolvedMajor(at, "major/closed", -50*time.Hour, true)
	b.statusExtras(sp, comps)
}

func (b *showcase) statusComponents(sp *statuspage.Service) []int64 {
	var ids []int64
	for _, c := range []statuspage.Component{
		{Name: "Почта", Group: "Коммуникации", Description: "Отправка и получение писем", ServiceIDs: []int64{b.svc.ID}},
		{Name: "Календари", Group: "Коммуникации", Position: 1, ServiceIDs: []int64{b.svc.ID}},
		{Name: "Портал самообслуживания", Status: statuspage.DegradedPerformance},
	} {
		saved, err := sp.SaveComponent(b.as("admin"), c)
		b.fail(err)
		if err == nil {
			ids = append(ids, saved.ID)
		}
	}
	return ids
}

// mailTicket registers an incident on the e-mail service for a requester.
func (b *showcase) mailTicket(kind, title, requester string, impact desk.Level) *desk.Ticket {
	return b.ticket(kind, "agent_l1", desk.NewTicket{Title: title, ServiceID: b.svc.ID, Impact: impact, Urgency: impact,
		Requester: desk.PersonInput{Email: b.out.People[requester].Email}, Description: "Письма уходят с задержкой или не уходят вовсе."})
}

func (b *showcase) activeMajor(at func(time.Duration) *major.Service, sp *statuspage.Service, comps []int64) {
	parent := b.mailTicket("major/parent", "Не уходит почта у всего офиса", "requester_ru", desk.LevelMedium)
	kids := []string{
		b.mailTicket("major/child", "Письма застревают в исходящих", "requester_ru", desk.LevelLow).Number,
		b.mailTicket("major/child", "Mail stuck in the outbox", "requester_en", desk.LevelLow).Number,
	}
	b.english("Mail stuck in the outbox")
	if b.err != nil {
		return
	}
	p := b.out.People
	m, err := at(-40*time.Minute).Declare(b.as("agent_l2"), parent.Number, major.DeclareInput{CommanderID: p["agent_l2"].ID,
		CommsLeadID: p["agent_l1"].ID, Responders: []int64{p["agent_l3"].ID}, BridgeURL: "https://meet.example.com/mail-outage",
		Cadence: 30 * time.Minute, Children: kids[:1]})
	b.fail(err)
	if err != nil {
		return
	}
	_, _, err = at(-38*time.Minute).Attach(b.as("agent_l1"), m.ID, kids[1:])
	b.fail(err)
	_, err = at(-35*time.Minute).PostUpdate(b.as("agent_l1"), m.ID, major.UpdateInput{Affected: "отправка почты из офиса",
		Doing: "переключаем отправку на резервный сервер"})
	b.fail(err)
	for _, d := range []time.Duration{-8 * time.Minute, 0} { // the warning, then the miss that pages
		_, err := at(d).Sweep(desk.AsSystem(b.ctx))
		b.fail(err)
	}
	_, err = sp.Publish(b.as("agent_l1"), m.ID, statuspage.PublishInput{Name: "Задерживается отправка почты",
		Status: statuspage.Identified, Body: "Часть писем уходит с задержкой до часа. Переключаем отправку на резервный сервер.",
		Components: map[int64]statuspage.ComponentStatus{comps[0]: statuspage.PartialOutage}})
	b.fail(err)
	if b.err == nil && b.opts.RunDue != nil {
		b.fail(b.opts.RunDue(b.ctx)) // the page steps
	}
}

// resolvedMajor declares a major incident shift ago, resolves it with its
// child an hour later, and writes its review: in review with action
// items, or (closed) published and the major incident closed.
func (b *showcase) resolvedMajor(at func(time.Duration) *major.Service, kind string, shift time.Duration, closed bool) {
	parent := b.mailTicket(kind, "Не открывается календарь в почте", "requester_ru", desk.LevelMedium)
	kid := b.mailTicket(kind, "Календарь выдаёт ошибку", "requester_ru", desk.LevelLow)
	if b.err != nil {
		return
	}
	p := b.out.People
	m, err := at(shift).Declare(b.as("agent_l1"), parent.Number, major.DeclareInput{CommanderID: p["agent_l1"].ID,
		Children: []string{kid.Number}})
	b.fail(err)
	if err != nil {
		return
	}
	_, err = at(shift+10*time.Minute).PostUpdate(b.as("agent_l1"), m.ID, major.UpdateInput{Affected: "календари в почте",
		Doing: "перезапускаем службу календарей"})
	b.fail(err)
	svc := at(shift + time.Hour)
	_, err = svc.Resolve(b.as("agent_l1"), m.ID, major.ResolveInput{Code: desk.ResolutionCodes[0],
		Notes: "Служба календарей перезапущена, календари открываются.", Children: true})
	b.fail(err)
	if b.err != nil {
		return
	}
	causes, well, badly := "Служба календарей исчерпала память после обновления.", "Быстро собрали участников.", "Первое обновление опоздало."
	inReview := major.ReviewInReview
	_, err = svc.EditReview(b.as("agent_l1"), m.ID, major.ReviewEdit{Causes: &causes, WentWell: &well, WentBadly: &badly, State: &inReview})
	b.fail(err)
	for i, text := range []string{"Добавить оповещение о памяти службы календарей", "Проверять обновления на тестовом стенде"} {
		_, err := svc.AddActionItem(b.as("agent_l1"), m.ID, major.ActionItem{Text: text, OwnerID: p["agent_l3"].ID,
			DueOn: time.Now().AddDate(0, 0, 14*i-3).Truncate(24 * time.Hour)})
		b.fail(err)
	}
	if !closed || b.err != nil {
		return
	}
	published := major.ReviewPublished
	_, err = svc.EditReview(b.as("agent_l1"), m.ID, major.ReviewEdit{State: &published})
	b.fail(err)
	_, err = svc.Close(b.as("agent_l1"), m.ID)
	b.fail(err)
}

// statusExtras: a maintenance window and subscribers confirmed, waiting
// and unsubscribed after bounces.
func (b *showcase) statusExtras(sp *statuspage.Service, comps []int64) {
	if b.err != nil {
		return
	}
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	_, err := sp.ScheduleMaintenance(b.as("admin"), statuspage.MaintenanceInput{Name: "Обновление почтового сервера",
		Body: "Почта может быть недоступна до получаса.", StartsAt: start, EndsAt: start.Add(2 * time.Hour), Components: comps[:1]})
	b.fail(err)
	for _, s := range []struct {
		email   string
		confirm bool
		bounces int
	}{{"reader@partner.example", true, 0}, {"waiting@partner.example", false, 0}, {"gone@partner.example", true, statuspage.MaxBounces}} {
		_, err := sp.Subscribe(b.ctx, "192.0.2.10", s.email, "ru", nil)
		b.fail(err)
		if err != nil || !s.confirm {
			continue
		}
		sub, err := b.st.SubscriberByEmail(b.ctx, s.email)
		b.fail(err)
		if err == nil {
			_, err = sp.Confirm(b.ctx, sub.Token)
			b.fail(err)
		}
		for range s.bounces {
			_, err := sp.RecordBounce(b.ctx, s.email)
			b.fail(err)
		}
	}
}
