// Package audit owns the desk's tamper-evident audit log: the entry, its
// canonical encoding, the hash chain that links each entry to the one
// before, anchors (a chain position and its hash, kept outside the
// database by an administrator) and the verification of a stored chain.
//
// Each entry's hash is SHA-256(previous hash || SHA-256(canonical entry)),
// starting from 32 zero bytes. The canonical entry (Canonical) covers its
// position, time, actor, kind, subject and detail, so changing any of them,
// removing an entry or slipping one in breaks the chain at that position;
// rewriting the whole chain after some position is caught by an anchor
// taken before the rewrite.
//
// Writes append entries through internal/store/sqlstore in the same
// transaction as the change they record (Store.Audit for packages with SQL
// of their own). Entries never hold secrets: no password or its hash, no
// token or session value.
package audit

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// HashSize is the length of an entry's hash.
const HashSize = sha256.Size

// Genesis is the "previous hash" of the first entry.
var Genesis = make([]byte, HashSize)

// Entry is one audited write.
type Entry struct {
	Seq     int64     // position in the chain, from 1; 0 until chained
	At      time.Time // when the write happened (microseconds)
	ActorID int64     // who wrote; 0 for the desk itself or no one signed in
	Kind    string    // what happened: ticket.create, user.update, auth.signin …
	Subject string    // what it happened to: ticket/42, user/7, setting/matrix …
	Detail  string    // a JSON object with what changed, never a secret
	Hash    []byte    // the chain hash; nil until chained
	// Redacted is set on a listed entry whose Detail was withheld from the
	// reader (Service.List); never stored, not part of the chain.
	Redacted bool
}

// canonicalTag starts every canonical entry, naming the encoding's version.
const canonicalTag = "tierdesk.audit.v1\x00"

// Canonical appends e's canonical encoding to buf: the tag, Seq, At in unix
// microseconds and ActorID as 8-byte big-endian integers, then Kind,
// Subject and Detail each as a 4-byte big-endian length and its bytes.
func (e *Entry) Canonical(buf []byte) []byte {
	buf = append(buf, canonicalTag...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.Seq))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.At.UnixMicro()))
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.ActorID))
	for _, s := range []string{e.Kind, e.Subject, e.Detail} {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

// Digest returns the SHA-256 of e's canonical encoding.
func (e *Entry) Digest() [HashSize]byte {
	var buf [256]byte
	return sha256.Sum256(e.Canonical(buf[:0]))
}

// Link returns the chain hash of an entry with digest d after prev.
func Link(prev []byte, d [HashSize]byte) []byte {
	var buf [2 * HashSize]byte
	copy(buf[:], prev)
	copy(buf[HashSize:], d[:])
	h := sha256.Sum256(buf[:])
	return h[:]
}

// Chain sets e.Seq to the position after seq and e.Hash to its chain hash
// after prev, and returns the hash.
func (e *Entry) Chain(seq int64, prev []byte) []byte {
	e.Seq = seq + 1
	e.Hash = Link(prev, e.Digest())
	return e.Hash
}

// Detail returns a JSON object of the pairs (key, value, key, value …),
// keys sorted, for Entry.Detail. Values are strings, numbers, booleans,
// slices or nil; a nil value, an empty string or an empty slice is left
// out.
func Detail(kv ...any) string {
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		switch v := kv[i+1].(type) {
		case nil:
		case string:
			if v != "" {
				m[k] = v
			}
		case []string:
			if len(v) > 0 {
				m[k] = v
			}
		case []int64:
			if len(v) > 0 {
				m[k] = v
			}
		default:
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return "{}"
	}
	return string(b)
}

// Subject returns "kind/id", the subject of an entry about a record.
func Subject(kind string, id int64) string { return fmt.Sprintf("%s/%d", kind, id) }

// Anchor is a chain position and its hash at a moment: kept outside the
// database, it proves that the entries up to Seq are the ones it was taken
// over, and that the chain did not end before Seq.
type Anchor struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"` // hex
	At   time.Time `json:"at"`
}

// NewAnchor returns the anchor of the entry at seq with hash.
func NewAnchor(seq int64, hash []byte, at time.Time) Anchor {
	return Anchor{Seq: seq, Hash: hex.EncodeToString(hash), At: at.UTC()}
}

// ParseAnchor reads an anchor written by export-anchor (JSON).
func ParseAnchor(b []byte) (*Anchor, error) {
	var a Anchor
	if err := json.Unmarshal(b, &a); err != nil {
		return nil, fmt.Errorf("read anchor: %w", err)
	}
	h, err := hex.DecodeString(a.Hash)
	if err != nil || len(h) != HashSize || a.Seq < 0 {
		return nil, fmt.Errorf("read anchor: want a position and a %d-byte hex hash", HashSize)
	}
	return &a, nil
}

// Filter selects entries of the log. Nil pointers and empty strings do not
// filter.
type Filter struct {
	ActorID *int64
	// Kind is one kind (ticket.create), or a family when it ends with a
	// dot (ticket.).
	Kind    string
	Subject string     // ticket/42
	From    *time.Time // inclusive
	To      *time.Time // exclusive
	Cursor  string     // from Page.NextCursor
	Limit   int
}

// Page is one page of entries, newest first.
type Page struct {
	Entries    []*Entry
	NextCursor string // empty on the last page
}
