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
	// The network beside the SVM (Hidden 0: none, the SVM alone): one
	// hidden layer of Hidden rectified units over the same features,
	// trained by SGD for NetEpochs passes from learning rate NetRate; its
	// confidences are blended with the SVM's, NetBlend of them the
	// network's.
	// MinDF drops features fewer training texts than this have (0 or 1:
	// none dropped), as a vocabulary's minimum document frequency would.
	MinDF     int     `json:"min_df,omitempty"`
	Hidden    int     `json:"hidden,omitempty"`
	NetEpochs int     `json:"net_epochs,omitempty"`
	NetRate   float64 `json:"net_rate,omitempty"`
	NetBlend  float64 `json:"net_blend,omitempty"`
}

// WithNetwork returns c with the network of docs/benchmarks.md beside the
// SVM: hidden units 32, 5 passes, learning rate 0.2, half of
// the confidence the network's, features of one training text dropped
// (they halve the network's size).
func (c Config) WithNetwork() Config {
	c.Hidden, c.NetEpochs, c.NetRate, c.NetBlend, c.MinDF = 32, 5, 0.2, 0.5, 2
	return c
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
	if c.MinDF < 0 || c.MinDF > 1000 {
		errs = append(errs, fmt.Errorf("minimum document frequency %d: from 0 to 1000", c.MinDF))
	}
	if c.Hidden != 0 {
		errs = append(errs, c.validateNetwork()...)
	}
	return errors.Join(errs...)
}

func (c Config) validateNetwork() []error {
	var errs []error
	if c.Hidden < 0 || c.Hidden > 256 {
		errs = append(errs, fmt.Errorf("hidden units %d: from 0 (none) to 256", c.Hidden))
	}
	if c.NetEpochs < 1 || c.NetEpochs > 100 {
		errs = append(errs, fmt.Errorf("network epochs %d: from 1 to 100", c.NetEpochs))
	}
	if !(c.NetRate > 0 && c.NetRate <= 10) {
		errs = append(errs, fmt.Errorf("network learning rate %g: above 0, at most 10", c.NetRate))
	}
	if !(c.NetBlend >= 0 && c.NetBlend <= 1) {
		errs = append(errs, fmt.Errorf("network blend %g: from 0 to 1", c.NetBlend))
	}
	return errs
}
