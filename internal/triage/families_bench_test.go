//go:build triagebench

package triage

// The model-family benchmark of docs/benchmarks.md (issue 13): the shared
// ticket-text data's features extracted once (words, pairs, triples,
// character n-grams of each word and across words, the title's words),
// then model families compared on the same five stratified folds
// (Folds(labels, 5, 1), those of `tierdesk triage eval --folds 5`), or
// on the tuning split (TRIAGE_INNER=1: the training part of fold 1,
// split 80/20 by Folds(…, 5, 2)), never seeing fold 1's texts. Each
// model's out-of-fold scores are saved (TRIAGE_SCORES, default
// /tmp/triage-families) for TestFamiliesBlend, which averages the
// calibrated confidences of several with temperatures and weights chosen,
// for each test fold, on the other four folds' scores only. Not part of
// the ordinary tests (build tag triagebench); the commands are in
// docs/benchmarks.md.

import (
	"compress/gzip"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/textan"
)

const (
	gW1 = iota
	gW2
	gW3
	gC1 // char n = 1..6 => gC1+n-1
	gC2
	gC3
	gC4
	gC5
	gC6
	gX3 // char n-grams across the whole text (not word bounded), n = 3..5
	gX4
	gX5
	gT1 // words of the title (first tokens up to a greeting, at most 8)
	gT2 // pairs of the title
	nG
)

var gnames = []string{"w1", "w2", "w3", "c1", "c2", "c3", "c4", "c5", "c6", "x3", "x4", "x5", "t1", "t2"}

type sfeat struct {
	idx [nG][]uint32
	cnt [nG][]float32
}

const sBits = 21
const sMask = 1<<sBits - 1

func shash(g int, s string) uint32 {
	h := uint64(fnvOffset)
	h = (h ^ uint64(g+17)) * fnvPrime
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return fold(h) & sMask
}

func sextract(text string) sfeat {
	var toks []string
	for _, t := range textan.Analyze(text) {
		toks = append(toks, t.Text)
	}
	var raw [nG][]uint32
	for i, w := range toks {
		raw[gW1] = append(raw[gW1], shash(gW1, w))
		if i > 0 {
			raw[gW2] = append(raw[gW2], shash(gW2, toks[i-1]+" "+w))
		}
		if i > 1 {
			raw[gW3] = append(raw[gW3], shash(gW3, toks[i-2]+" "+toks[i-1]+" "+w))
		}
		rs := []rune(" " + w + " ")
		for n := 1; n <= 6; n++ {
			for j := 0; j+n <= len(rs); j++ {
				raw[gC1+n-1] = append(raw[gC1+n-1], shash(gC1+n-1, string(rs[j:j+n])))
			}
		}
	}
	for i, w := range toks {
		if i >= 8 || (i > 0 && (w == "hi" || w == "hello" || w == "dear" || w == "good" || w == "hallo")) {
			break
		}
		raw[gT1] = append(raw[gT1], shash(gT1, w))
		if i > 0 {
			raw[gT2] = append(raw[gT2], shash(gT2, toks[i-1]+" "+w))
		}
	}
	all := []rune(" " + strings.Join(toks, " ") + " ")
	for n := 3; n <= 5; n++ {
		for j := 0; j+n <= len(all); j++ {
			raw[gX3+n-3] = append(raw[gX3+n-3], shash(gX3+n-3, string(all[j:j+n])))
		}
	}
	var f sfeat
	for g := range raw {
		f.idx[g], f.cnt[g] = countSorted(raw[g])
	}
	return f
}

type sdata struct {
	texts, labels []string
	y             []int
	K             int
	names         []string
	feats         []sfeat
	fold          []int
}

var (
	sdOnce sync.Once
	sd     sdata
)

func loadScratch(t *testing.T) *sdata {
	sdOnce.Do(func() {
		sd = *loadScratchLabels(t)
		start := time.Now()
		sd.feats = make([]sfeat, len(sd.texts))
		var wg sync.WaitGroup
		W := runtime.GOMAXPROCS(0)
		for w := range W {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(sd.texts); i += W {
					sd.feats[i] = sextract(sd.texts[i])
				}
			}()
		}
		wg.Wait()
		fmt.Printf("extracted %d texts in %v\n", len(sd.texts), time.Since(start))
	})
	return &sd
}

