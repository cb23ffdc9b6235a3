package triage

import (
	"math/rand/v2"
	"slices"
)

// ClassScore is how well one label was suggested.
type ClassScore struct {
	Label     string  `json:"label"`
	Support   int     `json:"support"` // texts that have the label
	Predicted int     `json:"predicted"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
}

// Score is the quality of suggestions against known labels.
type Score struct {
	N        int          `json:"n"`
	Correct  int          `json:"correct"`
	None     int          `json:"no_suggestion"` // texts with no word the model knows
	Accuracy float64      `json:"accuracy"`
	MacroF1  float64      `json:"macro_f1"`
	Classes  []ClassScore `json:"classes"`
}

// Tally counts suggestions against the truth for a set of labels.
type Tally struct {
	labels []string
	n      int
	none   int
	tp     []int
	pred   []int
	sup    []int
}

// NewTally starts counting for labels.
func NewTally(labels []string) *Tally {
	k := len(labels)
	return &Tally{labels: labels, tp: make([]int, k), pred: make([]int, k), sup: make([]int, k)}
}

// Add counts one text whose label is truth and whose suggestion was pred
// (indexes into the labels; pred -1 for no suggestion).
func (t *Tally) Add(truth, pred int) {
	t.n++
	t.sup[truth]++
	if pred < 0 {
		t.none++
		return
	}
	t.pred[pred]++
	if pred == truth {
		t.tp[truth]++
	}
}

// Merge adds another tally over the same labels.
func (t *Tally) Merge(o *Tally) {
	t.n += o.n
	t.none += o.none
	for k := range t.tp {
		t.tp[k] += o.tp[k]
		t.pred[k] += o.pred[k]
		t.sup[k] += o.sup[k]
	}
}

// Score computes accuracy, per-label precision, recall and F1 and their
// macro average (over labels with support or predictions).
func (t *Tally) Score() Score {
	s := Score{N: t.n, None: t.none}
	var f1sum float64
	var counted int
	for k, l := range t.labels {
		c := ClassScore{Label: l, Support: t.sup[k], Predicted: t.pred[k]}
		s.Correct += t.tp[k]
		if t.pred[k] > 0 {
			c.Precision = float64(t.tp[k]) / float64(t.pred[k])
		}
		if t.sup[k] > 0 {
			c.Recall = float64(t.tp[k]) / float64(t.sup[k])
		}
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		if t.sup[k] > 0 || t.pred[k] > 0 {
			f1sum += c.F1
			counted++
		}
		s.Classes = append(s.Classes, c)
	}
	if t.n > 0 {
		s.Accuracy = float64(s.Correct) / float64(t.n)
	}
	if counted > 0 {
		s.MacroF1 = f1sum / float64(counted)
	}
	return s
}

// Folds assigns each of the labelled items to one of k folds, stratified:
// every label is spread over the folds as evenly as it can be, in an order
// drawn from seed. A label with fewer items than folds is in fewer folds.
func Folds(labels []string, k int, seed int64) []int {
	byLabel := map[string][]int{}
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], i)
	}
	names := make([]string, 0, len(byLabel))
	for l := range byLabel {
		names = append(names, l)
	}
	slices.Sort(names)
	rng := rand.New(rand.NewPCG(uint64(seed), 0x666f6c6473))
	fold := make([]int, len(labels))
	next := 0
	for _, l := range names {
		idx := byLabel[l]
		rng.Shuffle(len(idx), func(i, j int) { idx[i], idx[j] = idx[j], idx[i] })
		for _, i := range idx {
			fold[i] = next % k
			next++
		}
	}
	return fold
}
