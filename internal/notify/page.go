package notify

import "github.com/tierdesk/tierdesk/internal/desk"

// The e-mail of an on-call page (desk.OutboxOnCallPage, queued by
// internal/pager): who is paged for what, and the signed link that
// acknowledges or resolves the page (its page asks before acting). The
// payload carries the link as "body" so that the view needs no field of
// its own. Registered after the catalogues (files initialise in name
// order: catalogue_*.go before page.go).
func init() {
	languages["en"].kinds[desk.OutboxOnCallPage] = parse(`PAGE: {{.Priority}} {{.Title}}`,
		`{{if .Name}}{{.Name}}, you{{else}}You{{end}} are paged: ticket {{.Ticket}} ({{.Priority}}) “{{.Title}}” needs {{if .Group}}{{.Group}}{{else}}you{{end}} now.{{if .Reason}}
Why: {{.Reason}}{{end}}

Acknowledge (stops the escalation) or resolve: {{link .Body}}`, footEN)
	languages["ru"].kinds[desk.OutboxOnCallPage] = parse(`ВЫЗОВ: {{.Priority}} {{.Title}}`,
		`{{if .Name}}{{.Name}}, вас{{else}}Вас{{end}} вызывают: заявка {{.Ticket}} ({{.Priority}}) «{{.Title}}» требует немедленного участия{{if .Group}} группы {{.Group}}{{end}}.{{if .Reason}}
Причина: {{.Reason}}{{end}}

Подтвердить вызов (эскалация остановится) или завершить его: {{link .Body}}`, footRU)
}
