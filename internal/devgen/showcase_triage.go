package devgen

import (
	"context"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// triage adds what issue 13's pages show: fields the desk set by itself on
// portal tickets (one left for a person to confirm, one corrected, one
// confirmed by resolving it), and a ticket resolved with an earlier
// ticket's resolution ("Use this resolution"). The decisions come from the
// showcase's own triager, which chooses as a confident model would (the
// showcase has too little history to train one): the desk applies and
// records them through its ordinary intake.
func (b *showcase) triage() {
	if b.err != nil {
		return
	}
	b.d.SetAutoTriager(showcaseTriager{cat: b.cat})
	b.ticket("triage/pending", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Принтер снова зажёвывает бумагу"})
	corrected := b.ticket("triage/corrected", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Принтер не видит картридж"})
	confirmed := b.ticket("triage/confirmed", "requester_ru", desk.NewTicket{Channel: desk.ChannelPortal, Title: "Принтер печатает пустые листы"})
	b.d.SetAutoTriager(nil)
	if b.err != nil {
		return
	}
	zero := int64(0)
	_, err := b.d.UpdateTicket(b.as("agent_l1"), corrected.Number, desk.TicketPatch{CategoryID: &zero})
	b.fail(err)
	b.take(confirmed, "agent_l1")
	b.move(confirmed, "agent_l1", resolve("Прочищены сопла картриджа."))

	src := b.ticket("reuse/source", "agent_l1", desk.NewTicket{Title: "Принтер пишет «замятие бумаги», хотя бумаги нет"})
	b.take(src, "agent_l1")
	b.move(src, "agent_l1", resolve("Датчик бумаги очищен от пыли, принтер перезапущен."))
	again := b.ticket("reuse/resolved", "agent_l1", desk.NewTicket{Title: "Снова ложное «замятие бумаги»"})
	b.take(again, "agent_l1")
	if src != nil {
		in := resolve("Датчик бумаги очищен от пыли, принтер перезапущен.")
		in.ReusedFrom = src.Number
		b.move(again, "agent_l1", in)
	}
}

// showcaseTriager chooses the showcase's category for every ticket, at a
// model's confidence.
type showcaseTriager struct{ cat *desk.Category }

func (t showcaseTriager) AutoTriage(context.Context, string, string) ([]desk.TriageChoice, error) {
	return []desk.TriageChoice{{Field: "category", ID: t.cat.ID, Value: t.cat.Name, Confidence: 0.93, ModelVersion: 1}}, nil
}
