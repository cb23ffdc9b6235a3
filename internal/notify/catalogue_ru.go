package notify

import (
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const footRU = `{{if .URL}}Обращение: {{link .URL}}
{{end}}{{if .Requester}}Ответьте на это письмо, чтобы добавить комментарий к {{.Ticket}}.{{end}}

-- 
Это письмо отправлено Tierdesk автоматически.`

var (
	ruWeekdays = [...]string{"вс", "пн", "вт", "ср", "чт", "пт", "сб"}
	ruMonths   = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
		"сентября", "октября", "ноября", "декабря"}
)

// dateRU is "пн, 2 марта 2026, 12:00 MSK".
func dateRU(t time.Time) string {
	return fmt.Sprintf("%s, %d %s %d, %s", ruWeekdays[t.Weekday()], t.Day(), ruMonths[t.Month()-1], t.Year(),
		t.Format("15:04 MST"))
}

func init() {
	k := func(subject, body string) templates { return parse(subject, body, footRU) }
	languages["ru"] = &language{
		date: dateRU,
		states: words{"new": "новое", "assigned": "назначено", "in_progress": "в работе", "on_hold": "приостановлено",
			"resolved": "решено", "closed": "закрыто", "canceled": "отменено"},
		clocks:    words{"response": "время реакции", "resolution": "время решения", "next_update": "срок следующего ответа"},
		callKinds: words{"phone": "телефонный звонок", "video": "видеозвонок"},
		kinds: map[desk.OutboxKind]templates{
			desk.OutboxRegistered: k(`Обращение зарегистрировано: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваше обращение зарегистрировано под номером {{.Ticket}}: «{{.Title}}». Пожалуйста, указывайте этот номер, когда связываетесь с нами.

{{if .RespondBy}}Первый ответ — до {{.RespondBy}}
{{end}}{{if .ResolveBy}}Решение ожидается до {{.ResolveBy}}{{end}}`),
			desk.OutboxFirstResponse: k(`Мы работаем над обращением: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

{{if .Actor}}{{.Actor}}{{else}}Наша команда{{end}} ({{.Group}}) взял(а) в работу ваше обращение {{.Ticket}} «{{.Title}}».{{if .Body}}

{{br .Body}}{{end}}`),
			desk.OutboxComment: k(`Новый ответ: {{.Title}}`, `{{.Actor}} пишет по обращению {{.Ticket}} «{{.Title}}»:

{{br .Body}}`),
			desk.OutboxOnHold: k(`Ждём вашего ответа: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Чтобы продолжить работу над обращением {{.Ticket}} «{{.Title}}», нам нужен ваш ответ.{{if .Reason}}

{{br .Reason}}{{end}}

Пожалуйста, ответьте на это письмо: работа возобновится, как только вы ответите.`),
			desk.OutboxResolved: k(`Решено: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваше обращение {{.Ticket}} «{{.Title}}» решено.

Решение: {{br .Resolution}}

Если проблема устранена, ничего делать не нужно{{if .ReopenUntil}}: обращение закроется само {{.ReopenUntil}}{{end}}.

Если проблема осталась, ответьте на это письмо{{if .ReopenUntil}} до {{.ReopenUntil}}{{end}}, и обращение будет открыто снова.`),
			desk.OutboxClosed: k(`Закрыто: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваше обращение {{.Ticket}} «{{.Title}}» закрыто. Спасибо за терпение.

Если нужна ещё помощь, ответьте на это письмо — будет зарегистрировано новое обращение.`),
			desk.OutboxMerged: k(`Объединено: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваше обращение {{.Ticket}} «{{.Title}}» касается той же проблемы, что и {{.Into}} «{{.IntoTitle}}», поэтому мы объединили их и закрыли {{.Ticket}}{{if .Actor}} ({{.Actor}}){{end}}.

Работа продолжается по {{.Into}}, от вас ничего не требуется. Если у вас всё-таки другая проблема, ответьте на это письмо — мы зарегистрируем новое обращение.`),
			desk.OutboxCallScheduled: k(`Назначен звонок: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

{{.Organizer}} назначил(а) вам {{.CallKind}} по обращению {{.Ticket}} «{{.Title}}».

Когда: {{.CallStart}} – {{.CallEnd}} ({{.CallMinutes}} мин)
{{if .CallPhone}}Телефон: {{.CallPhone}}
{{end}}{{if .CallURL}}Ссылка: {{link .CallURL}}
{{end}}{{if .CallNote}}Примечание: {{br .CallNote}}{{end}}

Приглашение во вложении: откройте его, чтобы добавить звонок в календарь.`),
			desk.OutboxCallCanceled: k(`Звонок отменён: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

отменён {{.CallKind}}, назначенный на {{.CallStart}}, по обращению {{.Ticket}} «{{.Title}}».`),
			desk.OutboxRequesterReplied: k(`Ответ заявителя: {{.Title}}`, `{{.Actor}} ответил(а) по обращению {{.Ticket}} «{{.Title}}» ({{.Priority}}, {{.State}}):

{{br .Body}}`),
			desk.OutboxAssigned:      k(`Назначено вам: {{.Title}}`, `{{if .Actor}}{{.Actor}} назначил(а){{else}}Система назначила{{end}} вам обращение {{.Ticket}} «{{.Title}}» ({{.Priority}}).`),
			desk.OutboxGroupAssigned: k(`Новое в группе {{.Group}}: {{.Title}}`, `Обращение {{.Ticket}} «{{.Title}}» ({{.Priority}}) ждёт в очереди группы {{.Group}}; исполнитель не назначен.`),
			desk.OutboxEscalated: k(`Эскалация: {{.Title}}`, `{{if .Manager}}Обращение {{.Ticket}} «{{.Title}}» ({{.Priority}}) вашей группы {{.Group}} эскалировано вам как руководителю.{{else}}Обращение {{.Ticket}} «{{.Title}}» ({{.Priority}}) эскалировано на линию {{.Line}}: {{.Group}}.{{end}}{{if .Reason}}

Причина: {{br .Reason}}{{end}}`),
			desk.OutboxSLAWarning: k(`Предупреждение SLA: {{.Clock}} — {{.Percent}}% — {{.Title}}`,
				`Обращение {{.Ticket}} ({{.Priority}}) «{{.Title}}» израсходовало {{.Percent}}% норматива («{{.Clock}}»).
{{if .Deadline}}Срок: {{.Deadline}}{{end}}`),
			desk.OutboxSLABreached: k(`Нарушение SLA: {{.Clock}} — {{.Title}}`,
				`Обращение {{.Ticket}} ({{.Priority}}) «{{.Title}}» нарушило норматив («{{.Clock}}»).
{{if .Deadline}}Срок был: {{.Deadline}}{{end}}`),
			desk.OutboxPage: k(`ВЫЗОВ: {{.Priority}}, нарушено {{.Clock}} — {{.Title}}`,
				`Вас вызывают: обращение {{.Ticket}} ({{.Priority}}) «{{.Title}}» нарушило норматив («{{.Clock}}»), нужна третья линия немедленно.`),
			"": k(`Уведомление: {{.Title}}`, `Есть новости по обращению {{.Ticket}} «{{.Title}}».`),
		},
	}
}
