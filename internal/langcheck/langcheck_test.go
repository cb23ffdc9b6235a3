package langcheck

import (
	"slices"
	"testing"
)

func TestLatinWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		data []string
		want []string
	}{
		{"Заявка INC-000123 (P1) нарушила SLA; пишите на help@example.com или https://desk.example.com/x", nil, nil},
		{"Часовой пояс Europe/Moscow, America/Argentina/Buenos_Aires, UTC", nil, nil},
		{"Ответ от John Smith: Printer jams", []string{"John Smith", "Printer jams"}, nil},
		{"Статус: Resolved, приоритет High", nil, []string{"Resolved", "High"}},
		{"Save Сохранить save Save", nil, []string{"Save", "save"}},
		{"5 h и 3 мин", nil, nil},
		{"Импорт из ServiceNow, INC0000045", nil, nil},
		{"Настройте группу безопасности (команда tierdesk security group).", nil, nil},
		{"Команда tierdesk, а не security", nil, []string{"tierdesk", "security"}},
		{"Конференция: tel:+74951234567 или sip:200@pbx.example.com; tel: не ссылка", nil, []string{"tel"}},
	} {
		if got := LatinWords(tc.text, tc.data...); !slices.Equal(got, tc.want) {
			t.Errorf("LatinWords(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
