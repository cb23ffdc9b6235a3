package textan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestStem_Russian(t *testing.T) {
	groups := [][]string{
		{"принтер", "принтеры", "принтера", "принтеру", "принтером", "принтерах"},
		{"ноутбук", "ноутбуке", "ноутбуки", "ноутбуков"},
		{"работает", "работать", "работают"},
		{"пароль", "пароля", "паролем", "пароли"},
		{"сеть", "сети", "сетью"},
	}
	checkStemGroups(t, groups)
	if Terms("принтер")[0] == Terms("пароль")[0] {
		t.Error("different words share a stem")
	}
}

func TestStem_English(t *testing.T) {
	groups := [][]string{
		{"print", "printing", "printed", "prints"},
		{"printer", "printers", "printer's", "Printers"},
		{"connection", "connections"},
		{"password", "passwords"},
		{"network", "networks", "networking"},
	}
	checkStemGroups(t, groups)
}

// checkStemGroups checks that the words of each group share their terms.
func checkStemGroups(t *testing.T, groups [][]string) {
	t.Helper()
	for _, g := range groups {
		want := Terms(g[0])
		for _, w := range g[1:] {
			if got := Terms(w); !cmp.Equal(got, want) {
				t.Errorf("Terms(%q) = %q, want %q as for %q", w, got, want, g[0])
			}
		}
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"mixed scripts, stop words out", "не работает VPN на ноутбуке", []string{"работа", "vpn", "ноутбук"}},
		{"ё is е", "Ёлка, ещё ёжик", []string{"елк", "ежик"}},
		{"ё and е meet", "Принтёр", []string{"принтер"}},
		{"hyphenated words split", "Wi-Fi не ловит", []string{"wi", "fi", "лов"}},
		{"ticket reference whole", "see INC-000123.", []string{"see", "inc-000123"}},
		{"request reference whole", "(REQ-7)", []string{"req-7"}},
		{"e-mail whole", "write to User.Name@Example.com, please", []string{"write", "user.name@example.com", "pleas"}},
		{"dotted number whole", "ping 10.0.0.1 fails", []string{"ping", "10.0.0.1", "fail"}},
		{"NFKC and folding", "ﬁle ＶＰＮ STRASSE", []string{"file", "vpn", "strass"}},
		{"apostrophes", "don't work, printer’s tray", []string{"dont", "work", "printer", "tray"}},
		{"kept service-desk words", "server is down", []string{"server", "down"}},
		{"digits not stemmed", "Windows10 1С", []string{"windows10", "1с"}},
		{"punctuation only", `" * ( - ^ ...`, []string{}},
		{"empty", "", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Terms(tt.text)); diff != "" {
				t.Errorf("Terms(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestAnalyze_KindsAndScripts(t *testing.T) {
	got := Analyze("VPN сервер INC-1 a@b.io 1.5 и")
	want := []Token{
		{Text: "vpn", Term: "vpn", Kind: Word, Script: Latin},
		{Text: "сервер", Term: "сервер", Kind: Word, Script: Cyrillic},
		{Text: "inc-1", Term: "inc-1", Kind: Ref},
		{Text: "a@b.io", Term: "a@b.io", Kind: Email},
		{Text: "1.5", Term: "1.5", Kind: Number},
		{Text: "и", Term: "и", Kind: Word, Script: Cyrillic, Stop: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Analyze (-want +got):\n%s", diff)
	}
}

func TestTerms_NotEmailOrRef(t *testing.T) {
	tests := map[string][]string{
		"x@b":          {"x", "b"},
		"@admin":       {"admin"},
		"x@y..z":       {"x", "y", "z"},
		"INC-":         {"inc"},
		"-123":         {"123"},
		"INC-12a":      {"inc", "12a"},
		"1.2.":         {"1.2"},
		"e.g. windows": {"e", "g", "window"},
	}
	for in, want := range tests {
		if diff := cmp.Diff(want, Terms(in)); diff != "" {
			t.Errorf("Terms(%q) (-want +got):\n%s", in, diff)
		}
	}
}

// TestWordToken_Memo: a word analysed from the memo is analysed as it was
// the first time, in both scripts, and stop words stay stop words.
func TestWordToken_Memo(t *testing.T) {
	for _, w := range []string{"printers", "принтеры", "the", "down", "x509", "ошибки"} {
		want := analyseWord(w)
		for range 2 {
			if got := wordToken(w); got != want {
				t.Errorf("wordToken(%q) = %+v, want %+v", w, got, want)
			}
		}
	}
}
