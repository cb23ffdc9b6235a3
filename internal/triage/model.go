package triage

import (
	"cmp"
	"github.com/tierdesk/tierdesk/internal/textan"
	"math"
	"slices"
	"sync"
)

// Model is a trained classifier: the shared weighting of words and one
// linear model per field. It is safe for concurrent use.
type Model struct {
	cfg   Config
	slot  []int32   // bucket -> row, -1 for a bucket no training text used
	idf   []float32 // per row
	heads []head
	pool  sync.Pool // *extractor
}

type head struct {
	field  string
	labels []string
	w      []float32 // row-major: w[row*K+k]
	b      []float32
	temp   float32  // softmax temperature of the confidence
	net    *mlpHead // the network blended with the SVM, or nil
	blend  float64  // the network's share of the confidence
}

// compact keeps the buckets some training text used.
func (m *Model) compact(idf []float32) {
	m.slot = make([]int32, len(idf))
	for x, v := range idf {
		if v == 0 {
			m.slot[x] = -1
			continue
		}
		m.slot[x] = int32(len(m.idf))
		m.idf = append(m.idf, v)
	}
}

func (m *Model) compactHead(d denseHead) head {
	K := len(d.labels)
	h := head{field: d.field, labels: d.labels, b: d.b, temp: 1, w: make([]float32, len(m.idf)*K)}
	for x, r := range m.slot {
		if r >= 0 {
			copy(h.w[int(r)*K:int(r)*K+K], d.w[x*K:x*K+K])
		}
	}
	return h
}

// Config returns the configuration the model was trained with.
func (m *Model) Config() Config { return m.cfg }

// Fields names the fields the model suggests, in training order.
func (m *Model) Fields() []string {
	out := make([]string, len(m.heads))
	for i, h := range m.heads {
		out[i] = h.field
	}
	return out
}

// Labels returns the labels the model knows for a field (nil for a field it
// does not suggest), sorted.
func (m *Model) Labels(field string) []string {
	if h := m.head(field); h != nil {
		return slices.Clone(h.labels)
	}
	return nil
}

func (m *Model) head(field string) *head {
	for i := range m.heads {
		if m.heads[i].field == field {
			return &m.heads[i]
		}
	}
	return nil
}

// Reason is a word that weighed for a suggestion: how much it moved the
// chosen label's score above the average label's.
type Reason struct {
	Word   string  `json:"word"`
	Weight float64 `json:"weight"`
}

// Suggestion is the model's choice for one field.
type Suggestion struct {
	Field      string   `json:"field"`
	Label      string   `json:"label"`      // "" when the model learnt no word of the text
	Confidence float64  `json:"confidence"` // 0 to 1
	Reasons    []Reason `json:"reasons,omitempty"`
}

// analysed is a text read by the model: its vector in rows (unknown buckets
// dropped) and the words it was made of.
type analysed struct {
	vec     vector   // idx are rows
	words   []string // terms
	surface []string // the words as written
	f       features
}

// knowsWord reports whether the model learnt any whole word of the text:
// shared character n-grams alone are too weak a ground to suggest on.
func (a *analysed) knowsWord() bool { return len(a.f.idx[groupWord]) > 0 }

func (m *Model) analyse(text string) *analysed {
	e, _ := m.pool.Get().(*extractor)
	if e == nil {
		e = newExtractor(m.cfg)
	}
	f := e.extract(text)
	words, surface := slices.Clone(e.words), slices.Clone(e.surface)
	m.pool.Put(e)
	// Drop unknown buckets before weighing, as a vocabulary would.
	for g := range f.idx {
		n := 0
		for j, x := range f.idx[g] {
			if m.slot[x] >= 0 {
				f.idx[g][n], f.cnt[g][n] = x, f.cnt[g][j]
				n++
			}
		}
		f.idx[g], f.cnt[g] = f.idx[g][:n], f.cnt[g][:n]
	}
	a := &analysed{words: words, surface: surface, f: f}
	weighRows(&f, m.slot, m.idf, &m.cfg, &a.vec)
	return a
}

// weighRows is weigh for a compacted model: features are known buckets,
// looked up through slot.
func weighRows(f *features, slot []int32, idf []float32, cfg *Config, v *vector) {
	var tmp features
	for g := range f.idx {
		tmp.cnt[g] = f.cnt[g]
		tmp.idx[g] = make([]uint32, len(f.idx[g]))
		for j, x := range f.idx[g] {
			tmp.idx[g][j] = uint32(slot[x])
		}
	}
	weigh(&tmp, idf, cfg, v)
}

