package backup

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Rows are archived one JSON array per line, values in the table's column
// order: null, numbers for integers, true/false, strings, and tagged
// objects for what JSON cannot tell apart: {"b": base64} for bytes,
// {"f": "1.5"} for floats, {"t": microseconds} for timestamps.

func rowsFile(table string) string { return "tables/" + table + ".jsonl" }

// dumpTable writes t's rows from src into the file name, returning their
// digest.
func dumpTable(ctx context.Context, src Source, t Table, name string) (Digest, error) {
	var d Digest
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return d, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	var line []byte
	err = src.Scan(ctx, t, minKey, func(vals []any) error {
		d.Add(vals)
		line, err = appendRow(line[:0], vals)
		if err != nil {
			return fmt.Errorf("archive %s: %w", t.Name, err)
		}
		_, err = w.Write(line)
		return err
	})
	if err == nil {
		err = w.Flush()
	}
	return d, err
}

func appendRow(b []byte, vals []any) ([]byte, error) {
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch x := v.(type) {
		case []byte:
			b = append(append(append(b, `{"b":"`...), base64.StdEncoding.EncodeToString(x)...), `"}`...)
		case float64:
			b = append(strconv.AppendFloat(append(b, `{"f":"`...), x, 'g', -1, 64), `"}`...)
		case time.Time:
			b = append(strconv.AppendInt(append(b, `{"t":`...), x.UnixMicro(), 10), '}')
		default:
			enc, err := json.Marshal(x)
			if err != nil {
				return nil, err
			}
			b = append(b, enc...)
		}
	}
	return append(b, ']', '\n'), nil
}

func decodeRow(line []byte, n int) ([]any, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, err
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%d values, want %d", len(raw), n)
	}
	vals := make([]any, n)
	for i, r := range raw {
		v, err := decodeValue(r)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

func decodeValue(r json.RawMessage) (any, error) {
	switch {
	case len(r) == 0:
		return nil, fmt.Errorf("empty value")
	case r[0] == 'n':
		return nil, nil
	case r[0] == 't' || r[0] == 'f':
		return r[0] == 't', nil
	case r[0] == '"':
		var s string
		err := json.Unmarshal(r, &s)
		return s, err
	case r[0] == '{':
		var tag struct {
			B *string `json:"b"`
			F *string `json:"f"`
			T *int64  `json:"t"`
		}
		if err := json.Unmarshal(r, &tag); err != nil {
			return nil, err
		}
		switch {
		case tag.B != nil:
			return base64.StdEncoding.DecodeString(*tag.B)
		case tag.F != nil:
			return strconv.ParseFloat(*tag.F, 64)
		case tag.T != nil:
			return time.UnixMicro(*tag.T).UTC(), nil
		}
		return nil, fmt.Errorf("unknown value %s", r)
	}
	return strconv.ParseInt(string(r), 10, 64)
}

// archiveSource reads the rows of an extracted "rows" archive.
type archiveSource struct {
	dir string
	m   *Manifest
}

func (s *archiveSource) Dialect() string   { return s.m.Dialect }
func (s *archiveSource) Versions() []int64 { return s.m.Versions }
func (s *archiveSource) Tables() []Table   { return s.m.Tables }
func (s *archiveSource) Close() error      { return nil }

func (s *archiveSource) Scan(ctx context.Context, t Table, after int64, fn func([]any) error) error {
	f, err := os.Open(filepath.Join(s.dir, filepath.FromSlash(rowsFile(t.Name))))
	if err != nil {
		return err
	}
	defer f.Close()
	keyAt := -1
	for i, c := range t.Columns {
		if c.Name == t.Key {
			keyAt = i
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	for line := 1; sc.Scan(); line++ {
		if line%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		vals, err := decodeRow(bytes.TrimSpace(sc.Bytes()), len(t.Columns))
		if err != nil {
			return damaged("%s line %d: %v", rowsFile(t.Name), line, err)
		}
		if keyAt >= 0 && toInt64(vals[keyAt]) <= after {
			continue
		}
		if err := fn(vals); err != nil {
			return err
		}
	}
	return sc.Err()
}
