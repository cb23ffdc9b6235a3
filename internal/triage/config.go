package triage

import (
	"errors"
	"fmt"
)

// Config is how a model reads text and how it is trained. The zero value is
// not usable; start from DefaultConfig.
type Config struct {
	Bits         int     `json:"bits"`          // features hashed into 2^Bits buckets
	WordNgrams   int     `json:"word_ngrams"`   // 1: words; 2: words and pairs of words
	CharMin      int     `json:"char_min"`      // shortest character n-gram (0 with CharMax 0: none)
	CharMax      int     `json:"char_max"`      // longest character n-gram
	WordWeight   float64 `json:"word_weight"`   // length of the word part of a text's vector
	BigramWeight float64 `json:"bigram_weight"` // length of the word-pair part
	CharWeight   float64 `json:"char_weight"`   // length of the character part
	C            float64 `json:"c"`             // the SVM's cost of a margin violation
	Epochs       int     `json:"epochs"`        // most passes over the data
	Seed         int64   `json:"seed"`          // order of the passes
}

// DefaultConfig is the configuration chosen by 5-fold cross-validation on
// the shared ticket-text data (see docs/benchmarks.md).
func DefaultConfig() Config {
	return Config{
		Bits: 20, WordNgrams: 2, CharMin: 2, CharMax: 5,
		WordWeight: 1, BigramWeight: 0.5, CharWeight: 1,
		C: 0.5, Epochs: 30, Seed: 1,
	}
}

func (c *Config) groupWeight(g int) float64 {
	switch g {
	case groupWord:
		return c.WordWeight
	case groupBigram:
		if c.WordNgrams < 2 {
			return 0
		}
		return c.BigramWeight
	default:
		if c.CharMax == 0 {
			return 0
		}
		return c.CharWeight
	}
}

// Validate reports a configuration the model cannot use.
func (c Config) Validate() error {
	var errs []error
	if c.Bits < 10 || c.Bits > 24 {
		errs = append(errs, fmt.Errorf("bits %d: from 10 to 24", c.Bits))
	}
	if c.WordNgrams < 1 || c.WordNgrams > 2 {
		errs = append(errs, fmt.Errorf("word n-grams %d: 1 or 2", c.WordNgrams))
	}
	if c.CharMax != 0 && (c.CharMin < 1 || c.CharMin > c.CharMax || c.CharMax > 8) {
		errs = append(errs, fmt.Errorf("character n-grams %d to %d: 1 ≤ min ≤ max ≤ 8, or max 0 for none", c.CharMin, c.CharMax))
	}
	if c.WordWeight < 0 || c.BigramWeight < 0 || c.CharWeight < 0 || c.WordWeight+c.BigramWeight+c.CharWeight == 0 {
		errs = append(errs, errors.New("group weights: not negative, not all zero"))
	}
	if !(c.C > 0) {
		errs = append(errs, fmt.Errorf("C %g: greater than 0", c.C))
	}
	if c.Epochs < 1 || c.Epochs > 1000 {
		errs = append(errs, fmt.Errorf("epochs %d: from 1 to 1000", c.Epochs))
	}
	return errors.Join(errs...)
}
