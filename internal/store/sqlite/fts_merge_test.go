package sqlite

import (
	"slices"
	"testing"
)

// TestFTSLevels decodes structure records as FTS5 writes them: SQLite's
// varints (one byte below 128, more with the high bit set), the version-2
// marker of contentless_delete tables with its eight fields a segment,
// and the older three.
func TestFTSLevels(t *testing.T) {
	for _, c := range []struct {
		in   []byte
		want uint64
		n    int
	}{{[]byte{0x05}, 5, 1}, {[]byte{0x82, 0x2c}, 300, 2}, {[]byte{0x81, 0x80, 0x00}, 16384, 3}, {[]byte{0x81}, 0, 0}} {
		if v, n := ftsVarint(c.in); v != c.want || n != c.n {
			t.Errorf("ftsVarint(% x) = %d, %d; want %d, %d", c.in, v, n, c.want, c.n)
		}
	}
	cookie := []byte{0, 0, 0, 7}
	// Two levels: one segment (id 3, pages 1–300) on level 0, two on level 1.
	v1 := append(slices.Clone(cookie), 2, 3, 9, 0, 1, 3, 1, 0x82, 0x2c, 0, 2, 1, 1, 1, 2, 2, 2)
	if got, err := ftsLevels(v1); err != nil || !slices.Equal(got, []int{1, 2}) {
		t.Errorf("version 1: %v, %v; want [1 2]", got, err)
	}
	v2 := append(slices.Clone(cookie), 0xff, 0, 0, 1, 2, 2, 9,
		0, 0, // level 0: empty
		0, 2, 1, 1, 5, 0, 0, 0, 0, 5, 2, 6, 6, 0, 0, 1, 3, 1) // level 1: two segments of eight fields
	if got, err := ftsLevels(v2); err != nil || !slices.Equal(got, []int{0, 2}) {
		t.Errorf("version 2: %v, %v; want [0 2]", got, err)
	}
	if _, err := ftsLevels(v2[:len(v2)-3]); err == nil {
		t.Error("a truncated record decoded without error")
	}
}