// block: groups weighed together and normalised to length w.
type block struct {
	groups []int
	w      float64
}

// spec names a feature set: blocks, sublinear tf, idf on/off, binary.
type spec struct {
	blocks    []block
	sublinear bool
	noIDF     bool
	minDF     int
}

func parseSpec(s string) spec {
	// e.g. "w1:1,w2:0.5,c2+c3+c4+c5:1"
	var sp spec
	sp.sublinear = true
	for _, part := range strings.Split(s, ",") {
		if part == "lin" {
			sp.sublinear = false
			continue
		}
		if part == "noidf" {
			sp.noIDF = true
			continue
		}
		if strings.HasPrefix(part, "mindf") {
			sp.minDF, _ = strconv.Atoi(part[5:])
			continue
		}
		gs, ws, _ := strings.Cut(part, ":")
		w, _ := strconv.ParseFloat(ws, 64)
		var b block
		b.w = w
		for _, g := range strings.Split(gs, "+") {
			b.groups = append(b.groups, slices.Index(gnames, g))
		}
		sp.blocks = append(sp.blocks, b)
	}
	return sp
}

// vectors returns vectors (bucket indices) of all texts with IDF from the
// texts where train[i].
func (d *sdata) vectors(sp spec, train []bool) []vector {
	df := make([]int32, 1<<sBits)
	n := 0
	for i := range d.feats {
		if !train[i] {
			continue
		}
		n++
		for _, b := range sp.blocks {
			for _, g := range b.groups {
				for _, x := range d.feats[i].idx[g] {
					df[x]++
				}
			}
		}
	}
	idf := make([]float32, len(df))
	for x, c := range df {
		if c > 0 && int(c) >= sp.minDF {
			if sp.noIDF {
				idf[x] = 1
			} else {
				idf[x] = float32(math.Log((1+float64(n))/(1+float64(c))) + 1)
			}
		}
	}
	vecs := make([]vector, len(d.feats))
	for i := range d.feats {
		v := &vecs[i]
		for _, b := range sp.blocks {
			start := len(v.val)
			var norm float64
			for _, g := range b.groups {
				for j, x := range d.feats[i].idx[g] {
					if idf[x] == 0 {
						continue
					}
					tf := d.feats[i].cnt[g][j]
					if sp.sublinear {
						tf = 1 + float32(math.Log(float64(tf)))
					}
					w := tf * idf[x]
					v.idx = append(v.idx, x)
					v.val = append(v.val, w)
					norm += float64(w * w)
				}
			}
			if norm > 0 {
				s := float32(b.w / math.Sqrt(norm))
				for j := start; j < len(v.val); j++ {
					v.val[j] *= s
				}
			}
		}
	}
	return vecs
}

// compactRows maps buckets to rows over the training vectors.
func compactRows(vecs []vector, train []bool) ([]vector, int) {
	slot := make([]int32, 1<<sBits)
	for i := range slot {
		slot[i] = -1
	}
	nr := int32(0)
	for i := range vecs {
		if !train[i] {
			continue
		}
		for _, x := range vecs[i].idx {
			if slot[x] < 0 {
				slot[x] = nr
				nr++
			}
		}
	}
	out := make([]vector, len(vecs))
	for i, v := range vecs {
		for j, x := range v.idx {
			if r := slot[x]; r >= 0 {
				out[i].idx = append(out[i].idx, uint32(r))
				out[i].val = append(out[i].val, v.val[j])
			}
		}
	}
	return out, int(nr)
}

// a model trainer: vectors (rows), rows count, training indices, labels -> scorer
type scorer func(v *vector) []float64

