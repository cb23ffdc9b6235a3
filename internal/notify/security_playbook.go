package notify

import "github.com/tierdesk/tierdesk/internal/desk"

// Mail of an overdue playbook task (desk/playbook_timers.go), to the
// task's assignee. Like all mail about a security case it names the case
// by number only, with the due time in the recipient's time zone; the
// task is read in Tierdesk. Registered after the catalogues (files
// initialise in name order).
func init() {
	en, ru := languages["en"], languages["ru"]
	en.kinds[desk.OutboxPlaybookOverdue] = parse(`Playbook task overdue: {{.Ticket}}`,
		`Security case {{.Ticket}}: a playbook task assigned to you was due at {{.Deadline}} and is not done.

Open the case in Tierdesk to see the task; the case's content is not sent by mail.`, footEN)
	ru.kinds[desk.OutboxPlaybookOverdue] = parse(`Просрочена задача плана реагирования: {{.Ticket}}`,
		`Инцидент безопасности {{.Ticket}}: срок назначенной вам задачи плана реагирования истёк {{.Deadline}}, а задача не выполнена.

Откройте дело в Tierdesk, чтобы увидеть задачу; содержание дела по почте не пересылается.`, footRU)
}
