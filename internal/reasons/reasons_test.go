package reasons

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/langcheck"
)

// sample gives every param of code a realistic value.
func sample(code desk.ReasonCode) desk.ReasonParams {
	values := map[string]string{"priority": "P1", "type": "incident", "group": "Service Desk", "step": "2",
		"round": "1", "names": "Иван Петров, Anna Smith", "rounds": "3", "state": "resolved", "name": "Иван Петров",
		"window": "168h0m0s", "ticket": "INC-000042", "cadence": "30m0s", "rule": "Почта: 5 за 10 минут",
		"title": "Почта не уходит", "recipients": "21", "affected": "отправка почты", "doing": "перезапускаем сервер",
		"due": "10:30 UTC", "since": "10:05 UTC", "policy": "Сеть — дежурные", "major": "INC-000041", "code": "workaround", "resolved": "20", "skipped": "1", "problem": "PRB-000007",
		"field": "category", "value": "Принтеры", "confidence": "93", "version": "3",
		"clock": "152fz_first_24h", "percent": "80", "deadline": "2026-12-09 10:30 UTC", "answers": "5"}
	p := desk.ReasonParams{}
	for _, name := range desk.ReasonParamNames(code) {
		v, ok := values[name]
		if !ok {
			panic("no sample value for param " + name)
		}
		p[name] = v
	}
	return p
}

// TestCatalogue_Complete: every reason code the desk writes has words in
// every language, with every param in place and none left over; the
// Russian ones carry no English beyond the allowed words and the params'
// own values.
func TestCatalogue_Complete(t *testing.T) {
	for _, code := range desk.ReasonCodes() {
		p := sample(code)
		for _, lang := range Languages {
			text, ok := Text(lang, code, p)
			if !ok {
				t.Errorf("%s: no words for %q", lang, code)
				continue
			}
			if strings.ContainsAny(text, "{}") {
				t.Errorf("%s %q: a placeholder is left: %q", lang, code, text)
			}
			if strings.TrimSpace(text) == "" || text == desk.ReasonText(code, p) && lang == "ru" {
				t.Errorf("%s %q: %q is not worded", lang, code, text)
			}
			for _, name := range desk.ReasonParamNames(code) {
				if v := p[name]; !strings.Contains(text, v) && !worded(name) {
					t.Errorf("%s %q: %q does not show %s=%q", lang, code, text, name, v)
				}
			}
			if lang == "ru" {
				if bad := langcheck.LatinWords(text, "Anna Smith", "Service Desk"); len(bad) > 0 {
					t.Errorf("ru %q: %q has English words %v", code, text, bad)
				}
			}
		}
	}
}

// worded are the params shown in words rather than as stored.
func worded(name string) bool {
	return name == "type" || name == "state" || name == "window" || name == "cadence" || name == "code" || name == "field" || name == "clock"
}