func svmTrainer(C float64, epochs int, seed int64) func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
	return func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
		xs := make([]*vector, len(tr))
		ys := make([]int, len(tr))
		for i, j := range tr {
			xs[i], ys[i] = &vecs[j], y[j]
		}
		cfg := Config{Bits: 0, C: C, Epochs: epochs, Seed: seed}
		w, b := trainSVMDim(cfg, rows, xs, ys, K)
		return linScorer(w, b, K)
	}
}

func linScorer(w, b []float32, K int) scorer {
	return func(v *vector) []float64 {
		s := make([]float64, K)
		for k := range s {
			s[k] = float64(b[k])
		}
		for j, r := range v.idx {
			row := w[int(r)*K : int(r)*K+K]
			for k := range s {
				s[k] += float64(v.val[j]) * float64(row[k])
			}
		}
		return s
	}
}

func mlpTrainer(H, epochs int, rate float64, seed int64) func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
	return func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
		xs := make([]*vector, len(tr))
		ys := make([]int, len(tr))
		for i, j := range tr {
			xs[i], ys[i] = &vecs[j], y[j]
		}
		cfg := Config{Hidden: H, NetEpochs: epochs, NetRate: rate, Seed: seed}
		m := trainMLP(cfg, rows, xs, ys, K)
		return func(v *vector) []float64 {
			p := m.probs(v, K)
			s := make([]float64, K)
			for k := range s {
				s[k] = math.Log(float64(p[k]) + 1e-12)
			}
			return s
		}
	}
}

// softmax regression by SGD, L2 via weight decay-free, linear decay.
func lrTrainer(epochs int, rate, l2 float64, seed int64) func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
	return func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
		w := make([]float32, rows*K)
		b := make([]float32, K)
		order := slices.Clone(tr)
		rng := rand.New(rand.NewPCG(uint64(seed), 5))
		total := float32(epochs * len(tr))
		step := float32(0)
		s := make([]float32, K)
		// lazy L2: scale factor per row via timestamps is complex; use plain
		for range epochs {
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			for _, i := range order {
				lr := float32(rate) * (1 - step/total)
				step++
				x := &vecs[i]
				copy(s, b)
				for j, r := range x.idx {
					row := w[int(r)*K : int(r)*K+K]
					for k := range s {
						s[k] += x.val[j] * row[k]
					}
				}
				softmax32(s)
				s[y[i]] -= 1
				for k := range K {
					b[k] -= lr * s[k]
				}
				for j, r := range x.idx {
					row := w[int(r)*K : int(r)*K+K]
					v := lr * x.val[j]
					for k := range row {
						row[k] -= v*s[k] + lr*float32(l2)*row[k]
					}
				}
			}
		}
		return linScorer(w, b, K)
	}
}

// complement naive Bayes on the (weighted) vectors.
func cnbTrainer(alpha float64) func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
	return func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
		sum := make([]float64, rows*K)
		tot := make([]float64, rows)
		for _, i := range tr {
			for j, r := range vecs[i].idx {
				sum[int(r)*K+y[i]] += float64(vecs[i].val[j])
				tot[r] += float64(vecs[i].val[j])
			}
		}
		w := make([]float32, rows*K)
		for k := range K {
			var denom float64
			for r := range rows {
				denom += tot[r] - sum[r*K+k] + alpha
			}
			var norm float64
			for r := range rows {
				lw := math.Log((tot[r] - sum[r*K+k] + alpha) / denom)
				w[r*K+k] = float32(lw)
				norm += math.Abs(lw)
			}
			for r := range rows {
				w[r*K+k] = float32(-float64(w[r*K+k]) / norm * 1000)
			}
		}
		return linScorer(w, make([]float32, K), K)
	}
}

