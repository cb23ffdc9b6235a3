package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/tierdesk/tierdesk/internal/triage"
)

// dataset is a CSV of labelled texts, read whole and checked before
// anything is trained.
type dataset struct {
	path   string
	texts  []string
	labels []string
	lines  []int // the line each row starts on
}

// maxDataErrors is how many faulty rows are listed before giving up.
const maxDataErrors = 10

// readDataset reads path (plain or gzip CSV with a header row) and the
// named columns; faulty rows are all reported, with their line numbers, as
// one usage error.
func readDataset(path, textCol, labelCol string) (*dataset, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageError{err}
	}
	defer f.Close()
	r, err := maybeGunzip(bufio.NewReader(f))
	if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, usagef("%s: empty file, no header row", path)
	} else if err != nil {
		return nil, usagef("%s: %v", path, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte-order mark some spreadsheets write
	ti, li := slices.Index(header, textCol), slices.Index(header, labelCol)
	var missing []string
	if ti < 0 {
		missing = append(missing, fmt.Sprintf("text column %q", textCol))
	}
	if li < 0 {
		missing = append(missing, fmt.Sprintf("label column %q", labelCol))
	}
	if len(missing) > 0 {
		return nil, usagef("%s: line 1: no %s; the header has %s (choose with --text-column and --label-column)",
			path, strings.Join(missing, " and no "), quoteList(header))
	}
	d := &dataset{path: path}
	var faults []string
	fault := func(line int, format string, args ...any) {
		faults = append(faults, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	for len(faults) < maxDataErrors {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			fault(pe.StartLine, "%v (broken quoting or a wrong number of columns; nothing was trained)", pe.Err)
			break
		} else if err != nil {
			return nil, usagef("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		text, label := rec[ti], strings.TrimSpace(rec[li])
		if err := triage.CheckText(text); err != nil {
			fault(line, "%v", err)
			continue
		}
		if label == "" {
			fault(line, "empty label")
			continue
		}
		d.texts, d.labels, d.lines = append(d.texts, text), append(d.labels, label), append(d.lines, line)
	}
	if len(faults) > 0 {
		more := ""
		if len(faults) == maxDataErrors {
			more = "\n(stopped after the first faults; fix these and run again)"
		}
		return nil, usagef("%s: %d faulty rows; nothing was trained:\n  %s%s", path, len(faults), strings.Join(faults, "\n  "), more)
	}
	if len(d.texts) == 0 {
		return nil, usagef("%s: no rows after the header", path)
	}
	return d, nil
}

func maybeGunzip(r *bufio.Reader) (io.Reader, error) {
	head, err := r.Peek(2)
	if err == nil && head[0] == 0x1f && head[1] == 0x8b {
		return gzip.NewReader(r)
	}
	return r, nil
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// labelCounts counts each label's rows.
func (d *dataset) labelCounts() map[string]int {
	c := map[string]int{}
	for _, l := range d.labels {
		c[l]++
	}
	return c
}