// TestText_Forms: the Russian words agree with every number and state.
func TestText_Forms(t *testing.T) {
	cases := []struct {
		code desk.ReasonCode
		p    desk.ReasonParams
		want string
	}{
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "1"}, "никто не подтвердил вызов за 1 круг"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "2"}, "никто не подтвердил вызов за 2 круга"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "5"}, "никто не подтвердил вызов за 5 кругов"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "11"}, "никто не подтвердил вызов за 11 кругов"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "21"}, "никто не подтвердил вызов за 21 круг"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "22"}, "никто не подтвердил вызов за 22 круга"},
		{desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "25"}, "никто не подтвердил вызов за 25 кругов"},
		{desk.ReasonClosedAutomatically, desk.ReasonParams{"window": "168h0m0s"},
			"закрыта автоматически: за 7 дней после решения её не открыли снова"},
		{desk.ReasonClosedAutomatically, desk.ReasonParams{"window": "24h"},
			"закрыта автоматически: за 1 день после решения её не открыли снова"},
		{desk.ReasonClosedAutomatically, desk.ReasonParams{"window": "72h"},
			"закрыта автоматически: за 3 дня после решения её не открыли снова"},
		{desk.ReasonClosedAutomatically, desk.ReasonParams{"window": "21h"},
			"закрыта автоматически: за 21 час после решения её не открыли снова"},
		{desk.ReasonClosedAutomatically, desk.ReasonParams{"window": "90m"},
			"закрыта автоматически: за 90 минут после решения её не открыли снова"},
		{desk.ReasonTicketLeftOpen, desk.ReasonParams{"state": "canceled"}, "заявка отменена"},
		{desk.ReasonPageStarted, desk.ReasonParams{"priority": "P2", "type": "request", "group": "Сеть"},
			"запрос на обслуживание P2, группа Сеть"},
		// A major incident's cadence: «раз в …» agrees with any span
		// («каждые 1 час» did not).
		{desk.ReasonMajorCadenceSet, desk.ReasonParams{"cadence": "1h0m0s", "due": "10:30"}, "публичные обновления раз в 1 час; срок следующего — 10:30"},
		{desk.ReasonMajorCadenceSet, desk.ReasonParams{"cadence": "24h0m0s", "due": "10:30"}, "публичные обновления раз в 1 день; срок следующего — 10:30"},
		{desk.ReasonMajorCadenceSet, desk.ReasonParams{"cadence": "2h0m0s", "due": "10:30"}, "публичные обновления раз в 2 часа; срок следующего — 10:30"},
		{desk.ReasonMajorCadenceSet, desk.ReasonParams{"cadence": "21m0s", "due": "10:30"}, "публичные обновления раз в 21 минуту; срок следующего — 10:30"},
		{desk.ReasonMajorCadenceSet, desk.ReasonParams{"cadence": "30m0s", "due": "10:30"}, "публичные обновления раз в 30 минут; срок следующего — 10:30"},
		{desk.ReasonMajorDeclared, desk.ReasonParams{"ticket": "INC-000041", "cadence": "1h0m0s"},
			"объявлен крупный инцидент по заявке INC-000041; публичные обновления раз в 1 час"},
		{desk.ReasonMajorUpdatePosted, desk.ReasonParams{"recipients": "1", "affected": "почта", "doing": "перезапуск"},
			"публичное обновление отправлено 1 получателю. Затронуто: почта. Что делается: перезапуск"},
		{desk.ReasonMajorUpdatePosted, desk.ReasonParams{"recipients": "22", "affected": "почта", "doing": "перезапуск"},
			"публичное обновление отправлено 22 получателям. Затронуто: почта. Что делается: перезапуск"},
		{desk.ReasonMajorUpdateLate, desk.ReasonParams{"recipients": "21", "affected": "почта", "doing": "перезапуск", "due": "10:30"},
			"публичное обновление отправлено 21 получателю с опозданием (срок — 10:30). Затронуто: почта. Что делается: перезапуск"},
		{desk.ReasonDiagnosisRecorded, desk.ReasonParams{"answers": "1"}, "чек-лист диагностики заполнен (1 ответ)"},
		{desk.ReasonDiagnosisRecorded, desk.ReasonParams{"answers": "3"}, "чек-лист диагностики заполнен (3 ответа)"},
		{desk.ReasonDiagnosisRecorded, desk.ReasonParams{"answers": "11"}, "чек-лист диагностики заполнен (11 ответов)"},
	}
	for _, c := range cases {
		if got, _ := Text("ru", c.code, c.p); got != c.want {
			t.Errorf("%s %v: got %q, want %q", c.code, c.p, got, c.want)
		}
	}
	if got, _ := Text("en", desk.ReasonPageExhausted, desk.ReasonParams{"rounds": "1"}); got != "nobody acknowledged after 1 round" {
		t.Errorf("en, one round: %q", got)
	}
}