// nbsvm: per class, features scaled by log-count ratio, binary SVM, interpolated.
func nbsvmTrainer(C, beta, alpha float64, seed int64) func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
	return func(vecs []vector, rows int, tr []int, y []int, K int) scorer {
		ws := make([][]float32, K)
		bs := make([]float32, K)
		rs := make([][]float32, K)
		for k := range K {
			p := make([]float64, rows)
			q := make([]float64, rows)
			for i := range p {
				p[i], q[i] = alpha, alpha
			}
			for _, i := range tr {
				for j, r := range vecs[i].idx {
					if y[i] == k {
						p[r] += float64(vecs[i].val[j])
					} else {
						q[r] += float64(vecs[i].val[j])
					}
				}
			}
			var sp, sq float64
			for i := range p {
				sp += p[i]
				sq += q[i]
			}
			rk := make([]float32, rows)
			for i := range rk {
				rk[i] = float32(math.Log((p[i] / sp) / (q[i] / sq)))
			}
			scaled := make([]vector, len(tr))
			xs := make([]*vector, len(tr))
			ys := make([]int, len(tr))
			for n, i := range tr {
				v := vecs[i]
				sv := vector{idx: v.idx, val: make([]float32, len(v.val))}
				for j, r := range v.idx {
					sv.val[j] = v.val[j] * rk[r]
				}
				scaled[n] = sv
				xs[n] = &scaled[n]
				ys[n] = 1
				if y[i] == k {
					ys[n] = 0
				}
			}
			w, b := trainSVMDim(Config{C: C, Epochs: 30, Seed: seed}, rows, xs, ys, 1)
			var mean float64
			for _, v := range w {
				mean += math.Abs(float64(v))
			}
			mean /= float64(len(w))
			for i := range w {
				w[i] = float32((1-beta)*mean + beta*float64(w[i]))
			}
			ws[k], bs[k], rs[k] = w, b[0], rk
		}
		return func(v *vector) []float64 {
			s := make([]float64, K)
			for k := range K {
				acc := float64(bs[k])
				for j, r := range v.idx {
					acc += float64(v.val[j]) * float64(rs[k][r]) * float64(ws[k][r])
				}
				s[k] = acc
			}
			return s
		}
	}
}

type trainer = func(vecs []vector, rows int, tr []int, y []int, K int) scorer

// runCV trains on the folds and returns out-of-fold scores [N*K]; with
// inner set, only fold 0's training part is used, split 80/20 by the
// fold-of-folds (second-level folds of seed 2), validation = inner fold 0.
func runCV(t *testing.T, d *sdata, sp spec, tr trainer, inner bool) ([]float64, []int) {
	N, K := len(d.texts), d.K
	out := make([]float64, N*K)
	for i := range out {
		out[i] = math.NaN()
	}
	var evalIdx []int
	folds := 5
	if inner {
		folds = 1
	}
	innerFold := d.innerFolds()
	for f := range folds {
		train := make([]bool, N)
		var trIdx, teIdx []int
		for i := range N {
			if inner {
				if d.fold[i] == 0 {
					continue
				}
				if innerFold[i] == 0 {
					teIdx = append(teIdx, i)
				} else {
					train[i] = true
					trIdx = append(trIdx, i)
				}
				continue
			}
			if d.fold[i] == f {
				teIdx = append(teIdx, i)
			} else {
				train[i] = true
				trIdx = append(trIdx, i)
			}
		}
		vecs := d.vectors(sp, train)
		rows, nr := compactRows(vecs, train)
		start := time.Now()
		sc := tr(rows, nr, trIdx, d.y, K)
		fmt.Printf("  fold %d: %d texts, %d feature rows, trained in %v\n", f+1, len(trIdx), nr, time.Since(start).Round(time.Millisecond))
		for _, i := range teIdx {
			copy(out[i*K:i*K+K], sc(&rows[i]))
		}
		evalIdx = append(evalIdx, teIdx...)
	}
	return out, evalIdx
}

func (d *sdata) innerFolds() []int {
	var lab []string
	var idx []int
	for i := range d.labels {
		if d.fold[i] != 0 {
			lab = append(lab, d.labels[i])
			idx = append(idx, i)
		}
	}
	f := Folds(lab, 5, 2)
	out := make([]int, len(d.labels))
	for i := range out {
		out[i] = -1
	}
	for j, i := range idx {
		out[i] = f[j]
	}
	return out
}

