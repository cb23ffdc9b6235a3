package storetest

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testSearchStems checks search on the analysed terms (package textan) with
// Russian, English and mixed queries and the query syntax. Every database
// must return exactly these tickets in this order (newest first), which is
// how the suite holds SQLite and PostgreSQL to the same results.
func testSearchStems(t *testing.T, open Opener) {
	f := newFixture(t, open)
	docs := []struct{ title, desc string }{
		{"Принтеры в бухгалтерии не печатают", "Картридж заменили, принтер всё равно не печатает"},
		{"Printer on 3rd floor is printing blank pages", "HP LaserJet, reported by anna@example.com"},
		{"Не работает VPN на ноутбуке", "Cisco AnyConnect выдаёт ошибку при подключении"},
		{"VPN drops every hour", "Connection to the office network lost"},
		{"Нет доступа к сетевой папке", `Ошибка доступа к \\server\share, см. INC-000123`},
		{"Ещё один монитор", "Нужен ещё монитор для бухгалтерии"},
		{"Wi-Fi недоступен в переговорной", "wifi network not available"},
		{"Outlook не отправляет письма", "mailbox full, e-mail to boss@example.com bounced"},
	}
	id := make([]int64, len(docs))
	for i, d := range docs {
		tk := f.ticket(d.title, i)
		tk.Description = d.desc
		id[i] = f.create(t, tk).ID
	}
	for _, c := range []struct {
		q    string
		want []int // indexes into docs, newest first
	}{
		{"принтеры", []int{0}},
		{"Принтер", []int{0}},
		{"печатает", []int{0}},
		{"printers", []int{1}},
		{"printing", []int{1}},
		{"print*", []int{1}},
		{"vpn", []int{3, 2}},
		{"VPN ноутбук", []int{2}},
		{"не работает VPN на ноутбуке", []int{2}},
		{"ошибка", []int{4, 2}},
		{"ошибк*", []int{4, 2}},
		{"сетев*", []int{4}},
		{"network", []int{6, 3}},
		{"network -wifi", []int{3}},
		{`"office network"`, []int{3}},
		{`"network office"`, nil},
		{`vpn -"office network"`, []int{2}},
		{"INC-000123", []int{4}},
		{"inc-000123", []int{4}},
		{"000123", nil},
		{"anna@example.com", []int{1}},
		{"Boss@Example.com", []int{7}},
		{"ещё монитор", []int{5}},
		{"еще мониторы", []int{5}},
		{"бухгалтерия", []int{5, 0}},
		{"wi-fi", []int{6}},
		{"wifi", []int{6}},
		{"e-mail", []int{7}},
		{"mail*", []int{7}},
		{"Cisco AnyConnect", []int{2}},
		{"anyconnect -cisco", nil},
		{`"`, nil}, {`*`, nil}, {`(`, nil}, {`-`, nil}, {`^`, nil}, {`-vpn`, nil}, {`"и на"`, nil},
	} {
		p, err := f.s.ListTickets(ctx(t), desk.TicketFilter{Query: c.q, Visibility: all, Total: true,
			Sort: desk.SortCreated, Desc: true})
		if err != nil {
			t.Fatalf("query %q: %v", c.q, err)
		}
		var want []int64
		for _, i := range c.want {
			want = append(want, id[i])
		}
		diff(t, "query "+c.q, want, ids(p.Tickets))
		if *p.Total != len(want) {
			t.Errorf("query %q: Total %d, want %d", c.q, *p.Total, len(want))
		}
	}
}
