package backup

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Digest is a table's row count and a hash of its rows that depends
// neither on their order nor on the database they were read from: the sum
// (mod 2^64, in four lanes) of each row's SHA-256 over canonical values.
// Booleans count as 0/1, text and bytes alike as their bytes, so a row
// reads the same from SQLite and from PostgreSQL.
type Digest struct {
	Rows int64     `json:"rows"`
	sum  [4]uint64 // lanes of the summed row hashes
}

// Add adds one row.
func (d *Digest) Add(vals []any) {
	h := sha256.New()
	var buf []byte
	for _, v := range vals {
		buf = appendCanonical(buf[:0], v)
		h.Write(buf)
	}
	var sum [32]byte
	h.Sum(sum[:0])
	for i := range d.sum {
		d.sum[i] += binary.BigEndian.Uint64(sum[i*8:])
	}
	d.Rows++
}

// Hash is the digest's hash in hex.
func (d Digest) Hash() string {
	var b [32]byte
	for i, v := range d.sum {
		binary.BigEndian.PutUint64(b[i*8:], v)
	}
	return hex.EncodeToString(b[:])
}

// Equal reports whether two digests describe the same rows.
func (d Digest) Equal(o Digest) bool { return d.Rows == o.Rows && d.sum == o.sum }

// TableDigest is a digest as written into a manifest.
type TableDigest struct {
	Rows int64  `json:"rows"`
	Hash string `json:"hash"`
}

func (d Digest) record() TableDigest { return TableDigest{Rows: d.Rows, Hash: d.Hash()} }

// appendCanonical appends a self-delimiting encoding of v.
func appendCanonical(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'N')
	case int64:
		return strconv.AppendInt(append(b, 'i'), x, 10)
	case int32:
		return strconv.AppendInt(append(b, 'i'), int64(x), 10)
	case int:
		return strconv.AppendInt(append(b, 'i'), int64(x), 10)
	case bool:
		if x {
			return append(b, 'i', '1')
		}
		return append(b, 'i', '0')
	case float64:
		return strconv.AppendFloat(append(b, 'f'), x, 'g', -1, 64)
	case string:
		b = strconv.AppendInt(append(b, 's'), int64(len(x)), 10)
		return append(append(b, ':'), x...)
	case []byte:
		b = strconv.AppendInt(append(b, 's'), int64(len(x)), 10)
		return append(append(b, ':'), x...)
	case time.Time:
		return strconv.AppendInt(append(b, 't'), x.UnixMicro(), 10)
	}
	return append(b, fmt.Sprintf("?%T:%v", v, v)...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
