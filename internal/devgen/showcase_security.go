package devgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
)

// security: a security group with one member (People["security"]), a case
// a requester opened with the portal's "compromised" answer, and one line
// 1 marked, worked by the member (public reply, internal note, a named
// colleague) and opened to the administrator by their own grant.
func (b *showcase) security() {
	sys := desk.AsSystem(b.ctx)
	g, err := b.d.CreateGroup(sys, desk.GroupInput{Name: "Информационная безопасность", Line: desk.Line2, Security: true})
	b.fail(err)
	if err != nil {
		return
	}
	u, err := b.d.CreateUser(sys, desk.UserInput{Email: "security@showcase.example", Name: "Сергей Защитин",
		Role: desk.RoleAgent, Groups: []int64{g.ID}, Organization: "ООО «Ромашка»"})
	b.fail(err)
	if err != nil {
		return
	}
	b.fail(b.d.SetPassword(sys, u.ID, b.opts.Password))
	b.out.People["security"] = u
	b.ticket("security/portal", "requester_ru", desk.NewTicket{Title: "Кажется, мою учётную запись взломали",
		Description: "Пришло письмо о входе из другой страны.", Channel: desk.ChannelPortal, Security: true})
	t := b.ticket("security/marked", "requester_ru", desk.NewTicket{Title: "Моя почта рассылает спам",
		Description: "Коллеги получают от меня письма, которых я не писал.", Channel: desk.ChannelPortal})
	if b.err != nil {
		return
	}
	_, err = b.d.MarkSecurity(b.as("agent_l1"), t.Number, desk.SecurityInput{Reason: "Похоже на взлом учётной записи"})
	b.fail(err)
	sec := desk.WithActor(b.ctx, u)
	_, _, err = b.d.Comment(sec, t.Number, desk.CommentInput{Body: "Мы сбросили ваш пароль и завершили все сеансы."})
	b.fail(err)
	_, _, err = b.d.Comment(sec, t.Number, desk.CommentInput{Body: "Вход с адреса 203.0.113.7, правило пересылки удалено.", Internal: true})
	b.fail(err)
	_, err = b.d.NameSecurityMember(sec, t.Number, desk.SecurityInput{UserID: b.out.People["agent_l2"].ID, Reason: "Разбор журналов почтового шлюза"})
	b.fail(err)
	_, err = b.d.GrantSecurityAccess(b.as("admin"), t.Number, desk.SecurityInput{Reason: "Запрос юриста о сохранении данных"})
	b.fail(err)
	b.securityRecord(sec, t.Number)
	b.securityPlaybook(sec, t.Number)
}

// securityRecord gives the marked case its regulatory record (awareness
// 30 hours ago, both regimes), its notices (securityNotices) and evidence
// with a chain of custody: a file viewed, moved and handed over, and a
// reference to external storage.
func (b *showcase) securityRecord(sec context.Context, number string) {
	if b.err != nil {
		return
	}
	aware := time.Now().Add(-30 * time.Hour).Truncate(time.Second)
	_, err := b.d.SetBreachAwareness(sec, number, desk.BreachAwarenessInput{AwareAt: aware,
		Reason: "Сообщение сотрудника через портал"})
	b.fail(err)
	_, err = b.d.SetBreachRegime(sec, number, desk.BreachRegimeInput{Regime: breach.Both, Reason: "Затронуты данные сотрудников в России и ЕС"})
	b.fail(err)
	b.securityNotices(sec, number, aware)
	ev := evidence.New(b.st, b.d, desk.SystemClock{}, 1<<20)
	content := []byte("Received: from mx.evil.example (203.0.113.7)\r\n")
	sum := sha256.Sum256(content)
	const refSum, refAt = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "s3://forensics/case-14/gateway.log"
	b.english("headers.txt", "text/plain", hex.EncodeToString(sum[:]), refSum, refAt) // file names, digests, places: data
	it, err := ev.Add(sec, number, evidence.AddInput{Title: "Заголовки письма со спамом", CollectedFrom: "Почтовый ящик заявителя",
		File: &evidence.FileInput{Name: "headers.txt", ContentType: "text/plain", Content: content}, Address: "192.0.2.10"})
	b.fail(err)
	if err != nil {
		return
	}
	_, _, err = ev.Item(sec, it.ID, "192.0.2.10")
	b.fail(err)
	_, err = ev.Transfer(sec, it.ID, evidence.TransferInput{Location: "Хранилище доказательств, ячейка 3", Note: "Опечатано", Address: "192.0.2.10"})
	b.fail(err)
	_, err = ev.HandOver(sec, it.ID, evidence.HandOverInput{ToUserID: b.out.People["agent_l2"].ID, Note: "Для разбора журналов, акт 118",
		Address: "192.0.2.10"})
	b.fail(err)
	_, err = ev.Add(sec, number, evidence.AddInput{Title: "Журнал почтового шлюза", Location: refAt, SHA256: refSum,
		CollectedFrom: "Почтовый шлюз", Address: "192.0.2.10"})
	b.fail(err)
}

