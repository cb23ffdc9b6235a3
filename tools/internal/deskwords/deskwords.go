// Package deskwords makes ticket texts from the small vocabulary of
// internal/devgen (titles of a thing and a problem, a quarter in Russian;
// sentences of common IT words), for the tools that build desks by other
// paths than devgen's bulk load: the benchmark words (network, принтер)
// then keep their frequencies on every desk.
package deskwords

import (
	"math/rand/v2"
	"strings"
)

// Ticket is one ticket's text.
type Ticket struct {
	Title, Description, Symptoms string
	Comment                      string // empty: no public comment
}

// New makes ticket i's text (the same for the same i and seed): a title, a
// description of 12–41 words, symptoms for 30 %, and a public comment of
// 8 words for commentPct percent of tickets; every rareEvery-th title
// (0: none) starts with "Kerberos".
func New(i int64, commentPct, rareEvery int) Ticket {
	r := rand.New(rand.NewPCG(uint64(i), 0x7772697465646573))
	t := Ticket{Title: Title(r), Description: Sentence(r, 12+r.IntN(30))}
	if rareEvery > 0 && i%int64(rareEvery) == int64(rareEvery)-1 {
		t.Title = "Kerberos ticket " + t.Title
	}
	if r.IntN(10) < 3 {
		t.Symptoms = Sentence(r, 3+r.IntN(6))
	}
	if r.IntN(100) < commentPct {
		t.Comment = Sentence(r, 8)
	}
	return t
}

// Title is a thing and a problem, in English or (a quarter) Russian.
func Title(r *rand.Rand) string {
	lang := titles[Weighted(r, []int{0, 1}, 75, 25)]
	return Pick(r, lang.things) + " " + Pick(r, lang.problems)
}

// Sentence is n words of the vocabulary.
func Sentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = Pick(r, words)
	}
	return strings.Join(w, " ")
}

// Pick is a uniformly drawn element of from.
func Pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }

// Weighted picks vs[i] with probability weights[i] / sum(weights).
func Weighted[T any](r *rand.Rand, vs []T, weights ...int) T {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return vs[i]
		}
		x -= w
	}
	return vs[len(vs)-1]
}

// The vocabulary of internal/devgen (words.go), so that the benchmark's
// words are as frequent on this desk as on a generated one.
var (
	titles = [2]struct{ things, problems []string }{
		{
			[]string{"Printer", "Laptop", "VPN", "E-mail", "Outlook", "Wi-Fi", "Monitor", "Keyboard", "SAP",
				"Database", "Server", "Backup", "Password", "Account", "Phone", "Scanner", "Teams", "Jira", "CRM"},
			[]string{"does not work", "is slow", "crashes on start", "shows an error", "cannot connect",
				"is locked", "needs access", "lost data", "keeps restarting", "prints blank pages", "has no network"},
		},
		{
			[]string{"Принтер", "Ноутбук", "Почта", "Сервер", "Пароль", "Сканер", "Телефон", "Монитор", "1С"},
			[]string{"не работает", "тормозит", "выдаёт ошибку", "не подключается", "заблокирован", "нужен доступ"},
		},
	}
	words = []string{
		"the", "user", "reports", "that", "after", "update", "since", "yesterday", "morning", "again",
		"error", "code", "screen", "window", "cable", "driver", "reboot", "restart", "login", "token",
		"certificate", "expired", "license", "quota", "mailbox", "disk", "full", "network", "switch", "port",
		"firewall", "proxy", "timeout", "latency", "packet", "loss", "office", "floor", "building", "branch",
		"urgent", "meeting", "client", "invoice", "report", "export", "import", "file", "folder", "share",
		"пользователь", "сообщает", "после", "обновления", "ошибка", "экран", "сеть", "доступ", "срочно",
		"бухгалтерия", "отчёт", "файл", "папка", "вчера", "утром", "снова", "перезагрузка", "кабель",
	}
	FirstNames = []string{"Anna", "Boris", "Vera", "Dmitry", "Elena", "Fyodor", "Galina", "Igor", "Olga", "Pavel", "Мария", "Сергей"}
	LastNames  = []string{"Ivanova", "Petrov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Новикова", "Морозов"}
	Codes      = []string{"solved", "workaround", "not_reproducible", "user_instructed", "vendor_fixed"}
)
