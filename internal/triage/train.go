package triage

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// Field is one thing to learn to suggest: Labels[i] is the label of the
// i-th text, or "" where that text has none (it then only helps to weigh
// words).
type Field struct {
	Name   string
	Labels []string
}

// ErrTooFewLabels is returned for a field with fewer than two labels: there
// is nothing to choose between.
var ErrTooFewLabels = errors.New("fewer than two different labels")

// Train learns one linear model per field from texts. The same
// configuration, texts and labels give the same model, bit for bit.
func Train(cfg Config, texts []string, fields []Field) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, errors.New("no field to learn")
	}
	for _, f := range fields {
		if len(f.Labels) != len(texts) {
			return nil, fmt.Errorf("field %s: %d labels for %d texts", f.Name, len(f.Labels), len(texts))
		}
	}
	feats := extractAll(cfg, texts)
	idf := fitIDF(cfg, feats)
	vecs := make([]vector, len(feats))
	for i := range feats {
		weigh(&feats[i], idf, &cfg, &vecs[i])
	}
	m := &Model{cfg: cfg}
	m.compact(idf)
	rows := m.rowVectors(vecs)
	for _, f := range fields {
		h, err := m.trainHead(vecs, rows, f)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		m.heads = append(m.heads, h)
	}
	return m, nil
}

// rowVectors returns vecs over the model's rows instead of buckets, which
// the network is trained on (nil when the model has no network).
func (m *Model) rowVectors(vecs []vector) []vector {
	if m.cfg.Hidden == 0 {
		return nil
	}
	rows := make([]vector, len(vecs))
	for i, v := range vecs {
		for j, x := range v.idx {
			if r := m.slot[x]; r >= 0 { // not one dropped by MinDF
				rows[i].idx, rows[i].val = append(rows[i].idx, uint32(r)), append(rows[i].val, v.val[j])
			}
		}
	}
	return rows
}

// trainHead trains a field's SVM and, with a network, the network at
// the same time on another core.
func (m *Model) trainHead(vecs, rows []vector, f Field) (head, error) {
	var net *mlpHead
	var wg sync.WaitGroup
	if rows != nil {
		labels := distinct(f.Labels)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if len(labels) >= 2 {
				xs, ys := labelled(rows, f.Labels, labels)
				n := trainMLP(m.cfg, len(m.idf), xs, ys, len(labels))
				net = &n
			}
		}()
	}
	d, err := trainField(m.cfg, vecs, f)
	wg.Wait()
	if err != nil {
		return head{}, err
	}
	h := m.compactHead(d)
	h.net, h.blend = net, m.cfg.NetBlend
	return h, nil
}

// labelled returns the vectors that have a label and the label's index
// in labels.
func labelled(vecs []vector, of, labels []string) ([]*vector, []int) {
	var xs []*vector
	var ys []int
	for i, l := range of {
		if l == "" {
			continue
		}
		k, _ := slices.BinarySearch(labels, l)
		xs = append(xs, &vecs[i])
		ys = append(ys, k)
	}
	return xs, ys
}

// extractAll extracts the features of every text on all cores; the result
// does not depend on how the work was split.
func extractAll(cfg Config, texts []string) []features {
	out := make([]features, len(texts))
	workers := min(runtime.GOMAXPROCS(0), 8)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := newExtractor(cfg)
			for i := w; i < len(texts); i += workers {
				out[i] = e.extract(texts[i])
			}
		}()
	}
	wg.Wait()
	return out
}

// fitIDF returns the smoothed inverse document frequency of every bucket,
// and 0 for buckets no text used, or fewer than cfg.MinDF (they then
// weigh nothing, as words outside a vocabulary do).
func fitIDF(cfg Config, feats []features) []float32 {
	df := make([]int32, 1<<cfg.Bits)
	for i := range feats {
		for g := range feats[i].idx {
			for _, x := range feats[i].idx[g] {
				df[x]++
			}
		}
	}
	n := float64(len(feats))
	idf := make([]float32, len(df))
	for x, d := range df {
		if d > 0 && int(d) >= cfg.MinDF {
			idf[x] = float32(math.Log((1+n)/(1+float64(d))) + 1)
		}
	}
	return idf
}

// denseHead is a field's model before unused buckets are dropped.
type denseHead struct {
	field  string
	labels []string
	w      []float32 // bucket-major: w[x*K+k]
	b      []float32
}

func trainField(cfg Config, vecs []vector, f Field) (denseHead, error) {
	labels := distinct(f.Labels)
	if len(labels) < 2 {
		return denseHead{}, ErrTooFewLabels
	}
	xs, ys := labelled(vecs, f.Labels, labels)
	w, b := trainSVM(cfg, xs, ys, len(labels))
	return denseHead{field: f.Name, labels: labels, w: w, b: b}, nil
}

func distinct(labels []string) []string {
	var out []string
	for _, l := range labels {
		if l != "" {
			out = append(out, l)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// trainSVM trains K one-against-the-rest linear SVMs with squared hinge
// loss by dual coordinate descent (Hsieh et al. 2008, the method of
// LIBLINEAR), all K in the same pass over the data. The bias is a feature
// of constant value 1.
func trainSVM(cfg Config, xs []*vector, ys []int, K int) ([]float32, []float32) {
	return trainSVMDim(cfg, 1<<cfg.Bits, xs, ys, K)
}

// trainSVMDim is trainSVM over feature indices below dim.
func trainSVMDim(cfg Config, dim int, xs []*vector, ys []int, K int) ([]float32, []float32) {
	w := make([]float32, dim*K)
	b := make([]float32, K)
	alpha := make([]float32, len(xs)*K)
	diag := float32(1 / (2 * cfg.C))
	qd := make([]float32, len(xs))
	for i, x := range xs {
		var s float32 = 1 + diag
		for _, v := range x.val {
			s += v * v
		}
		qd[i] = s
	}
	order := make([]int, len(xs))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x7472696167650001))
	scores := make([]float32, K)
	delta := make([]float32, K)
	for range cfg.Epochs {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var maxPG float32
		for _, i := range order {
			x := xs[i]
			copy(scores, b)
			for j, f := range x.idx {
				row := w[int(f)*K : int(f)*K+K]
				v := x.val[j]
				for k := range scores {
					scores[k] += v * row[k]
				}
			}
			any := false
			a := alpha[i*K : i*K+K]
			for k := range K {
				y := float32(-1)
				if ys[i] == k {
					y = 1
				}
				g := y*scores[k] - 1 + diag*a[k]
				pg := g
				if a[k] == 0 && g > 0 {
					pg = 0
				}
				maxPG = max(maxPG, abs32(pg))
				delta[k] = 0
				if pg != 0 {
					old := a[k]
					a[k] = max(old-g/qd[i], 0)
					delta[k] = (a[k] - old) * y
					any = any || delta[k] != 0
				}
			}
			if !any {
				continue
			}
			for k := range K {
				b[k] += delta[k]
			}
			for j, f := range x.idx {
				row := w[int(f)*K : int(f)*K+K]
				v := x.val[j]
				for k := range row {
					row[k] += delta[k] * v
				}
			}
		}
		if maxPG < 0.1 {
			break
		}
	}
	return w, b
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
