package notify

import (
	"fmt"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

const footRU = `{{if .URL}}Заявка: {{link .URL}}
{{end}}{{if .Requester}}Ответьте на это письмо, чтобы добавить комментарий к заявке {{.Ticket}}.{{end}}

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

// pluralRU picks the form for n: 1 круг, 2 круга, 5 кругов, 21 круг.
func pluralRU(n int, one, few, many string) string {
	switch n10, n100 := n%10, n%100; {
	case n10 == 1 && n100 != 11:
		return one
	case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
		return few
	default:
		return many
	}
}

func init() {
	k := func(subject, body string) templates { return parse(subject, body, footRU) }
	languages["ru"] = &language{
		date: dateRU,
		states: words{"new": "новая", "assigned": "назначена", "in_progress": "в работе", "on_hold": "приостановлена",
			"resolved": "решена", "closed": "закрыта", "canceled": "отменена"},
		clocks:    words{"response": "первый ответ", "resolution": "решение", "next_update": "следующее обновление"},
		callKinds: words{"phone": "телефонный звонок", "video": "видеозвонок"},
		answers:   words{"yes": "да", "no": "нет"},
		kinds: map[desk.OutboxKind]templates{
			desk.OutboxRegistered: k(`Заявка зарегистрирована: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваша заявка зарегистрирована под номером {{.Ticket}}: «{{.Title}}». Пожалуйста, указывайте этот номер, когда связываетесь с нами.

{{if .RespondBy}}Первый ответ — до {{.RespondBy}}
{{end}}{{if .ResolveBy}}Решение ожидается до {{.ResolveBy}}{{end}}`),
			desk.OutboxFirstResponse: k(`Заявка в работе: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваша заявка {{.Ticket}} «{{.Title}}» взята в работу{{if .Actor}}: ею занимается {{.Actor}}{{end}}{{if .Group}} (группа {{.Group}}){{end}}.{{if .Body}}

{{br .Body}}{{end}}`),
			desk.OutboxComment: k(`Новый ответ: {{.Title}}`, `{{.Actor}} пишет по заявке {{.Ticket}} «{{.Title}}»:

{{br .Body}}`),
			desk.OutboxOnHold: k(`Нужен ваш ответ: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Чтобы продолжить работу над заявкой {{.Ticket}} «{{.Title}}», нам нужен ваш ответ.{{if .Reason}}

{{br .Reason}}{{end}}

Пожалуйста, ответьте на это письмо: работа возобновится, как только вы ответите.`),
			desk.OutboxResolved: k(`Решена: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваша заявка {{.Ticket}} «{{.Title}}» решена.

Решение: {{br .Resolution}}

Если проблема устранена, ничего делать не нужно{{if .ReopenUntil}}: заявка закроется автоматически {{.ReopenUntil}}{{end}}.

Если проблема осталась, ответьте на это письмо{{if .ReopenUntil}} до {{.ReopenUntil}}{{end}}, и заявка будет открыта снова.`),
			desk.OutboxClosed: k(`Закрыта: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваша заявка {{.Ticket}} «{{.Title}}» закрыта. Спасибо за терпение.

Если нужна ещё помощь, ответьте на это письмо — будет зарегистрирована новая заявка.`),
			desk.OutboxMerged: k(`Объединена: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

Ваша заявка {{.Ticket}} «{{.Title}}» касается той же проблемы, что и заявка {{.Into}} «{{.IntoTitle}}», поэтому мы объединили их и закрыли {{.Ticket}}.

Работа продолжается по заявке {{.Into}}, от вас ничего не требуется. Если у вас всё-таки другая проблема, ответьте на это письмо — мы зарегистрируем новую заявку.`),
			desk.OutboxCallScheduled: k(`Назначен звонок: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

По вашей заявке {{.Ticket}} «{{.Title}}» назначен {{.CallKind}}{{if .Organizer}}, организатор — {{.Organizer}}{{end}}.

Когда: {{.CallStart}} – {{.CallEnd}} ({{.CallMinutes}} мин)
{{if .CallPhone}}Телефон: {{.CallPhone}}
{{end}}{{if .CallURL}}Ссылка: {{link .CallURL}}
{{end}}{{if .CallNote}}Примечание: {{br .CallNote}}{{end}}

Приглашение во вложении: откройте его, чтобы добавить звонок в календарь.`),
			desk.OutboxCallCanceled: k(`Звонок отменён: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

По вашей заявке {{.Ticket}} «{{.Title}}» отменён {{.CallKind}}, назначенный на {{.CallStart}}.`),
			desk.OutboxRequesterReplied: k(`Ответ заявителя: {{.Title}}`, `Заявитель {{.Actor}} пишет по заявке {{.Ticket}} «{{.Title}}» ({{.Priority}}, {{.State}}):

{{br .Body}}`),
			desk.OutboxAssigned:      k(`Назначена вам: {{.Title}}`, `Вам назначена заявка {{.Ticket}} «{{.Title}}» ({{.Priority}}){{if .Actor}}. Кем назначена: {{.Actor}}.{{else}}, назначена автоматически.{{end}}`),
			desk.OutboxGroupAssigned: k(`Новая в группе {{.Group}}: {{.Title}}`, `Заявка {{.Ticket}} «{{.Title}}» ({{.Priority}}) ждёт в очереди группы {{.Group}}; исполнитель не назначен.`),
			desk.OutboxEscalated: k(`Эскалация: {{.Title}}`, `{{if .Manager}}Заявка {{.Ticket}} «{{.Title}}» ({{.Priority}}) вашей группы {{.Group}} эскалирована вам как руководителю.{{else}}Заявка {{.Ticket}} «{{.Title}}» ({{.Priority}}) эскалирована на линию {{.Line}}: {{.Group}}.{{end}}{{if .Reason}}

Причина: {{br .Reason}}{{end}}{{if .Diagnosis}}

Диагностика первой линии:
{{range .Diagnosis}}- {{.Question}}: {{br .Answer}}
{{end}}{{end}}`),
			desk.OutboxSLAWarning: k(`Предупреждение SLA: срок «{{.Clock}}» — {{.Percent}}% — {{.Title}}`,
				`Заявка {{.Ticket}} ({{.Priority}}) «{{.Title}}»: срок «{{.Clock}}» израсходован на {{.Percent}}%.
{{if .Deadline}}Срок: {{.Deadline}}{{end}}`),
			desk.OutboxSLABreached: k(`Нарушение SLA: срок «{{.Clock}}» — {{.Title}}`,
				`Заявка {{.Ticket}} ({{.Priority}}) «{{.Title}}»: нарушен срок «{{.Clock}}».
{{if .Deadline}}Срок был: {{.Deadline}}{{end}}`),
			desk.OutboxPage: k(`ВЫЗОВ: {{.Priority}}, нарушен срок «{{.Clock}}» — {{.Title}}`,
				`Вызов на третью линию: заявка {{.Ticket}} ({{.Priority}}) «{{.Title}}», нарушен срок «{{.Clock}}». Требуется немедленное участие.`),
			"": k(`Уведомление: {{.Title}}`, `Заявка {{.Ticket}} «{{.Title}}» обновлена.`),
		},
	}
}
