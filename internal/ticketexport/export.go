// Package ticketexport writes ticket lists as CSV, streamed: it asks for
// one keyset page at a time and writes and flushes its rows before asking
// for the next, so memory stays constant whatever the number of tickets.
// The API (Accept: text/csv on the list) and the web app's Tickets page
// both export through it.
package ticketexport

import (
	"context"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// PageSize is how many tickets each page fetched for an export holds.
const PageSize = desk.MaxPageSize

// Fetch returns the page after cursor ("" for the first).
type Fetch func(ctx context.Context, cursor string) (*desk.TicketPage, error)

// Options say which columns to write (desk.TicketColumns names; none means
// every column), the zone times are written in and the words of the
// header, by column name (nil: the column names themselves).
type Options struct {
	Columns []string
	Loc     *time.Location
	Header  func(col string) string
	// Flush pushes what was written to the client after each page (nil:
	// w's own Flush, if it has one).
	Flush func()
}

// Write writes the header and every ticket fetch returns, page after page,
// flushing after each page (Options.Flush). It returns how many tickets it wrote.
func Write(ctx context.Context, w io.Writer, o Options, fetch Fetch) (int, error) {
	cols := o.Columns
	if len(cols) == 0 {
		cols = desk.TicketColumns
	}
	loc := o.Loc
	if loc == nil {
		loc = time.UTC
	}
	cw := csv.NewWriter(w)
	head := slices.Clone(cols)
	if o.Header != nil {
		for i, c := range cols {
			head[i] = o.Header(c)
		}
	}
	if err := cw.Write(head); err != nil {
		return 0, err
	}
	n, cursor, row := 0, "", make([]string, len(cols))
	for {
		page, err := fetch(ctx, cursor)
		if err != nil {
			return n, err
		}
		for _, t := range page.Tickets {
			for i, c := range cols {
				row[i] = safe(Cell(t, c, loc))
			}
			if err := cw.Write(row); err != nil {
				return n, err
			}
			n++
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return n, err
		}
		if o.Flush != nil {
			o.Flush()
		} else if f, ok := w.(interface{ Flush() }); ok {
			f.Flush()
		}
		if page.NextCursor == "" || ctx.Err() != nil {
			return n, ctx.Err()
		}
		cursor = page.NextCursor
	}
}

// Cell is the text of column col of t: machine values (states, types,
// channels as their codes; times in RFC 3339 in loc).
func Cell(t *desk.Ticket, col string, loc *time.Location) string {
	switch col {
	case "number":
		return t.Number
	case "priority":
		return string(t.Priority)
	case "title":
		return t.Title
	case "state":
		return string(t.State)
	case "type":
		return string(t.Type)
	case "channel":
		return string(t.Channel)
	case "requester":
		return t.Requester.Name
	case "group":
		return t.Group.Name
	case "line":
		return strconv.Itoa(int(t.Group.Line))
	case "assignee":
		return refName(t.Assignee)
	case "category":
		if t.Subcategory != nil {
			return refName(t.Category) + " / " + t.Subcategory.Name
		}
		return refName(t.Category)
	case "service":
		return refName(t.Service)
	case "due":
		if t.SLA.DueAt == nil {
			return ""
		}
		return t.SLA.DueAt.In(loc).Format(time.RFC3339)
	case "created":
		return t.CreatedAt.In(loc).Format(time.RFC3339)
	case "updated":
		return t.UpdatedAt.In(loc).Format(time.RFC3339)
	}
	return ""
}

func refName(r *desk.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}

// safe keeps a spreadsheet from reading a cell as a formula: text that
// starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice for CSV injection).
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