func accuracy(d *sdata, s []float64, idx []int) float64 {
	K := d.K
	c := 0
	for _, i := range idx {
		best := 0
		for k := range K {
			if s[i*K+k] > s[i*K+best] {
				best = k
			}
		}
		if best == d.y[i] {
			c++
		}
	}
	return float64(c) / float64(len(idx))
}

func saveScores(name string, s []float64) {
	os.MkdirAll(scoresDir(), 0o755)
	buf := make([]byte, 8*len(s))
	for i, v := range s {
		binary.LittleEndian.PutUint64(buf[8*i:], math.Float64bits(v))
	}
	os.WriteFile(scoresDir()+"/"+name, buf, 0o644)
}

func loadScores(name string) []float64 {
	buf, err := os.ReadFile(scoresDir() + "/" + name)
	if err != nil {
		return nil
	}
	s := make([]float64, len(buf)/8)
	for i := range s {
		s[i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
	}
	return s
}

func makeTrainer(m string) trainer {
	parts := strings.Split(m, ":")
	f := func(i int, def float64) float64 {
		if i < len(parts) && parts[i] != "" {
			v, _ := strconv.ParseFloat(parts[i], 64)
			return v
		}
		return def
	}
	switch parts[0] {
	case "svm":
		return svmTrainer(f(1, 0.5), int(f(2, 30)), int64(f(3, 1)))
	case "mlp":
		return mlpTrainer(int(f(1, 32)), int(f(2, 5)), f(3, 0.2), int64(f(4, 1)))
	case "lr":
		return lrTrainer(int(f(1, 10)), f(2, 0.5), f(3, 0), int64(f(4, 1)))
	case "cnb":
		return cnbTrainer(f(1, 0.1))
	case "nbsvm":
		return nbsvmTrainer(f(1, 0.5), f(2, 0.5), f(3, 1), int64(f(4, 1)))
	}
	panic(m)
}

// TRIAGE_RUNS="name=spec|model;..." TRIAGE_INNER=1
func TestFamilies(t *testing.T) {
	d := loadScratch(t)
	inner := os.Getenv("TRIAGE_INNER") == "1"
	for _, run := range strings.Split(os.Getenv("TRIAGE_RUNS"), ";") {
		if run == "" {
			continue
		}
		name, rest, _ := strings.Cut(run, "=")
		sps, model, _ := strings.Cut(rest, "|")
		start := time.Now()
		s, idx := runCV(t, d, parseSpec(sps), makeTrainer(model), inner)
		tag := "cv"
		if inner {
			tag = "in"
		}
		saveScores(tag+"-"+name, s)
		fmt.Printf("RESULT %s %s acc %.4f  (%s | %s) %v\n", tag, name, accuracy(d, s, idx), sps, model, time.Since(start).Round(time.Second))
	}
}

// TRIAGE_EVAL="in-base,in-x" TRIAGE_INNER=1: accuracy of saved scores and of blends.
func TestFamiliesEval(t *testing.T) {
	d := loadScratchLabels(t)
	inner := os.Getenv("TRIAGE_INNER") == "1"
	var idx []int
	inf := d.innerFolds()
	for i := range d.y {
		if inner && inf[i] == 0 || !inner {
			idx = append(idx, i)
		}
	}
	for _, n := range strings.Split(os.Getenv("TRIAGE_EVAL"), ",") {
		s := loadScores(n)
		if s == nil {
			continue
		}
		fmt.Printf("EVAL %s acc %.4f\n", n, accuracy(d, s, idx))
		confusion(d, s, idx)
	}
}

func confusion(d *sdata, s []float64, idx []int) {
	K := d.K
	m := make([]int, K*K)
	for _, i := range idx {
		best := 0
		for k := range K {
			if s[i*K+k] > s[i*K+best] {
				best = k
			}
		}
		m[d.y[i]*K+best]++
	}
	fmt.Printf("%-22s", "truth\\pred")
	for k := range K {
		fmt.Printf("%7.6s", d.names[k])
	}
	fmt.Println("  recall")
	for a := range K {
		fmt.Printf("%-22s", d.names[a])
		row := 0
		for k := range K {
			fmt.Printf("%7d", m[a*K+k])
			row += m[a*K+k]
		}
		fmt.Printf("  %.3f\n", float64(m[a*K+a])/float64(row))
	}
}

func loadScratchLabels(t *testing.T) *sdata {
	var d sdata
	f, err := os.Open(sharedTicketText(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, _ := gzip.NewReader(f)
	recs, _ := csv.NewReader(z).ReadAll()
	for _, r := range recs[1:] {
		d.texts, d.labels = append(d.texts, r[0]), append(d.labels, r[1])
	}
	d.names = distinct(d.labels)
	d.K = len(d.names)
	for _, l := range d.labels {
		k, _ := slices.BinarySearch(d.names, l)
		d.y = append(d.y, k)
	}
	d.fold = Folds(d.labels, 5, 1)
	return &d
}

func softmaxT(s []float64, T float64) []float64 {
	p := make([]float64, len(s))
	top := slices.Max(s)
	var sum float64
	for k, v := range s {
		p[k] = math.Exp((v - top) / T)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

// fitT returns the temperature minimising the log-loss over idx.
func fitT(d *sdata, s []float64, idx []int) float64 {
	K := d.K
	loss := func(T float64) float64 {
		var l float64
		for _, i := range idx {
			p := softmaxT(s[i*K:i*K+K], T)
			l -= math.Log(p[d.y[i]] + 1e-12)
		}
		return l
	}
	lo, hi := math.Log(0.001), math.Log(100.0)
	for range 60 {
		a, b := lo+(hi-lo)/3, hi-(hi-lo)/3
		if loss(math.Exp(a)) < loss(math.Exp(b)) {
			hi = b
		} else {
			lo = a
		}
	}
	return math.Exp((lo + hi) / 2)
}

// TRIAGE_INNER_BLEND="in-a,in-b,in-c": calibrate each, then grid the weights.
func TestFamiliesInnerBlend(t *testing.T) {
	d := loadScratchLabels(t)
	inner := os.Getenv("TRIAGE_INNER") == "1"
	var idx []int
	inf := d.innerFolds()
	for i := range d.y {
		if inner && inf[i] == 0 || !inner {
			idx = append(idx, i)
		}
	}
	K := d.K
	names := strings.Split(os.Getenv("TRIAGE_INNER_BLEND"), ",")
	var ps [][]float64
	for _, n := range names {
		s := loadScores(n)
		T := fitT(d, s, idx)
		p := make([]float64, len(s))
		for _, i := range idx {
			copy(p[i*K:i*K+K], softmaxT(s[i*K:i*K+K], T))
		}
		ps = append(ps, p)
		fmt.Printf("BLEND %s T %.4f acc %.4f\n", n, T, accuracy(d, p, idx))
	}
	M := len(ps)
	best, bestW := 0.0, []float64(nil)
	w := make([]float64, M)
	var rec func(m int, left int)
	comb := make([]float64, len(ps[0]))
	rec = func(m, left int) {
		if m == M-1 {
			w[m] = float64(left) / 10
			for _, i := range idx {
				for k := range K {
					var v float64
					for j := range M {
						v += w[j] * ps[j][i*K+k]
					}
					comb[i*K+k] = v
				}
			}
			a := accuracy(d, comb, idx)
			fmt.Printf("  w %v acc %.4f\n", w, a)
			if a > best {
				best, bestW = a, slices.Clone(w)
			}
			return
		}
		for l := 0; l <= left; l++ {
			w[m] = float64(l) / 10
			rec(m+1, left-l)
		}
	}
	rec(0, 10)
	fmt.Printf("BEST %v acc %.4f\n", bestW, best)
}

// TRIAGE_BLEND="cv-a,cv-b": each model alone, and the calibrated average
// whose temperatures and weights are chosen for each test fold on the
// out-of-fold scores of the other four folds only.
func TestFamiliesBlend(t *testing.T) {
	d := loadScratchLabels(t)
	K := d.K
	names := strings.Split(os.Getenv("TRIAGE_BLEND"), ",")
	var ss [][]float64
	for _, n := range names {
		s := loadScores(n)
		ss = append(ss, s)
		all := make([]int, len(d.y))
		for i := range all {
			all[i] = i
		}
		sc := scoreOf(d, s, all)
		fmt.Printf("MODEL %-12s acc %.4f macroF1 %.4f\n", n, sc.Accuracy, sc.MacroF1)
	}
	M := len(ss)
	comb := make([]float64, len(d.y)*K)
	for f := range 5 {
		var in, out []int
		for i := range d.y {
			if d.fold[i] == f {
				out = append(out, i)
			} else {
				in = append(in, i)
			}
		}
		ps := make([][]float64, M)
		for m, s := range ss {
			T := fitT(d, s, in)
			ps[m] = make([]float64, len(s))
			for i := range d.y {
				copy(ps[m][i*K:i*K+K], softmaxT(s[i*K:i*K+K], T))
			}
		}
		best, bestW := -1.0, []float64(nil)
		w := make([]float64, M)
		tmp := make([]float64, len(d.y)*K)
		mix := func(idx []int, dst []float64) {
			for _, i := range idx {
				for k := range K {
					var v float64
					for j := range M {
						v += w[j] * ps[j][i*K+k]
					}
					dst[i*K+k] = v
				}
			}
		}
		var rec func(m, left int)
		rec = func(m, left int) {
			if m == M-1 {
				w[m] = float64(left) / 10
				mix(in, tmp)
				if a := accuracy(d, tmp, in); a > best {
					best, bestW = a, slices.Clone(w)
				}
				return
			}
			for l := 0; l <= left; l++ {
				w[m] = float64(l) / 10
				rec(m+1, left-l)
			}
		}
		rec(0, 10)
		copy(w, bestW)
		mix(out, comb)
		fmt.Printf("fold %d weights %v (other folds %.4f) this fold %.4f\n", f+1, bestW, best, accuracy(d, comb, out))
	}
	all := make([]int, len(d.y))
	for i := range all {
		all[i] = i
	}
	sc := scoreOf(d, comb, all)
	fmt.Printf("BLEND %v acc %.4f macroF1 %.4f\n", names, sc.Accuracy, sc.MacroF1)
	confusion(d, comb, all)
}

func scoreOf(d *sdata, s []float64, idx []int) Score {
	K := d.K
	t := NewTally(d.names)
	for _, i := range idx {
		best := 0
		for k := range K {
			if s[i*K+k] > s[i*K+best] {
				best = k
			}
		}
		t.Add(d.y[i], best)
	}
	return t.Score()
}

func TestFamiliesErrors(t *testing.T) {
	d := loadScratchLabels(t)
	s := loadScores(os.Getenv("TRIAGE_ERRORS"))
	K := d.K
	inf := d.innerFolds()
	n := 0
	for i := range d.y {
		if inf[i] != 0 {
			continue
		}
		p := softmaxT(s[i*K:i*K+K], 0.35)
		best := 0
		for k := range K {
			if p[k] > p[best] {
				best = k
			}
		}
		if best != d.y[i] && n < 40 {
			n++
			txt := d.texts[i]
			if len(txt) > 150 {
				txt = txt[:150]
			}
			fmt.Printf("[%s -> %s %.2f] %s\n", d.names[d.y[i]], d.names[best], p[best], txt)
		}
	}
}

func scoresDir() string {
	if d := os.Getenv("TRIAGE_SCORES"); d != "" {
		return d
	}
	return "/tmp/triage-families"
}

// sharedTicketText is the shared data's ticket texts: under
// TIERDESK_SHARED_DATA, or ../shared/data beside the repository.
func sharedTicketText(t *testing.T) string {
	dir := os.Getenv("TIERDESK_SHARED_DATA")
	if dir == "" {
		dir = "../../../shared/data"
	}
	p := dir + "/ticket-text/train.csv.gz"
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no ticket texts at %s: %v", p, err)
	}
	return p
}
