package devgen

import "github.com/tierdesk/tierdesk/internal/desk"

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
}
