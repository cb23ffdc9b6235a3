package textan

import (
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"io"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// ticketText is the shared real ticket data (see ../shared/data/README.md).
const ticketText = "../../../shared/data/ticket-text/train.csv.gz"

type labelled struct {
	text, label string
}

func readTicketText(t *testing.T) []labelled {
	t.Helper()
	f, err := os.Open(ticketText)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data: %v", err)
		}
		t.Skipf("shared data absent (%v)", err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(z)
	var out []labelled
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(out) == 0 && rec[0] == "text" {
			out = append(out, labelled{}) // header, dropped below
			continue
		}
		out = append(out, labelled{rec[0], rec[1]})
	}
	return out[1:]
}

// neighbours ranks documents for one query by the summed weight of the
// terms they share with it (higher first, then newer: a higher index),
// leaving out the query itself, and returns the first k.
type neighbours func(q int, k int) []int

// index is an inverted index over term sets.
type index struct {
	docs     [][]string
	postings map[string][]int // ascending document indexes
}

func newIndex(docs [][]string) *index {
	ix := &index{docs: docs, postings: map[string][]int{}}
	for i, d := range docs {
		for _, t := range d {
			ix.postings[t] = append(ix.postings[t], i)
		}
	}
	return ix
}

// rank scores documents holding the given terms with weight(term) each,
// times norm(document) (nil: 1), reading at most perTerm newest postings of
// a term (0: all).
func (ix *index) rank(q int, terms []string, weight func(string) float64, norm func(int) float64, perTerm, k int) []int {
	score := map[int]float64{}
	for _, t := range terms {
		p := ix.postings[t]
		if perTerm > 0 && len(p) > perTerm {
			p = p[len(p)-perTerm:]
		}
		for _, d := range p {
			if d != q {
				score[d] += weight(t)
			}
		}
	}
	ids := make([]int, 0, len(score))
	for d := range score {
		if norm != nil {
			score[d] *= norm(d)
		}
		ids = append(ids, d)
	}
	slices.SortFunc(ids, func(a, b int) int { return cmp.Or(cmp.Compare(score[b], score[a]), cmp.Compare(b, a)) })
	return ids[:min(k, len(ids))]
}

// TestSimilarPrecision measures precision@5 of similar tickets on the
// shared ticket-text data: for 1,000 sampled tickets, the share of their 5
// nearest neighbours among all the others that have the same category.
// The figures go to docs/benchmarks.md; run with -v to see them. It checks
// only that the analysis beats the plain-word baseline. It takes about a
// minute of CPU, so it runs only with TIERDESK_EVAL=1.
func TestSimilarPrecision(t *testing.T) {
	if os.Getenv("TIERDESK_EVAL") == "" {
		t.Skip("set TIERDESK_EVAL=1 to measure precision@5 on the shared ticket text")
	}
	data := readTicketText(t)
	n := len(data)
	stems, words := make([][]string, n), make([][]string, n)
	for i, d := range data {
		stems[i] = Distinct(Terms(d.text))
		words[i] = Distinct(strings.Fields(strings.ToLower(d.text)))
	}
	six, wix := newIndex(stems), newIndex(words)
	idf := func(t string) float64 { return IDF(n, len(six.postings[t])) }
	norm := func(d int) float64 { return LengthNorm(utf8.RuneCountInString(data[d].text)) }
	methods := []struct {
		name string
		nn   neighbours
	}{
		{"plain words, count shared (baseline)", func(q, k int) []int {
			return wix.rank(q, words[q], func(string) float64 { return 1 }, nil, 0, k)
		}},
		{"textan stems, IDF, exhaustive", func(q, k int) []int { return six.rank(q, stems[q], idf, nil, 0, k) }},
		{"textan stems, IDF, length norm, exhaustive", func(q, k int) []int { return six.rank(q, stems[q], idf, norm, 0, k) }},
		{"as the desk: first 16 terms, newest 300 each, IDF, length norm", func(q, k int) []int {
			return six.rank(q, stems[q][:min(16, len(stems[q]))], idf, norm, 300, k)
		}},
	}
	rng := rand.New(rand.NewPCG(13, 13))
	sample := rng.Perm(n)[:1000]
	counts := map[string]int{}
	for _, d := range data {
		counts[d.label]++
	}
	var chance float64
	for _, c := range counts {
		chance += float64(c) * float64(c) / float64(n) / float64(n)
	}
	t.Logf("%d tickets, %d categories; chance (random neighbours) %.4f", n, len(counts), chance)
	var got []float64
	for _, m := range methods {
		same, all := 0, 0
		for _, q := range sample {
			for _, d := range m.nn(q, 5) {
				all++
				if data[d].label == data[q].label {
					same++
				}
			}
		}
		p := float64(same) / float64(len(sample)*5)
		got = append(got, p)
		t.Logf("precision@5 %.4f  %s (%d neighbours found)", p, m.name, all)
	}
	if got[2] <= got[0] || got[3] <= got[0] {
		t.Errorf("the analysis does not beat the baseline: %v", got)
	}
}
