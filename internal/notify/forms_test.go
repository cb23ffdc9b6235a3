package notify

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// TestRenderRussianForms renders every Russian notification with a person
// of each gender (names are not declined, so a name must stand where the
// nominative is right: never after «от», «для», «у» or a noun in the
// genitive), with every clock, and with the numbers whose plural forms
// differ (1, 2, 5, 11, 21, 22, 25): no «(а)», no agreement left to the
// reader, every number shown.
func TestRenderRussianForms(t *testing.T) {
	people := []string{"Иван Петров", "Анна Смирнова"}
	genitive := regexp.MustCompile(`(?:^|\s)(?:от|для|у|заявителя|исполнителя|сотрудника|руководителя) (?:Иван Петров|Анна Смирнова)`)
	for _, kind := range append(desk.NotificationKinds, "") {
		for _, person := range people {
			for _, clock := range []string{"response", "resolution", "next_update"} {
				for _, n := range []int{1, 2, 5, 11, 21, 22, 25} {
					num := strconv.Itoa(n)
					p := map[string]string{"ticket": "INC-000007", "title": "Не печатает принтер", "priority": "P2",
						"state": "in_progress", "group": "Сеть", "actor": person, "assignee": person, "organizer": person,
						"user": person, "body": "Текст", "clock": clock, "percent": num, "call_minutes": num,
						"call_kind": "phone", "call_start": "2026-03-03T10:00:00Z", "deadline": "2026-03-02T10:00:00Z",
						"line": "2", "into": "INC-000005", "into_title": "Принтер", "reason": "Нужен ответ"}
					d := desk.Delivery{OutboxMessage: desk.OutboxMessage{Kind: kind, Payload: p}}
					r, err := render(d, Recipient{Name: person, Language: "ru", Location: time.UTC}, "https://desk.example.com")
					if err != nil {
						t.Fatal(err)
					}
					all := r.Subject + "\n" + r.Text
					if strings.Contains(all, "(а)") || strings.Contains(all, "(ла)") {
						t.Errorf("%s: «(а)» in %q", kind, all)
					}
					if m := genitive.FindString(all); m != "" {
						t.Errorf("%s: a name where the genitive is needed: «%s» in\n%s", kind, m, all)
					}
					if strings.Contains(all, "{{") || strings.Contains(all, "<no value>") {
						t.Errorf("%s: a placeholder left in\n%s", kind, all)
					}
					checkNumbers(t, kind, clock, num, all)
				}
			}
		}
	}
}

// checkNumbers: a message that names the clock names it as «срок «…»» and
// shows the number given.
func checkNumbers(t *testing.T, kind desk.OutboxKind, clock, num, text string) {
	t.Helper()
	name := languages["ru"].clocks.of(clock)
	switch kind {
	case desk.OutboxSLAWarning:
		if !strings.Contains(text, "срок «"+name+"» израсходован на "+num+"%") {
			t.Errorf("%s %s %s:\n%s", kind, clock, num, text)
		}
	case desk.OutboxSLABreached, desk.OutboxPage:
		if !strings.Contains(text, "нарушен срок «"+name+"»") {
			t.Errorf("%s %s:\n%s", kind, clock, text)
		}
	case desk.OutboxCallScheduled:
		if !strings.Contains(text, "("+num+" мин)") {
			t.Errorf("%s %s min:\n%s", kind, num, text)
		}
	}
}
