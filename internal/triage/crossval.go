package triage

import (
	"fmt"
	"slices"
	"time"
)

// Evaluate suggests field for every text and scores the suggestions
// against labels; labels the model does not know count as missed.
func Evaluate(m *Model, field string, texts, labels []string) Score {
	all := distinct(append(slices.Clone(labels), m.Labels(field)...))
	t := NewTally(all)
	m.tally(t, field, all, texts, labels)
	return t.Score()
}

func (m *Model) tally(t *Tally, field string, all, texts, labels []string) {
	known := m.Labels(field)
	for i, text := range texts {
		truth, _ := slices.BinarySearch(all, labels[i])
		p, _ := m.Predict(field, text)
		if p >= 0 {
			p, _ = slices.BinarySearch(all, known[p])
		}
		t.Add(truth, p)
	}
}

// CrossValidation is the result of CrossValidate.
type CrossValidation struct {
	Score    Score
	Training []time.Duration // per fold
	Last     *Model          // the last fold's model
	Held     []string        // the texts the last model did not see
}

// CrossValidate trains k models, each on all but one of k stratified folds,
// and scores each on the fold it did not see.
func CrossValidate(cfg Config, texts, labels []string, k int) (CrossValidation, error) {
	var cv CrossValidation
	if k < 2 || k > len(texts) {
		return cv, fmt.Errorf("folds %d: from 2 to the number of texts (%d)", k, len(texts))
	}
	fold := Folds(labels, k, cfg.Seed)
	all := distinct(labels)
	total := NewTally(all)
	for f := range k {
		var trX, trY, teY []string
		cv.Held = nil
		for i := range texts {
			if fold[i] == f {
				cv.Held, teY = append(cv.Held, texts[i]), append(teY, labels[i])
			} else {
				trX, trY = append(trX, texts[i]), append(trY, labels[i])
			}
		}
		start := time.Now()
		m, err := Train(cfg, trX, []Field{{Name: "label", Labels: trY}})
		if err != nil {
			return cv, fmt.Errorf("fold %d: %w", f+1, err)
		}
		cv.Training = append(cv.Training, time.Since(start))
		m.tally(total, "label", all, cv.Held, teY)
		cv.Last = m
	}
	cv.Score = total.Score()
	return cv, nil
}
