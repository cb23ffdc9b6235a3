package web

import "testing"

// TestLang_NumbersGrouped: a count of five digits or more is written as
// each language groups thousands — «10 000 или больше заявок» with a
// no-break space in Russian, "10,000" in English — in counted messages
// and in numbers alike; shorter ones whole, decimals after the
// language's own separator.
func TestLang_NumbersGrouped(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ru, en := c.langs["ru"], c.langs["en"]
	for _, tc := range []struct {
		l    *lang
		got  string
		want string
	}{
		{ru, ru.N("console.count", 12345), "12\u00a0345 заявок"},
		{ru, ru.N("console.count", 1001), "1001 заявка"},
		{ru, ru.T("console.count.more", ru.number(0, 10000)), "10\u00a0000 или больше заявок (подсчёт остановлен)"},
		{ru, ru.number(1, 1234567.25), "1\u00a0234\u00a0567,2"},
		{ru, ru.number(0, -25000), "-25\u00a0000"},
		{ru, ru.number(1, 4.5), "4,5"},
		{en, en.N("console.count", 10000), "10,000 tickets"},
		{en, en.number(0, 9999), "9999"},
	} {
		if tc.got != tc.want {
			t.Errorf("%q, want %q", tc.got, tc.want)
		}
	}
}
