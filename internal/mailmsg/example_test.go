package mailmsg_test

import (
	"fmt"

	"github.com/tierdesk/tierdesk/internal/mailmsg"
)

func ExampleParse() {
	raw := "From: =?utf-8?B?0JDQvdC90LA=?= <Anna@Example.RU>\r\n" +
		"To: support@helpdesk.local\r\n" +
		"Subject: Re: [INC-000201] =?koi8-r?b?7sUgzc/H1SDXz8rUyQ==?=\r\n" +
		"Message-ID: <reply-1@example.ru>\r\n" +
		"In-Reply-To: <ticket-INC-000201-2@helpdesk.local>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Готово, спасибо!\r\n\r\n" +
		"26.11.2026 10:20, Служба поддержки пишет:\r\n> Перезагрузите, пожалуйста.\r\n"
	m, err := mailmsg.Parse([]byte(raw))
	if err != nil {
		panic(err)
	}
	fmt.Println(m.From.Name, m.From.Address)
	fmt.Println(m.Subject)
	fmt.Println(m.TicketTag, m.Kind, m.ThreadIDs())
	fmt.Println(m.ReplyText)
	// Output:
	// Анна anna@example.ru
	// Re: [INC-000201] Не могу войти
	// INC-000201 normal [ticket-INC-000201-2@helpdesk.local]
	// Готово, спасибо!
}
