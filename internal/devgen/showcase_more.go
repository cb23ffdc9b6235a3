package devgen

import (
	"fmt"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/servicenow"
)

// escalations: line 1 → line 2 → line 3 (functional) and one to the
// group's manager (hierarchical).
func (b *showcase) escalations() {
	t := b.ticket("escalated/line3", "agent_l1", desk.NewTicket{Impact: desk.LevelHigh, Urgency: desk.LevelMedium,
		Title: "Пропадает связь с филиалом"})
	b.take(t, "agent_l1")
	b.escalate(t, "agent_l1", desk.EscalationInput{Kind: "functional", GroupID: b.groups[2].ID, Reason: "Нужна диагностика сети."})
	b.escalate(t, "agent_l2", desk.EscalationInput{Kind: "functional", GroupID: b.groups[3].ID,
		AssigneeID: b.out.People["agent_l3"].ID, Reason: "Падает сервер базы данных."})
	h := b.ticket("escalated/manager", "agent_l1", desk.NewTicket{Title: "Третий раз за неделю ломается ноутбук"})
	b.take(h, "agent_l1")
	b.escalate(h, "agent_l1", desk.EscalationInput{Kind: "hierarchical", Reason: "Пользователь просит замену ноутбука."})
}

func (b *showcase) escalate(t *desk.Ticket, actor string, in desk.EscalationInput) {
	if b.err != nil || t == nil {
		return
	}
	_, err := b.d.Escalate(b.as(actor), t.Number, in)
	b.fail(err)
}

