package servicenow

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// DefaultBatchSize is the number of incidents stored per transaction: an
// interrupted import loses at most one batch of work, and each commit is
// large enough to be cheap.
const DefaultBatchSize = 1000

// Options tunes an import.
type Options struct {
	// BatchSize is the number of incidents per transaction.
	BatchSize int
	// AfterBatch, when set, is called after each committed batch with the
	// counts so far.
	AfterBatch func(Summary)
	// UnknownColumns, when set, is called once, before any row is read,
	// with the header's columns that the export does not have (see
	// Source.Unknown); it is not called when there are none.
	UnknownColumns func(names []string)
}

// Summary counts what an import did.
type Summary struct {
	Rows      int // data rows read, good and bad
	Incidents int // distinct incidents with at least one good row
	Imported  int // incidents stored by this run
	Skipped   int // incidents whose number was already stored: left as they are
	Events    int // events stored with the imported incidents
	BadRows   []BadRow
	// UnknownColumns are the header's columns the export does not have;
	// their non-empty values are kept on each ticket (description and
	// history, as servicenow.<column>).
	UnknownColumns []string
}

// Import reads a ServiceNow incident log from r and stores every incident
// whose number the desk does not have yet, with its history, in batches
// of Options.BatchSize incidents per transaction. Bad rows are skipped and
// listed in the summary. Run it again after an interruption (or on the same
// file) and it carries on where the stored batches end: incidents already
// stored are skipped, never changed.
//
// Each incident's rows must come together in the file (ServiceNow exports
// them sorted by number); within an incident any order will do. The
// summary is valid, as far as it got, even when an error is returned.
func Import(ctx context.Context, s *sqlstore.Store, r io.Reader, o Options) (Summary, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	src, err := NewSource(r)
	if err != nil {
		return Summary{}, err
	}
	dir, err := loadDirectory(ctx, s)
	if err != nil {
		return Summary{}, fmt.Errorf("read directory: %w", err)
	}
	im := &importer{db: s, dir: dir, opt: o, seen: map[string]int{}}
	im.sum.UnknownColumns = src.Unknown
	if len(src.Unknown) > 0 && o.UnknownColumns != nil {
		o.UnknownColumns(src.Unknown)
	}
	err = im.run(ctx, src)
	if err == nil && im.sum.Imported > 0 {
		err = s.Dialect().Analyze(ctx, s.DB())
	}
	return im.sum, err
}

type importer struct {
	db    *sqlstore.Store
	dir   *Directory
	opt   Options
	sum   Summary
	batch []*Incident
	cur   *Incident
	seen  map[string]int // number → line of its first good row
}

func (im *importer) run(ctx context.Context, src *Source) error {
	for {
		row, bad, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read incident log: %w", err)
		}
		im.sum.Rows++
		if bad != nil {
			im.sum.BadRows = append(im.sum.BadRows, *bad)
			continue
		}
		if err := im.add(ctx, row); err != nil {
			return err
		}
	}
	im.finishIncident()
	return im.flush(ctx)
}

// add appends the row to its incident, storing a batch when it is full.
func (im *importer) add(ctx context.Context, row Row) error {
	if im.cur != nil && im.cur.Number == row.Number {
		im.cur.Rows = append(im.cur.Rows, row)
		return nil
	}
	if first, ok := im.seen[row.Number]; ok {
		return fmt.Errorf("line %d: %s appeared before, at line %d, with other incidents in between: "+
			"the rows of each incident must come together (sort the export by number)", row.Line, row.Number, first)
	}
	im.seen[row.Number] = row.Line
	im.finishIncident()
	im.cur = &Incident{Number: row.Number, Rows: []Row{row}}
	if len(im.batch) >= im.opt.BatchSize {
		return im.flush(ctx)
	}
	return nil
}

func (im *importer) finishIncident() {
	if im.cur != nil {
		im.batch = append(im.batch, im.cur)
		im.sum.Incidents++
		im.cur = nil
	}
}

// flush stores the batch's new incidents in one transaction.
func (im *importer) flush(ctx context.Context) error {
	batch := im.batch
	im.batch = nil
	if len(batch) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	todo, err := im.newIncidents(ctx, batch)
	if err != nil {
		return err
	}
	if err := im.store(ctx, todo); err != nil {
		return err
	}
	if im.opt.AfterBatch != nil {
		im.opt.AfterBatch(im.sum)
	}
	return nil
}

// store builds and stores the incidents with what they refer to.
func (im *importer) store(ctx context.Context, todo []*Incident) error {
	if len(todo) == 0 {
		return nil
	}
	if err := im.dir.ensure(ctx, im.db, todo); err != nil {
		return fmt.Errorf("import people, groups and categories: %w", err)
	}
	tickets := make([]*desk.Ticket, len(todo))
	events := make([][]desk.Event, len(todo))
	n := 0
	for i, inc := range todo {
		inc.Sort()
		tickets[i], events[i] = im.dir.Build(inc)
		n += len(events[i])
	}
	if err := im.db.ImportTicketsNumbered(ctx, tickets, events); err != nil {
		return fmt.Errorf("import incidents %s to %s: %w", todo[0].Number, todo[len(todo)-1].Number, err)
	}
	im.sum.Imported += len(todo)
	im.sum.Events += n
	return nil
}

// newIncidents leaves out (and counts) the incidents already stored.
func (im *importer) newIncidents(ctx context.Context, batch []*Incident) ([]*Incident, error) {
	numbers := make([]string, len(batch))
	for i, inc := range batch {
		numbers[i] = inc.Number
	}
	existing, err := im.db.ExistingNumbers(ctx, numbers)
	if err != nil {
		return nil, err
	}
	todo := batch[:0]
	for _, inc := range batch {
		if existing[inc.Number] {
			im.sum.Skipped++
		} else {
			todo = append(todo, inc)
		}
	}
	return todo, nil
}
