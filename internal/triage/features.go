package triage

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/textan"
)

// MaxAnalysed is how much of a text (bytes) the model reads; the rest of a
// longer text is ignored, so a suggestion takes the same bounded time for a
// pasted log as for a sentence.
const MaxAnalysed = 16 << 10

// Feature groups: each is weighted by TF-IDF and normalised on its own, so
// that the thousands of character n-grams do not drown the words.
const (
	groupWord   = iota // a word's stem
	groupBigram        // two neighbouring words
	groupChar          // a character n-gram of one word, with its boundaries
	numGroups
)

// features are the hashed counts of one text, per group, sorted by index.
type features struct {
	idx [numGroups][]uint32
	cnt [numGroups][]float32
}

// extractor turns texts into hashed features; it holds scratch space, so
// one is used by one goroutine at a time.
type extractor struct {
	cfg     Config
	mask    uint32
	words   []string // terms (stems)
	surface []string // the words as written, normalised
	scratch [numGroups][]uint32
	runes   []rune
}

func newExtractor(cfg Config) *extractor {
	return &extractor{cfg: cfg, mask: uint32(1)<<cfg.Bits - 1}
}

// appendTerms appends the terms the model reads in text (at most its
// first MaxAnalysed bytes) to terms and their surface forms to surface.
// Both are the shared analysis' tokens as written (normalised: case, ё,
// NFKC; ticket numbers and e-mail addresses whole), stop words included:
// the model weighs every word itself. Stems are not used: with the
// character n-grams beside them they cost 0.3-0.6 points of accuracy on
// the shared ticket-text data (docs/benchmarks.md), and the n-grams
// already join a word's forms in either language.
func appendTerms(terms, surface []string, text string) ([]string, []string) {
	if len(text) > MaxAnalysed {
		text = strings.ToValidUTF8(text[:MaxAnalysed], "")
	}
	for _, t := range textan.Analyze(text) {
		terms, surface = append(terms, t.Text), append(surface, t.Text)
	}
	return terms, surface
}

// extract returns the hashed features of text.
func (e *extractor) extract(text string) features {
	e.words, e.surface = appendTerms(e.words[:0], e.surface[:0], text)
	for g := range e.scratch {
		e.scratch[g] = e.scratch[g][:0]
	}
	for i, w := range e.words {
		e.scratch[groupWord] = append(e.scratch[groupWord], hashStr(groupWord, w, "")&e.mask)
		if e.cfg.WordNgrams > 1 && i > 0 {
			e.scratch[groupBigram] = append(e.scratch[groupBigram], hashStr(groupBigram, e.words[i-1], w)&e.mask)
		}
		e.scratch[groupChar] = e.appendCharGrams(e.scratch[groupChar], e.surface[i])
	}
	var f features
	for g := range e.scratch {
		f.idx[g], f.cnt[g] = countSorted(e.scratch[g])
	}
	return f
}

// appendCharGrams adds the character n-grams of " word " (CharMin to
// CharMax runes long) to dst.
func (e *extractor) appendCharGrams(dst []uint32, w string) []uint32 {
	if e.cfg.CharMax == 0 {
		return dst
	}
	e.runes = append(e.runes[:0], ' ')
	for _, r := range w {
		e.runes = append(e.runes, r)
	}
	e.runes = append(e.runes, ' ')
	rs := e.runes
	for n := e.cfg.CharMin; n <= e.cfg.CharMax; n++ {
		for i := 0; i+n <= len(rs); i++ {
			dst = append(dst, hashRunes(rs[i:i+n])&e.mask)
		}
	}
	return dst
}

// countSorted sorts idx in place and returns each distinct index with its
// count.
func countSorted(idx []uint32) ([]uint32, []float32) {
	if len(idx) == 0 {
		return nil, nil
	}
	slices.Sort(idx)
	out := make([]uint32, 0, len(idx))
	cnt := make([]float32, 0, len(idx))
	for _, x := range idx {
		if n := len(out); n > 0 && out[n-1] == x {
			cnt[n-1]++
			continue
		}
		out = append(out, x)
		cnt = append(cnt, 1)
	}
	return out, cnt
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashStr(group byte, a, b string) uint32 {
	h := uint64(fnvOffset)
	h = (h ^ uint64(group)) * fnvPrime
	for i := 0; i < len(a); i++ {
		h = (h ^ uint64(a[i])) * fnvPrime
	}
	if b != "" {
		h = (h ^ 0xff) * fnvPrime
		for i := 0; i < len(b); i++ {
			h = (h ^ uint64(b[i])) * fnvPrime
		}
	}
	return fold(h)
}

func hashRunes(rs []rune) uint32 {
	h := uint64(fnvOffset)
	h = (h ^ groupChar) * fnvPrime
	var buf [utf8.UTFMax]byte
	for _, r := range rs {
		n := utf8.EncodeRune(buf[:], r)
		for _, c := range buf[:n] {
			h = (h ^ uint64(c)) * fnvPrime
		}
	}
	return fold(h)
}

// fold mixes the 64-bit hash down to 32 bits (the low bits of FNV alone
// spread short strings poorly).
func fold(h uint64) uint32 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return uint32(h)
}

// vector is a weighted, normalised sparse feature vector.
type vector struct {
	idx []uint32
	val []float32
}

// weigh turns counts into sublinear TF-IDF, each group scaled to the
// length of its weight in cfg, appended to v.
func weigh(f *features, idf []float32, cfg *Config, v *vector) {
	v.idx, v.val = v.idx[:0], v.val[:0]
	for g := 0; g < numGroups; g++ {
		gw := cfg.groupWeight(g)
		if gw == 0 || len(f.idx[g]) == 0 {
			continue
		}
		start := len(v.val)
		var norm float64
		for j, x := range f.idx[g] {
			w := (1 + float32(math.Log(float64(f.cnt[g][j])))) * idf[x]
			v.idx = append(v.idx, x)
			v.val = append(v.val, w)
			norm += float64(w) * float64(w)
		}
		if norm == 0 {
			continue
		}
		s := float32(gw / math.Sqrt(norm))
		for j := start; j < len(v.val); j++ {
			v.val[j] *= s
		}
	}
}
