package notify

import (
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Texts of the major-incident and status-page notifications (issue 15).
// They read the payload (.P) directly; the status page's go to addresses
// that are not users (the payload's "to", in its "lang") and carry a
// one-click unsubscribe link (RFC 8058, see Mail.Headers).

// Outbox kinds rendered here (the packages that write them own the names;
// they are repeated to keep notify free of them).
const (
	kindMajorUpdate   desk.OutboxKind = "major_update"
	kindMajorWarning  desk.OutboxKind = "major_cadence_warning"
	kindMajorMissed   desk.OutboxKind = "major_cadence_missed"
	kindMajorResolved desk.OutboxKind = "major_resolved"
	kindMajorDeclared desk.OutboxKind = "major_declared"
	kindStatusConfirm desk.OutboxKind = "status_confirm"
	kindStatusNotice  desk.OutboxKind = "status_notice"
)

const footMajorEN = `{{if .URL}}Your ticket: {{link .URL}}
{{end}}
-- 
This message was sent automatically by Tierdesk.`

const footMajorRU = `{{if .URL}}Ваша заявка: {{link .URL}}
{{end}}
-- 
Это письмо отправлено Tierdesk автоматически.`

const footStatusEN = `Status page: {{link (index .P "page_url")}}
{{with index .P "unsubscribe_url"}}Unsubscribe with one click: {{link .}}{{end}}

-- 
This message was sent automatically by Tierdesk.`

const footStatusRU = `Страница состояния: {{link (index .P "page_url")}}
{{with index .P "unsubscribe_url"}}Отписаться в один щелчок: {{link .}}{{end}}

-- 
Это письмо отправлено Tierdesk автоматически.`

// payloadKinds are the kinds rendered from the payload, by language.
var payloadKinds = map[string]map[desk.OutboxKind]templates{}

func init() {
	en := func(subject, body string) templates { return parse(subject, body, footMajorEN) }
	ru := func(subject, body string) templates { return parse(subject, body, footMajorRU) }
	sen := func(subject, body string) templates { return parse(subject, body, footStatusEN) }
	sru := func(subject, body string) templates { return parse(subject, body, footStatusRU) }
	payloadKinds["en"] = map[desk.OutboxKind]templates{
		kindMajorUpdate: en(`{{if index .P "urgent"}}URGENT: {{end}}Outage update: {{index .P "affected"}}`, `Hello{{if .Name}} {{.Name}}{{end}},

{{if .Ticket}}your ticket {{.Ticket}} “{{.Title}}” is part of an outage we are working on.{{else}}an update on the outage “{{.Title}}”.{{end}}

Affected: {{br (index .P "affected")}}

What we are doing: {{br (index .P "doing")}}

Next update by: {{call .Date "next_at"}}`),
		kindMajorResolved: en(`Resolved: {{.Title}}`, `The outage “{{.Title}}” ({{index .P "major"}}) is resolved.

{{br .Resolution}}`),
		kindMajorWarning: en(`Public update due soon: {{.Title}}`, `The next public update of the major incident {{index .P "major"}} “{{.Title}}” is due at {{call .Date "due_at"}}.

Post it from the major incident's page: requesters and stakeholders are waiting for it.`),
		kindMajorMissed: en(`Public update missed: {{.Title}}`, `The public update of the major incident {{index .P "major"}} “{{.Title}}” due at {{call .Date "due_at"}} was not posted.{{if eq (index .P "paging") "running"}} The on-call escalation of your group was already being paged for this incident; no second page was started.{{else if eq (index .P "paging") "none"}} Nobody was paged: your group has no active escalation policy.{{else}} The on-call escalation of your group is being paged.{{end}}`),
		kindMajorDeclared: en(`{{if index .P "urgent"}}URGENT: {{end}}Major incident declared: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

a major incident {{index .P "major"}} “{{.Title}}” was declared at {{call .Date "declared_at"}}.

You receive its public updates as a stakeholder; the first is due by {{call .Date "next_at"}}.`),
		kindStatusConfirm: sen(`Confirm your subscription`, `Someone, probably you, asked for the notices of our status page at this address.

To confirm, open this link: {{link (index .P "confirm_url")}}

If it was not you, ignore this message: nothing more will be sent.`),
		kindStatusNotice: sen(`{{index .P "name"}}: {{call .StatusWord (index .P "status")}}`, `{{index .P "name"}} — {{call .StatusWord (index .P "status")}}

{{br (index .P "body")}}

{{call .Date "at"}}`),
	}
	payloadKinds["ru"] = map[desk.OutboxKind]templates{
		kindMajorUpdate: ru(`{{if index .P "urgent"}}СРОЧНО: {{end}}Новости о сбое: {{index .P "affected"}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

{{if .Ticket}}Ваша заявка {{.Ticket}} «{{.Title}}» связана со сбоем, который мы устраняем.{{else}}Новости о сбое «{{.Title}}».{{end}}

Что затронуто: {{br (index .P "affected")}}

Что мы делаем: {{br (index .P "doing")}}

Следующее обновление — не позже {{call .Date "next_at"}}`),
		kindMajorResolved: ru(`Устранено: {{.Title}}`, `Сбой «{{.Title}}» ({{index .P "major"}}) устранён.

{{br .Resolution}}`),
		kindMajorWarning: ru(`Скоро срок публичного обновления: {{.Title}}`, `Следующее публичное обновление о крупном инциденте {{index .P "major"}} «{{.Title}}» нужно отправить до {{call .Date "due_at"}}.

Отправьте его со страницы крупного инцидента: заявители и заинтересованные лица ждут новостей.`),
		kindMajorMissed: ru(`Публичное обновление не отправлено: {{.Title}}`, `Публичное обновление о крупном инциденте {{index .P "major"}} «{{.Title}}» со сроком {{call .Date "due_at"}} не отправлено.{{if eq (index .P "paging") "running"}} Дежурных вашей группы уже вызывают по этой заявке, второй вызов не начат.{{else if eq (index .P "paging") "none"}} Дежурные не вызваны: у вашей группы нет активной политики эскалации.{{else}} Дежурных вашей группы вызывают по политике эскалации.{{end}}`),
		kindMajorDeclared: ru(`{{if index .P "urgent"}}СРОЧНО: {{end}}Объявлен крупный инцидент: {{.Title}}`, `Здравствуйте{{if .Name}}, {{.Name}}{{end}}!

{{call .Date "declared_at"}} объявлен крупный инцидент {{index .P "major"}} «{{.Title}}».

Вы получаете его публичные обновления как заинтересованное лицо; первое — не позже {{call .Date "next_at"}}.`),
		kindStatusConfirm: sru(`Подтвердите подписку`, `Кто-то, вероятно вы, подписал этот адрес на уведомления нашей страницы состояния.

Чтобы подтвердить подписку, откройте ссылку: {{link (index .P "confirm_url")}}

Если это были не вы, просто удалите это письмо: больше писем не придёт.`),
		kindStatusNotice: sru(`{{index .P "name"}}: {{call .StatusWord (index .P "status")}}`, `{{index .P "name"}} — {{call .StatusWord (index .P "status")}}

{{br (index .P "body")}}

{{call .Date "at"}}`),
	}
}

// statusWords names a status incident's or maintenance window's state.
var statusWords = map[string]map[string]string{
	"en": {"investigating": "investigating", "identified": "identified", "monitoring": "monitoring", "resolved": "resolved",
		"postmortem": "postmortem", "maintenance_scheduled": "maintenance scheduled", "maintenance_start": "maintenance started",
		"maintenance_end": "maintenance completed"},
	"ru": {"investigating": "выясняем причину", "identified": "причина найдена", "monitoring": "наблюдаем", "resolved": "устранено",
		"postmortem": "разбор инцидента", "maintenance_scheduled": "запланированы работы", "maintenance_start": "работы начались",
		"maintenance_end": "работы завершены"},
}

func statusWord(lang, s string) string {
	if w, ok := statusWords[lang][s]; ok {
		return w
	}
	return strings.ReplaceAll(s, "_", " ")
}

// listHeaders are the headers of a status notice: List-Unsubscribe with
// its one-click POST (RFC 8058), so that mail clients offer it.
func listHeaders(d desk.Delivery) map[string]string {
	u := d.Payload["unsubscribe_url"]
	if u == "" {
		return nil
	}
	return map[string]string{"List-Unsubscribe": "<" + u + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id": "Status notices <status." + hostOf(d.Payload["page_url"]) + ">"}
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	h, _, _ := strings.Cut(u, "/")
	h, _, _ = strings.Cut(h, ":")
	if h == "" {
		return "tierdesk.invalid"
	}
	return h
}

// address is the audience of a message to an outside address: one
// recipient, in the payload's language (else the default) and UTC.
func (w *Worker) address(d desk.Delivery) audience {
	rc := Recipient{Language: d.Payload["lang"], Location: w.cfg.Location}
	if _, ok := languages[rc.Language]; !ok {
		rc.Language = w.cfg.Language
	}
	return audience{Recipient: rc, addrs: []string{d.Payload["to"]}}
}