// TestText_CountsAgree: every reason with a count (a param whose sample
// is a whole number) either puts no word after the number («решено
// заявок — 20», «80%») or has plural forms, and those forms show the
// number in the form Russian gives 1, 2, 5, 11, 21, 22 and 25.
func TestText_CountsAgree(t *testing.T) {
	wordAfter := regexp.MustCompile(`\{(\w+)\}\s+[а-яё]`)
	ru := catalogues["ru"]
	counted := 0
	for _, code := range desk.ReasonCodes() {
		p := sample(code)
		e := ru.entries[string(code)]
		if e.forms == nil {
			for _, m := range wordAfter.FindAllStringSubmatch(e.text, -1) {
				if _, err := strconv.Atoi(p[m[1]]); err == nil {
					t.Errorf("%s: %q puts a word after the count {%s} without plural forms", code, e.text, m[1])
				}
			}
			continue
		}
		counted++
		for n, form := range map[int]string{1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 25: "many"} {
			q := desk.ReasonParams{}
			for k, v := range p {
				q[k] = v
			}
			for _, name := range desk.ReasonParamNames(code) {
				if _, err := strconv.Atoi(p[name]); err == nil {
					q[name] = strconv.Itoa(n)
					break
				}
			}
			got, _ := Text("ru", code, q)
			want := strings.ReplaceAll(e.forms[form], "{n}", strconv.Itoa(n))
			for k, v := range q {
				want = strings.ReplaceAll(want, "{"+k+"}", ru.value(k, v))
			}
			if got != want || !strings.Contains(got, strconv.Itoa(n)) {
				t.Errorf("%s for %d: %q, want the %s form %q", code, n, got, form, want)
			}
		}
	}
	if counted < 4 {
		t.Fatalf("found %d counted reasons", counted)
	}
}

// TestEvent_OldRows: history written before codes existed (English
// sentences only) is worded like new history; a person's reason is shown
// as written.
func TestEvent_OldRows(t *testing.T) {
	cases := map[string]string{
		"resolution SLA breached":                                       "нарушен срок решения",
		"requester replied":                                             "заявитель ответил",
		"requester replied to the resolution":                           "заявитель ответил на решение",
		"step 1, round 2: paged Иван Петров":                            "шаг 1, круг 2; кого вызвали: Иван Петров",
		"nobody acknowledged after 2 round(s)":                          "никто не подтвердил вызов за 2 круга",
		"closed automatically: no reopen within 168h0m0s of resolution": "закрыта автоматически: за 7 дней после решения её не открыли снова",
		"Duplicate of INC-000007":                                       "дубликат заявки INC-000007",
		"the ticket is closed":                                          "заявка закрыта",
		"taken by Иван Петров":                                          "заявка взята в работу, исполнитель — Иван Петров",
		"by Иван Петров from the page's link":                           "сотрудник: Иван Петров, по ссылке из вызова",
		"P1 incident in Service Desk":                                   "инцидент P1, группа Service Desk",
		"Пользователь просит замену ноутбука.":                          "Пользователь просит замену ноутбука.",
	}
	for stored, want := range cases {
		if got := Event("ru", &desk.Event{Reason: stored}); got != want {
			t.Errorf("%q: got %q, want %q", stored, got, want)
		}
	}
}

// TestNotes: the resolution notes the alert intake writes are worded in
// each language; a person's notes are shown as written.
func TestNotes(t *testing.T) {
	if got := Notes("ru", desk.AutoResolveNotes); got != "Решена автоматически: все оповещения инцидента сняты." {
		t.Errorf("ru: %q", got)
	}
	if got := Notes("en", desk.AutoResolveNotes); got != desk.AutoResolveNotes {
		t.Errorf("en: %q", got)
	}
	if got := Notes("ru", "Перезагружен сервер."); got != "Перезагружен сервер." {
		t.Errorf("a person's notes: %q", got)
	}
}
