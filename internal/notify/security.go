package notify

import "github.com/tierdesk/tierdesk/internal/desk"

// The only mail about a security case (desk/security.go), to its owners:
// that one was opened, and that an administrator granted themselves access
// (with their reason). Neither names anything of the case but its number.
// Registered after the catalogues (files initialise in name order).
func init() {
	languages["en"].kinds[desk.OutboxSecurityOpened] = parse(`Security case opened: {{.Ticket}}`,
		`A security case was opened: {{.Ticket}}.
{{if .P.no_group}}
No security group is set up to take it, so nobody sees it yet: grant yourself access to it in Tierdesk (this is recorded), and set up a security group (tierdesk security group).
{{end}}
Its content is not sent by mail: open it in Tierdesk.`, footEN)
	languages["ru"].kinds[desk.OutboxSecurityOpened] = parse(`Открыт инцидент безопасности: {{.Ticket}}`,
		`Открыт инцидент безопасности: {{.Ticket}}.
{{if .P.no_group}}
Группа безопасности, которая его примет, не настроена, поэтому пока его никто не видит: откройте себе доступ к нему в Tierdesk (это фиксируется) и назначьте группу безопасности (команда tierdesk security group).
{{end}}
Его содержание по почте не пересылается: откройте его в Tierdesk.`, footRU)
	languages["en"].kinds[desk.OutboxSecurityAccess] = parse(`Access granted to security case {{.Ticket}}`,
		`{{if .Actor}}{{.Actor}}{{else}}An administrator{{end}} granted themselves access to security case {{.Ticket}}.{{if .Reason}}
Reason given: {{.Reason}}{{end}}

If this was not agreed with you, raise it with your security officer.`, footEN)
	languages["ru"].kinds[desk.OutboxSecurityAccess] = parse(`Доступ к инциденту безопасности {{.Ticket}}`,
		`Администратор открыл себе доступ к инциденту безопасности {{.Ticket}}.{{if .Actor}}
Администратор: {{.Actor}}{{end}}{{if .Reason}}
Указанная причина: {{.Reason}}{{end}}

Если это не согласовано с вами, сообщите ответственному за безопасность.`, footRU)
}
