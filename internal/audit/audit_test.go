package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
)

// chain returns n chained entries.
func chain(n int) []audit.Entry {
	prev := audit.Genesis
	out := make([]audit.Entry, n)
	for i := range out {
		out[i] = audit.Entry{At: time.UnixMicro(int64(1e15 + i)), ActorID: int64(i % 3), Kind: "ticket.update",
			Subject: audit.Subject("ticket", int64(i)), Detail: `{"events":["commented"]}`}
		prev = out[i].Chain(int64(i), prev)
	}
	return out
}

func TestVerifier(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func([]audit.Entry) []audit.Entry
		broken int64 // 0: holds
	}{
		{"intact", func(es []audit.Entry) []audit.Entry { return es }, 0},
		{"detail changed", func(es []audit.Entry) []audit.Entry { es[4].Detail = "{}"; return es }, 5},
		{"actor changed", func(es []audit.Entry) []audit.Entry { es[2].ActorID = 99; return es }, 3},
		{"time changed", func(es []audit.Entry) []audit.Entry { es[0].At = es[0].At.Add(time.Microsecond); return es }, 1},
		{"kind changed", func(es []audit.Entry) []audit.Entry { es[6].Kind = "ticket.create"; return es }, 7},
		{"hash changed", func(es []audit.Entry) []audit.Entry { es[3].Hash = append([]byte{}, es[2].Hash...); return es }, 4},
		{"removed", func(es []audit.Entry) []audit.Entry { return append(es[:5:5], es[6:]...) }, 6},
		{"inserted", func(es []audit.Entry) []audit.Entry {
			x := es[3]
			x.Detail = `{"forged":true}`
			return append(append(es[:4:4], x), es[4:]...)
		}, 5},
		// Moving a field's bytes into its neighbour keeps the concatenation:
		// the lengths in the canonical encoding tell them apart.
		{"boundary moved", func(es []audit.Entry) []audit.Entry {
			es[1].Kind, es[1].Subject = es[1].Kind+es[1].Subject[:1], es[1].Subject[1:]
			return es
		}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := tc.tamper(chain(10))
			v := audit.NewVerifier(nil)
			for i := range es {
				v.Add(&es[i])
			}
			b := v.End(es[len(es)-1].Seq, es[len(es)-1].Hash)
			switch {
			case tc.broken == 0 && b != nil:
				t.Fatalf("intact chain reported broken: %v", b)
			case tc.broken != 0 && b == nil:
				t.Fatal("tampering not detected")
			case tc.broken != 0 && b.Seq != tc.broken:
				t.Fatalf("broken at %d (%s), want %d", b.Seq, b.Reason, tc.broken)
			}
		})
	}
}

// TestVerifier_Head: every entry intact, but the head (the stored position
// and hash the chain must end at) says otherwise — the last entry was
// replaced together with its hash, or the head row was edited.
func TestVerifier_Head(t *testing.T) {
	es := chain(10)
	v := audit.NewVerifier(nil)
	for i := range es {
		v.Add(&es[i])
	}
	if b := v.End(10, es[8].Hash); b == nil || b.Seq != 10 || !strings.Contains(b.Reason, "head") {
		t.Fatalf("a head whose hash is not the last entry's: %v", b)
	}
}

func TestVerifier_Anchor(t *testing.T) {
	es := chain(10)
	anchor := map[int64][]byte{8: es[7].Hash}
	// Truncated after the anchor, head moved back: only the anchor knows.
	v := audit.NewVerifier(anchor)
	for i := range es[:6] {
		v.Add(&es[i])
	}
	if b := v.End(6, es[5].Hash); b == nil || !strings.Contains(b.Reason, "truncated") {
		t.Fatalf("truncation past an anchor: %v", b)
	}
	// Only the anchored entry itself removed from the end, head moved back
	// one: the chain stops one short of the anchor, which still tells.
	v = audit.NewVerifier(anchor)
	for i := range es[:7] {
		v.Add(&es[i])
	}
	if b := v.End(7, es[6].Hash); b == nil || b.Seq != 8 || !strings.Contains(b.Reason, "truncated") {
		t.Fatalf("the anchored entry removed from the end: %v", b)
	}
	// Rewritten from entry 3 on, hashes recomputed: the anchor's differs.
	re := chain(10)
	re[2].Detail = `{"rewritten":true}`
	prev := re[1].Hash
	for i := 2; i < len(re); i++ {
		prev = re[i].Chain(int64(i), prev)
	}
	v = audit.NewVerifier(anchor)
	for i := range re {
		v.Add(&re[i])
	}
	if b := v.End(10, re[9].Hash); b == nil || b.Seq != 8 {
		t.Fatalf("rewrite before an anchor: %v", b)
	}
}

func TestDetail(t *testing.T) {
	got := audit.Detail("z", "1", "a", 2, "empty", "", "none", nil, "list", []string{}, "ids", []int64{3})
	if want := `{"a":2,"ids":[3],"z":"1"}`; got != want {
		t.Fatalf("Detail = %s, want %s", got, want)
	}
}

func TestParseAnchor(t *testing.T) {
	for _, bad := range []string{`nonsense`, `{"seq":3,"hash":"abcd"}`, `{"seq":-1,"hash":"` + strings.Repeat("00", 32) + `"}`} {
		if _, err := audit.ParseAnchor([]byte(bad)); err == nil {
			t.Errorf("ParseAnchor(%s) accepted", bad)
		}
	}
	a := audit.NewAnchor(7, chain(1)[0].Hash, time.Now())
	b, _ := jsonOf(a)
	if got, err := audit.ParseAnchor(b); err != nil || got.Seq != 7 || got.Hash != a.Hash {
		t.Fatalf("round trip: %+v %v", got, err)
	}
}
