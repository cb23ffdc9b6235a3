package audit

import (
	"bytes"
	"encoding/hex"
	"fmt"
)

// Break is the first place a chain is not what was written.
type Break struct {
	Seq    int64  `json:"seq"`    // the entry (position) found broken
	Reason string `json:"reason"` // what is wrong, in English
}

func (b *Break) Error() string { return fmt.Sprintf("audit entry %d: %s", b.Seq, b.Reason) }

// Verifier checks entries fed to it in position order.
type Verifier struct {
	prev    []byte
	seq     int64
	anchors map[int64][]byte
	broken  *Break
}

// NewVerifier returns a verifier at the start of a chain that also checks
// the chain passes through each anchor (position → hash).
func NewVerifier(anchors map[int64][]byte) *Verifier {
	return &Verifier{prev: Genesis, anchors: anchors}
}

// Add checks the next entry and reports whether the chain still holds.
// After the first break Add does nothing and returns false.
func (v *Verifier) Add(e *Entry) bool {
	if v.broken != nil {
		return false
	}
	switch {
	case e.Seq > v.seq+1:
		return v.fail(v.seq+1, fmt.Sprintf("missing (the entry after %d is %d): removed", v.seq, e.Seq))
	case e.Seq != v.seq+1:
		return v.fail(v.seq+1, fmt.Sprintf("position %d found again after %d: inserted or reordered", e.Seq, v.seq))
	}
	h := Link(v.prev, e.Digest())
	if !bytes.Equal(h, e.Hash) {
		return v.fail(e.Seq, fmt.Sprintf("hash mismatch (%s %s at %s): the entry or its hash was changed, or it was inserted",
			e.Kind, e.Subject, e.At.UTC().Format("2006-01-02T15:04:05Z")))
	}
	if want, ok := v.anchors[e.Seq]; ok && !bytes.Equal(want, h) {
		return v.fail(e.Seq, "differs from the anchor "+hex.EncodeToString(want)+": the chain was rewritten up to here")
	}
	v.prev, v.seq = h, e.Seq
	return true
}

func (v *Verifier) fail(seq int64, reason string) bool {
	v.broken = &Break{Seq: seq, Reason: reason}
	return false
}

// Seq is the position of the last entry that held.
func (v *Verifier) Seq() int64 { return v.seq }

// Hash is the hash of the last entry that held (Genesis before the first).
func (v *Verifier) Hash() []byte { return v.prev }

// Broken is the first break found, or nil.
func (v *Verifier) Broken() *Break { return v.broken }

// End checks the chain ended where the head says (seq, hash) and reached
// every anchor, and returns the first break, or nil.
func (v *Verifier) End(headSeq int64, headHash []byte) *Break {
	if v.broken != nil {
		return v.broken
	}
	switch {
	case v.seq < headSeq:
		v.fail(v.seq+1, fmt.Sprintf("missing: the chain ends at %d but its head is at %d (entries removed from the end)", v.seq, headSeq))
	case v.seq > headSeq:
		v.fail(headSeq+1, fmt.Sprintf("beyond the head at %d (entries added by hand)", headSeq))
	case !bytes.Equal(v.prev, headHash):
		v.fail(v.seq, "differs from the head's hash (the head or the last entry was changed)")
	}
	if v.broken != nil {
		return v.broken
	}
	last := int64(0)
	for seq := range v.anchors {
		last = max(last, seq)
	}
	if last > v.seq {
		v.fail(v.seq+1, fmt.Sprintf("missing: an anchor is at %d but the chain ends at %d (truncated)", last, v.seq))
	}
	return v.broken
}
