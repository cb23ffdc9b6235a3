package devgen

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/knowledge"
)

// Knowledge-base records of the showcase: an article in both languages
// with several versions, one in English only, an internal one, a draft, a
// retired one and a draft made from a resolution; articles linked to
// tickets (solved by, relevant, shown in the portal), one sent to a
// requester, deflected contacts, and an agent with knowledge_editor.

const kbPrinterRu = `## Симптомы

Принтер принимает задание, но ничего не печатает; очередь печати зависает.

## Решение

1. Откройте **Устройства и принтеры**.
2. Удалите драйвер и установите его заново с [портала поддержки](https://support.showcase.example/drivers).
3. Перезапустите службу ` + "`spooler`" + `.

| Модель | Драйвер |
|---|---|
| Ромашка-100 | 2.1 |
`

const kbPrinterEn = `## Symptoms

The printer accepts a job but prints nothing; the print queue hangs.

## Fix

1. Open **Devices and printers**.
2. Remove the driver and install it again from the [support portal](https://support.showcase.example/drivers).
3. Restart the ` + "`spooler`" + ` service.
`

const kbVPNEn = `The VPN client says the certificate expired when its yearly certificate is out of date.

Open the company portal, choose **Renew certificate** and restart the VPN client.`

// kb adds the knowledge base's records.
func (b *showcase) kb() {
	if b.err != nil {
		return
	}
	kb := knowledge.New(b.st, b.d, desk.SystemClock{})
	admin := b.as("admin")
	b.fail(kb.SetEditor(admin, b.out.People["agent_l2"].ID, true))
	review := time.Now().AddDate(0, 6, 0).UTC().Truncate(24 * time.Hour)
	article := func(as string, in knowledge.Input, states ...knowledge.State) *knowledge.Article {
		if b.err != nil {
			return nil
		}
		a, err := kb.Create(b.as(as), in)
		b.fail(err)
		for _, s := range states {
			if err == nil {
				a, err = kb.SetState(b.as(as), a.ID, s, a.Version, "")
				b.fail(err)
			}
		}
		return a
	}
	b.english(kbPrinterEn, "Printer stops printing after a driver update", "printer, driver",
		kbVPNEn, "The VPN client says the certificate expired", "How to renew the VPN certificate", "spooler", "Ромашка-100", "printer-driver")
	printer := article("agent_l2", knowledge.Input{Key: "printer-driver", Audience: knowledge.Public, CategoryID: b.sub.ID,
		ServiceIDs: []int64{b.svc.ID}, Keywords: []string{"принтер", "драйвер", "печать"}, ReviewAt: &review,
		Translations: []knowledge.Translation{{Lang: "ru", Title: "Принтер не печатает после обновления драйвера", Body: kbPrinterRu}}},
		knowledge.Published)
	if printer != nil {
		in := knowledge.Input{Key: "printer-driver", Audience: knowledge.Public, CategoryID: b.sub.ID, ServiceIDs: []int64{b.svc.ID},
			Keywords: []string{"принтер", "драйвер", "печать", "printer"}, ReviewAt: &review, Note: "Добавлен английский перевод.",
			IfVersion: printer.Version, Translations: []knowledge.Translation{
				{Lang: "ru", Title: "Принтер не печатает после обновления драйвера", Body: kbPrinterRu},
				{Lang: "en", Title: "Printer stops printing after a driver update", Body: kbPrinterEn}}}
		var err error
		printer, err = kb.Update(b.as("agent_l2"), printer.ID, in)
		b.fail(err)
	}
	vpn := article("admin", knowledge.Input{Audience: knowledge.Public, Keywords: []string{"VPN"},
		Translations: []knowledge.Translation{{Lang: "en", Title: "How to renew the VPN certificate", Body: kbVPNEn}}},
		knowledge.Published)
	outlook := article("admin", knowledge.Input{Audience: knowledge.Internal, CategoryID: b.cat.ID,
		Translations: []knowledge.Translation{{Lang: "ru", Title: "Outlook снова и снова спрашивает пароль",
			Body: "Сбросьте кэш учётных данных в **Диспетчере учётных данных** и перезапустите Outlook."}}}, knowledge.Published)
	b.english("Outlook")
	article("agent_l2", knowledge.Input{Audience: knowledge.Internal, Translations: []knowledge.Translation{{Lang: "ru",
		Title: "Настройка сетевого сканера", Body: "Черновик: порядок настройки сканирования в папку."}}})
	article("admin", knowledge.Input{Audience: knowledge.Public, Translations: []knowledge.Translation{{Lang: "ru",
		Title: "Старая инструкция по настройке почты", Body: "Инструкция для прежнего почтового сервера."}}},
		knowledge.Published, knowledge.Retired)
	b.kbOnTickets(kb, printer, vpn, outlook)
}

// kbOnTickets links the articles to tickets, sends one to a requester,
// turns a resolution into a draft and records deflected contacts.
func (b *showcase) kbOnTickets(kb *knowledge.Service, printer, vpn, outlook *knowledge.Article) {
	if b.err != nil {
		return
	}
	num := func(kind string) string {
		for _, t := range b.out.Tickets {
			if t.Kind == kind {
				return t.Number
			}
		}
		return ""
	}
	l1 := b.as("agent_l1")
	_, err := kb.Link(l1, num("state/assigned"), printer.ID, knowledge.Relevant)
	b.fail(err)
	_, err = kb.SendToRequester(l1, num("state/assigned"), printer.ID, "ru")
	b.fail(err)
	_, err = kb.Link(l1, num("state/closed/rated"), outlook.ID, knowledge.SolvedBy)
	b.fail(err)
	_, err = kb.Link(l1, num("state/new/english"), vpn.ID, knowledge.Relevant)
	b.fail(err)
	b.fail(kb.KeepShown(b.as("requester_ru"), num("state/new"), []int64{printer.ID}))
	_, err = kb.DraftFromTicket(b.as("admin"), num("state/resolved/rated"))
	b.fail(err)
	b.fail(kb.Deflect(b.as("requester_ru"), printer.ID, "принтер не печатает"))
	b.fail(kb.Deflect(b.as("requester_en"), vpn.ID, "VPN certificate expired"))
}