// extras: attachments from a requester and an agent, links of every
// kind, a phone call and a canceled video call.
func (b *showcase) extras() {
	t := b.ticket("extras", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Ошибка при входе в 1С"})
	if b.err != nil {
		return
	}
	_, _, err := b.d.Attach(b.as("requester_ru"), t.Number, desk.AttachInput{Body: "Снимок экрана с ошибкой.",
		Files: []desk.FileInput{{Name: "ошибка.png", ContentType: "image/png", Content: []byte("\x89PNG\r\n\x1a\nnot really")}}})
	b.fail(err)
	_, _, err = b.d.Attach(b.as("agent_l1"), t.Number, desk.AttachInput{Body: "Журнал клиента.", Internal: true,
		Files: []desk.FileInput{{Name: "client-log.txt", ContentType: "text/plain", Content: []byte("ERROR login failed\n")}}})
	b.fail(err)
	b.english("client-log.txt", "ошибка.png")
	others := []*desk.Ticket{t}
	for i, kind := range desk.LinkKinds {
		o := b.ticket("linked/"+string(kind), "agent_l1", desk.NewTicket{Title: fmt.Sprintf("Связанная заявка %d", i+1)})
		if b.err != nil {
			return
		}
		_, err := b.d.LinkTickets(b.as("agent_l1"), t.Number, desk.LinkInput{Kind: kind, Ticket: o.Number})
		b.fail(err)
		others = append(others, o)
	}
	b.take(t, "agent_l1")
	start := time.Now().Add(2 * time.Hour).Truncate(time.Minute)
	_, _, err = b.d.ScheduleCall(b.as("agent_l1"), t.Number, desk.CallSpec{Start: start, Duration: 30 * time.Minute,
		Kind: desk.CallPhone, Phone: "+7 495 123-45-67", Note: "Перезвонить после обеда."})
	b.fail(err)
	c, _, err := b.d.ScheduleCall(b.as("agent_l1"), t.Number, desk.CallSpec{Start: start.Add(24 * time.Hour),
		Duration: time.Hour, Kind: desk.CallVideo, MeetingURL: "https://meet.example.com/showcase"})
	b.fail(err)
	if err == nil {
		_, _, err = b.d.CancelCall(b.as("agent_l1"), t.Number, c.ID)
		b.fail(err)
	}
}

// restricted: a restricted ticket registered by line 1 for line 3.
func (b *showcase) restricted() {
	b.ticket("restricted", "agent_l1", desk.NewTicket{Title: "Подозрение на утечку данных", Restricted: true,
		GroupID: b.groups[3].ID, Impact: desk.LevelHigh, Urgency: desk.LevelHigh})
}

// alerts: a monitoring integration whose firing alert opens an incident,
// then resolves it; a second alert stays firing.
func (b *showcase) alerts() {
	_, token, err := b.d.CreateIntegration(b.as("admin"), desk.IntegrationInput{Kind: desk.KindGeneric, Name: "Zabbix"})
	b.fail(err)
	if err != nil {
		return
	}
	ig, err := b.d.AuthenticateIntegration(b.ctx, token)
	b.fail(err)
	if err != nil {
		return
	}
	b.english("Zabbix", "/var", "db1")
	for _, a := range []struct {
		key, summary string
		status       desk.AlertStatus
	}{
		{"disk-db1", "Диск /var на db1 заполнен на 95%", desk.AlertFiring},
		{"ping-gw", "Шлюз филиала не отвечает", desk.AlertFiring},
		{"disk-db1", "Диск /var на db1 заполнен на 95%", desk.AlertResolved},
	} {
		rc, err := b.d.ReceiveAlerts(b.ctx, ig, []desk.AlertNotice{{DedupKey: a.key, Alerts: []desk.Alert{{
			Status: a.status, Summary: a.summary, Severity: "critical", Labels: map[string]string{"host": "db1"}}}}})
		b.fail(err)
		if err == nil && a.status == desk.AlertFiring {
			b.alertTickets(rc)
		}
	}
}

func (b *showcase) alertTickets(rc *desk.AlertReceipt) {
	for _, o := range rc.Outcomes {
		if o.TicketNumber != "" {
			b.out.Tickets = append(b.out.Tickets, ShowcaseTicket{Number: o.TicketNumber, Kind: "alert"})
		}
	}
}

// paging: an on-call schedule of line 2, an escalation policy for its P1
// tickets, two P1 tickets paged; one page acknowledged.
func (b *showcase) paging() {
	sys := desk.AsSystem(b.ctx)
	l2 := b.out.People["agent_l2"].ID
	sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Дежурства сети", Zone: "Europe/Moscow",
		Layers: []desk.LayerDoc{{Name: "неделя", Participants: []int64{l2}, StartDate: "2026-01-05", HandOff: "09:00", Length: "7d"}}}}
	b.fail(b.d.SaveSchedule(sys, sched))
	if b.err != nil {
		return
	}
	b.fail(b.d.PutEscalationPolicy(sys, &desk.EscalationPolicy{GroupID: b.groups[2].ID, Name: "Сеть: P1", Repeat: 1,
		Active: true, Priorities: []desk.Priority{desk.P1},
		Steps: []desk.EscalationStep{{ScheduleIDs: []int64{sched.ID}, Delay: 5 * time.Minute}}}))
	acked := b.ticket("paged/acknowledged", "agent_l1", desk.NewTicket{Impact: desk.LevelHigh, Urgency: desk.LevelHigh,
		GroupID: b.groups[2].ID, Title: "Лежит сеть во всём офисе"})
	b.ticket("paged/running", "agent_l1", desk.NewTicket{Impact: desk.LevelHigh, Urgency: desk.LevelHigh,
		GroupID: b.groups[2].ID, Title: "Не работает Wi-Fi на складе"})
	b.english("Wi-Fi")
	if b.err != nil || b.opts.RunDue == nil {
		return
	}
	b.fail(b.opts.RunDue(b.ctx))
	if b.err == nil {
		_, err := b.d.AcknowledgePage(b.as("agent_l2"), acked.Number)
		b.fail(err)
	}
}

// imported: two ServiceNow incidents with their history (a reassignment,
// a hold, a resolution and closure; one still active).
func (b *showcase) imported() {
	rows := []map[string]string{
		{"number": "INC0010001", "incident_state": "New", "sys_mod_count": "0", "sys_updated_at": "1/3/2016 09:00"},
		{"number": "INC0010001", "incident_state": "Active", "sys_mod_count": "1", "sys_updated_at": "1/3/2016 09:30", "assigned_to": "Resolver 7"},
		{"number": "INC0010001", "incident_state": "Awaiting User Info", "sys_mod_count": "2", "sys_updated_at": "1/3/2016 10:00", "assigned_to": "Resolver 7", "location": "Location 12"},
		{"number": "INC0010001", "incident_state": "Resolved", "sys_mod_count": "3", "sys_updated_at": "2/3/2016 11:00", "assigned_to": "Resolver 7", "resolved_at": "2/3/2016 11:00"},
		{"number": "INC0010001", "incident_state": "Closed", "sys_mod_count": "4", "sys_updated_at": "7/3/2016 12:00", "assigned_to": "Resolver 7", "resolved_at": "2/3/2016 11:00", "closed_at": "7/3/2016 12:00", "active": "false"},
		{"number": "INC0010002", "incident_state": "New", "sys_mod_count": "0", "sys_updated_at": "3/3/2016 14:00"},
		{"number": "INC0010002", "incident_state": "Active", "sys_mod_count": "1", "sys_updated_at": "3/3/2016 15:00", "assignment_group": "Group 24", "assigned_to": "Resolver 9", "reassignment_count": "1"},
	}
	var lines []string
	lines = append(lines, strings.Join(snColumns, ","))
	for _, r := range rows {
		lines = append(lines, snRow(r))
	}
	_, err := servicenow.Import(b.ctx, b.st, strings.NewReader(strings.Join(lines, "\n")+"\n"), servicenow.Options{})
	b.fail(err)
	for _, n := range []string{"INC0010001", "INC0010002"} {
		b.out.Tickets = append(b.out.Tickets, ShowcaseTicket{Number: n, Kind: "servicenow"})
	}
	// The log's anonymised names are English-looking data.
	b.english("Caller 2403", "Opened by 8", "Created by 6", "Updated by 21", "Resolver 7", "Resolver 9", "Group 56",
		"Group 24", "Location 143", "Location 12", "Category 55", "Subcategory 170", "Symptom 72", "code 5",
		"Resolved by 149", "Unknown caller")
}

