package desk

import (
	"maps"
	"testing"
)

// TestParseReason_RoundTrip: every code's English sentence reads back as
// the same code and params, so history and queued mail written before
// codes existed are worded as new ones are; a person's text is not taken
// for a code.
func TestParseReason_RoundTrip(t *testing.T) {
	for _, code := range ReasonCodes() {
		p := ReasonParams{}
		for _, name := range ReasonParamNames(code) {
			p[name] = samples[name]
		}
		text := ReasonText(code, p)
		got, gotP, ok := ParseReason(text)
		if !ok || got != code || !maps.Equal(gotP, p) {
			t.Errorf("%q (%s %v) reads back as %s %v %v", text, code, p, got, gotP, ok)
		}
	}
	for _, own := range []string{"", "Пользователь просит замену ноутбука.", "duplicate", "step 1: paged"} {
		if code, _, ok := ParseReason(own); ok {
			t.Errorf("%q was taken for %s", own, code)
		}
	}
}

var samples = map[string]string{"priority": "P2", "type": "request", "group": "Сеть и связь", "step": "3",
	"round": "2", "names": "Иван Петров, Анна Смирнова", "rounds": "4", "state": "canceled", "name": "Иван Петров",
	"window": "72h0m0s", "ticket": "REQ-000031", "cadence": "1h30m0s", "rule": "Почта: 5 за 10 минут", "title": "Почта (Outlook) не уходит.",
	"recipients": "21", "affected": "отправка почты. Вход", "doing": "перезапускаем (сервер)", "due": "10:30 UTC", "since": "09:05 UTC",
	"policy": "Сеть — дежурные", "major": "INC-000041", "code": "not_reproducible", "resolved": "20", "skipped": "1", "problem": "PRB-000012",
	"field": "category", "value": "Сеть", "confidence": "91", "version": "3",
	"clock": "152fz_first_24h", "percent": "80", "deadline": "2026-12-09 10:30 UTC", "answers": "4"}