// securityNotices: the 24-hour notice to Roskomnadzor in Russian, sent two
// hours late with its reasons (its clock shows late), the investigation's
// results following it as a draft, the GDPR notice to the authority in
// English as a draft (its clock runs), and the decision not to notify the
// data subjects, so the case page shows every state of a notice and a
// clock.
func (b *showcase) securityNotices(sec context.Context, number string, aware time.Time) {
	if b.err != nil {
		return
	}
	first, err := b.d.CreateBreachNotice(sec, number, desk.BreachNoticeInput{Kind: breach.Notice152First, Lang: "ru",
		Content: breach.Content{Nature: "Взлом почтового ящика сотрудника, рассылка спама от его имени",
			Causes: "Пароль похищен фишинговым письмом", Consequences: "Адреса контрагентов стали известны посторонним",
			Measures: "Пароль сброшен, сеансы завершены, правило пересылки удалено", ContactName: "Сергей Защитин",
			ContactDetails: "security@showcase.example, +7 495 000-00-00"},
		Send: &breach.Sending{At: aware.Add(26 * time.Hour), Via: "portal", Reference: "РКН-2026-118",
			DelayReasons: "Масштаб утечки стал ясен только после разбора журналов почтового шлюза"}})
	b.fail(err)
	if err != nil {
		return
	}
	_, err = b.d.CreateBreachNotice(sec, number, desk.BreachNoticeInput{Kind: breach.Notice152Results, Lang: "ru",
		Supplements: first.ID, Content: breach.Content{Results: "Учётная запись взломана через фишинговое письмо"}})
	b.fail(err)
	gdpr := breach.Content{Nature: "Mailbox takeover; spam sent to business contacts", SubjectCategories: "employees, contacts",
		SubjectsApprox: 40, RecordCategories: "e-mail addresses", ContactName: "Data protection officer",
		ContactDetails: "dpo@showcase.example"}
	b.english(gdpr.Nature, gdpr.SubjectCategories, gdpr.RecordCategories, gdpr.ContactName)
	_, err = b.d.CreateBreachNotice(sec, number, desk.BreachNoticeInput{Kind: breach.NoticeGDPRAuthority, Lang: "en", Content: gdpr})
	b.fail(err)
	_, err = b.d.CreateBreachNotice(sec, number, desk.BreachNoticeInput{Kind: breach.NoticeGDPRSubjects, Lang: "ru",
		Content: breach.Content{Nature: "Рассылка спама от имени сотрудника"},
		Send: &breach.Sending{At: aware.Add(28 * time.Hour), NotNotifyGround: "risk_removed",
			NotNotifyReason: "Пароль сброшен, риск для сотрудников устранён"}})
	b.fail(err)
}
