package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The Tickets page's rows are worked out here rather than in the template:
// 50 rows of 8 cells through a template that chose each cell by a chain of
// eq comparisons (reflection), a dict and a nested template call cost as
// much CPU as the list query itself (docs/benchmarks.md). The template
// prints the cells; html/template still escapes every text.

// ticketRow is one row of the results: the selection box's value and the
// cells of the chosen columns.
type ticketRow struct {
	Number  string
	Select  string // "number:version", what the bulk form sends
	Checked bool   // selected when the form came back
	Cells   []ticketCell
	// RegMissed: a security case whose regulatory deadline was missed.
	RegMissed bool
}

// ticketCell is one cell: text, a link to the ticket, or a span of a class.
type ticketCell struct {
	Text  string
	Link  string
	Class string
}

// ticketRows builds the rows of tickets for columns in the viewer's
// language and zone; selected are the bulk form's values sent back.
func ticketRows(l *lang, loc *time.Location, tickets []*desk.Ticket, columns, selected []string) []ticketRow {
	rows := make([]ticketRow, len(tickets))
	for i, t := range tickets {
		sel := t.Number + ":" + strconv.Itoa(t.Version)
		r := ticketRow{Number: t.Number, Select: sel, Checked: slices.Contains(selected, sel), Cells: make([]ticketCell, len(columns))}
		for j, c := range columns {
			r.Cells[j] = cellOf(l, loc, t, c)
		}
		rows[i] = r
	}
	return rows
}

// cellOf is the cell of column c (one of desk.TicketColumns).
func cellOf(l *lang, loc *time.Location, t *desk.Ticket, c string) ticketCell {
	switch c {
	case "number":
		return ticketCell{Text: t.Number, Link: "/tickets/" + t.Number}
	case "priority":
		return ticketCell{Text: string(t.Priority), Class: "prio prio-" + string(t.Priority)}
	case "title":
		return ticketCell{Text: t.Title}
	case "state":
		return ticketCell{Text: l.enum("state", string(t.State))}
	case "type":
		return ticketCell{Text: l.enum("type", string(t.Type))}
	case "channel":
		return ticketCell{Text: l.enum("channel", string(t.Channel))}
	case "requester":
		return ticketCell{Text: t.Requester.Name}
	case "group":
		return ticketCell{Text: t.Group.Name}
	case "line":
		return ticketCell{Text: strconv.Itoa(int(t.Group.Line))}
	case "assignee":
		return ticketCell{Text: refName(t.Assignee)}
	case "category":
		text := refName(t.Category)
		if t.Subcategory != nil {
			text += " / " + t.Subcategory.Name
		}
		return ticketCell{Text: text}
	case "service":
		return ticketCell{Text: refName(t.Service)}
	case "due":
		if t.SLA.DueAt == nil {
			return ticketCell{Text: "—"}
		}
		return ticketCell{Text: l.datetime(*t.SLA.DueAt, loc)}
	case "created":
		return ticketCell{Text: l.datetime(t.CreatedAt, loc)}
	case "updated":
		return ticketCell{Text: l.datetime(t.UpdatedAt, loc)}
	}
	return ticketCell{}
}

// refName is a reference's name, or a dash for none.
func refName(r *desk.Ref) string {
	if r == nil {
		return "—"
	}
	return r.Name
}
