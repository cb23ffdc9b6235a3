package notify

import "github.com/tierdesk/tierdesk/internal/desk"

// Mail of a breach's regulatory clocks (desk/breach_clocks.go), to the
// security case's owners: a deadline at 50 or 80 % (or 90 % when nobody
// could be paged), and a deadline missed. Like all mail about a security
// case it names the case by number only, with the deadline in the
// recipient's time zone. Registered after the catalogues (files
// initialise in name order).
func init() {
	en, ru := languages["en"], languages["ru"]
	for k, w := range map[string]string{
		"gdpr_authority_72h":      "GDPR notice to the supervisory authority (72 h)",
		"152fz_first_24h":         "152-FZ first notice to Roskomnadzor (24 h)",
		"152fz_investigation_72h": "152-FZ notice of the investigation's results to Roskomnadzor (72 h)",
	} {
		en.clocks[k] = w
	}
	for k, w := range map[string]string{
		"gdpr_authority_72h":      "уведомление надзорного органа по GDPR (72 ч)",
		"152fz_first_24h":         "первое уведомление Роскомнадзора по 152-ФЗ (24 ч)",
		"152fz_investigation_72h": "уведомление Роскомнадзора о результатах внутреннего расследования по 152-ФЗ (72 ч)",
	} {
		ru.clocks[k] = w
	}
	en.kinds[desk.OutboxBreachWarning] = parse(`Regulatory deadline at {{.Percent}}%: {{.Ticket}}`,
		`Security case {{.Ticket}}: {{.Percent}}% of the time for the {{.Clock}} has run.
Deadline: {{.Deadline}}

Record the notice in Tierdesk once it is sent; the case's content is not sent by mail.`, footEN)
	ru.kinds[desk.OutboxBreachWarning] = parse(`Регуляторный срок: прошло {{.Percent}}% — {{.Ticket}}`,
		`Инцидент безопасности {{.Ticket}}: прошло {{.Percent}}% срока «{{.Clock}}».
Срок истекает: {{.Deadline}}

Когда уведомление будет отправлено, отметьте это в Tierdesk; содержание дела по почте не пересылается.`, footRU)
	en.kinds[desk.OutboxBreachMissed] = parse(`Regulatory deadline missed: {{.Ticket}}`,
		`Security case {{.Ticket}}: the deadline for the {{.Clock}} passed at {{.Deadline}} with no notice sent.

A late notice must give the reasons for the delay: record them with the notice in Tierdesk.`, footEN)
	ru.kinds[desk.OutboxBreachMissed] = parse(`Регуляторный срок пропущен: {{.Ticket}}`,
		`Инцидент безопасности {{.Ticket}}: срок «{{.Clock}}» истёк {{.Deadline}}, уведомление не отправлено.

В уведомлении, отправленном с опозданием, нужно указать причины задержки: запишите их вместе с уведомлением в Tierdesk.`, footRU)
}