// scores returns the head's raw score of every label.
func (h *head) scores(v *vector) []float64 {
	K := len(h.labels)
	s := make([]float64, K)
	for k := range s {
		s[k] = float64(h.b[k])
	}
	for j, r := range v.idx {
		row := h.w[int(r)*K : int(r)*K+K]
		val := float64(v.val[j])
		for k := range s {
			s[k] += val * float64(row[k])
		}
	}
	return s
}

// probs turns scores into confidences by a softmax at the head's
// temperature.
func (h *head) probs(s []float64) []float64 {
	p := make([]float64, len(s))
	top := slices.Max(s)
	var sum float64
	for k, v := range s {
		p[k] = math.Exp((v - top) / float64(h.temp))
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

// confidences returns the confidence in every label: the SVM's, or with
// a network, the SVM's (at netSVMTemp) and the network's blended.
func (h *head) confidences(v *vector) []float64 {
	s := h.scores(v)
	if h.net == nil {
		return h.probs(s)
	}
	q := h.net.probs(v, len(h.labels))
	top := slices.Max(s)
	var sum float64
	for k, x := range s {
		s[k] = math.Exp((x - top) / netSVMTemp)
		sum += s[k]
	}
	for k := range s {
		s[k] = (1-h.blend)*s[k]/sum + h.blend*float64(q[k])
	}
	return s
}

// Predict returns the index of the best label of field for text (into
// Labels(field)) and the confidence of every label; -1 when the model
// knows no word of the text or does not suggest field.
func (m *Model) Predict(field, text string) (int, []float64) {
	h := m.head(field)
	if h == nil {
		return -1, nil
	}
	a := m.analyse(text)
	if !a.knowsWord() {
		return -1, nil
	}
	p := h.confidences(&a.vec)
	best := 0
	for k := range p {
		if p[k] > p[best] {
			best = k
		}
	}
	return best, p
}

// Suggest returns a suggestion for every field the model knows, each with
// at most reasons words that weighed most for it.
func (m *Model) Suggest(text string, reasons int) []Suggestion {
	a := m.analyse(text)
	out := make([]Suggestion, 0, len(m.heads))
	for i := range m.heads {
		h := &m.heads[i]
		s := Suggestion{Field: h.field}
		if a.knowsWord() {
			p := h.confidences(&a.vec)
			best := 0
			for k := range p {
				if p[k] > p[best] {
					best = k
				}
			}
			s.Label, s.Confidence = h.labels[best], p[best]
			s.Reasons = m.explain(a, h, best, reasons)
		}
		out = append(out, s)
	}
	return out
}

// explain attributes the score of label k (above the average label) to
// the words of the text: a word's own weight, its character n-grams and
// half of each pair it is in, each feature shared among its occurrences.
func (m *Model) explain(a *analysed, h *head, k, n int) []Reason {
	if n <= 0 {
		return nil
	}
	K := len(h.labels)
	contrib := make(map[uint32]float64, len(a.vec.idx)) // row -> contribution per occurrence
	j := 0
	for g := range a.f.idx {
		for c, x := range a.f.idx[g] {
			r := uint32(m.slot[x])
			row := h.w[int(r)*K : int(r)*K+K]
			var mean float64
			for _, v := range row {
				mean += float64(v)
			}
			mean /= float64(K)
			key := uint32(g)<<30 ^ r
			contrib[key] += float64(a.vec.val[j]) * (float64(row[k]) - mean) / float64(a.f.cnt[g][c])
			j++
		}
	}
	byWord := map[string]float64{} // by term
	shown := map[string]string{}   // term -> its first surface form
	e := newExtractor(m.cfg)
	lookup := func(g int, x uint32) float64 {
		r := m.slot[x&e.mask]
		if r < 0 {
			return 0
		}
		return contrib[uint32(g)<<30^uint32(r)]
	}
	for i, w := range a.words {
		if _, ok := shown[w]; !ok {
			shown[w] = a.surface[i]
		}
		byWord[w] += lookup(groupWord, hashStr(groupWord, w, ""))
		if m.cfg.WordNgrams > 1 && i > 0 {
			half := lookup(groupBigram, hashStr(groupBigram, a.words[i-1], w)) / 2
			byWord[w] += half
			byWord[a.words[i-1]] += half
		}
		for _, x := range e.appendCharGrams(nil, a.surface[i]) {
			byWord[w] += lookup(groupChar, x)
		}
	}
	var out []Reason
	for w, v := range byWord {
		// A stop word ("в", "the") may weigh, but explains nothing to a reader.
		if v > 0 && !textan.IsStopWord(w) {
			out = append(out, Reason{Word: shown[w], Weight: math.Round(v*1000) / 1000})
		}
	}
	slices.SortFunc(out, func(x, y Reason) int {
		return cmp.Or(cmp.Compare(y.Weight, x.Weight), cmp.Compare(x.Word, y.Word))
	})
	return out[:min(n, len(out))]
}