// snColumns is the header of a ServiceNow incident log export.
var snColumns = strings.Split("number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,"+
	"made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,"+
	"contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,"+
	"assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,"+
	"caused_by,closed_code,resolved_by,resolved_at,closed_at", ",")

// snDefaults is a row of the export, which rows override.
var snDefaults = map[string]string{
	"active": "true", "reassignment_count": "0", "reopen_count": "0", "made_sla": "true", "caller_id": "Caller 2403",
	"opened_by": "Opened by 8", "opened_at": "1/3/2016 09:00", "sys_created_by": "Created by 6",
	"sys_created_at": "1/3/2016 09:00", "sys_updated_by": "Updated by 21", "contact_type": "Phone",
	"location": "Location 143", "category": "Category 55", "subcategory": "Subcategory 170", "u_symptom": "Symptom 72",
	"cmdb_ci": "?", "impact": "2 - Medium", "urgency": "2 - Medium", "priority": "3 - Moderate",
	"assignment_group": "Group 56", "assigned_to": "?", "knowledge": "false", "u_priority_confirmation": "false",
	"notify": "Do Not Notify", "problem_id": "?", "rfc": "?", "vendor": "?", "caused_by": "?", "closed_code": "code 5",
	"resolved_by": "Resolved by 149", "resolved_at": "?", "closed_at": "?",
}

func snRow(r map[string]string) string {
	out := make([]string, len(snColumns))
	for i, c := range snColumns {
		v, ok := r[c]
		if !ok {
			v = snDefaults[c]
		}
		out[i] = v
	}
	return strings.Join(out, ",")
}

// writtenInEnglish adds the text the ServiceNow importer and the alert
// intake store in English (ticket descriptions, automatic notes): data.
func (b *showcase) writtenInEnglish() {
	for _, tk := range b.out.Tickets {
		if tk.Kind != "alert" && tk.Kind != "servicenow" {
			continue
		}
		t, err := b.d.Ticket(b.as("admin"), tk.Number)
		b.fail(err)
		if err != nil {
			return
		}
		// The desk's own resolution notes are worded in the reader's
		// language (internal/reasons.Notes): not data.
		data := func(s ...string) {
			for _, v := range s {
				if v != desk.AutoResolveNotes {
					b.english(v)
				}
			}
		}
		data(t.Title, t.Description, t.ResolutionNotes)
		page, err := b.d.Events(b.as("admin"), tk.Number, desk.EventFilter{})
		b.fail(err)
		if err != nil {
			return
		}
		for _, e := range page.Events {
			data(e.Body)
			for _, c := range e.Changes {
				data(c.Old, c.New)
			}
		}
	}
}

// seeded lists the names the desk's migrations gave its first records
// (the default group, SLA policies, calendars): data, in English.
func (b *showcase) seeded() {
	admin := b.as("admin")
	groups, err := b.d.Groups(admin)
	b.fail(err)
	for _, g := range groups {
		b.english(g.Name)
	}
	policies, err := b.d.SLAPolicies(admin)
	b.fail(err)
	for _, p := range policies {
		b.english(p.Name)
	}
	cals, err := b.d.Calendars(admin)
	b.fail(err)
	for _, c := range cals {
		b.english(c.Name)
	}
}
