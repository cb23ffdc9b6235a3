package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/tierdesk/tierdesk/internal/triage"
)

func newTriageCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "triage",
		Short: "Suggest a ticket's category, group, type and service from its text",
	}
	c.AddCommand(newTriageEvalCmd(), newTriageTrainCmd())
	return c
}

type triageEvalFlags struct {
	train, test         string
	textCol, labelCol   string
	folds               int
	seed                int64
	asJSON              bool
	c                   float64
	epochs, bits        int
	charMin, charMax    int
	wordNgrams          int
	charWeight, bigramW float64
	hidden, netEpochs   int
	minDF               int
	netRate, netBlend   float64
}

func newTriageEvalCmd() *cobra.Command {
	var fl triageEvalFlags
	def := triage.DefaultConfig()
	c := &cobra.Command{
		Use:   "eval --train FILE (--test FILE | --folds K)",
		Short: "Train on a CSV of labelled texts and measure the suggestions, touching no desk",
		Long: `Train on one CSV (plain or gzip, with a header row) and report accuracy,
macro-F1, a table per label, the training time and the time of one
suggestion. With --test the model is measured on another CSV; with --folds
by k-fold cross-validation on the training file alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTriageEval(cmd.OutOrStdout(), cmd.ErrOrStderr(), fl)
		},
	}
	f := c.Flags()
	f.StringVar(&fl.train, "train", "", "CSV to train on (required)")
	f.StringVar(&fl.test, "test", "", "CSV to measure on")
	f.StringVar(&fl.textCol, "text-column", "text", "column of the text")
	f.StringVar(&fl.labelCol, "label-column", "category", "column of the label")
	f.IntVar(&fl.folds, "folds", 0, "cross-validate on the training file with this many folds instead of --test")
	f.Int64Var(&fl.seed, "seed", def.Seed, "seed of the training order and the folds")
	f.BoolVar(&fl.asJSON, "json", false, "print the report as JSON")
	f.Float64Var(&fl.c, "c", def.C, "SVM cost of a margin violation")
	f.IntVar(&fl.epochs, "epochs", def.Epochs, "most passes over the data")
	f.IntVar(&fl.bits, "bits", def.Bits, "hash features into 2^bits buckets")
	f.IntVar(&fl.charMin, "char-min", def.CharMin, "shortest character n-gram")
	f.IntVar(&fl.charMax, "char-max", def.CharMax, "longest character n-gram (0: none)")
	f.IntVar(&fl.wordNgrams, "word-ngrams", def.WordNgrams, "1: words; 2: also pairs of words")
	f.Float64Var(&fl.charWeight, "char-weight", def.CharWeight, "weight of the character n-grams")
	f.Float64Var(&fl.bigramW, "bigram-weight", def.BigramWeight, "weight of the pairs of words")
	net := def.WithNetwork()
	f.IntVar(&fl.hidden, "hidden", 0, fmt.Sprintf("hidden units of a network blended with the SVM (0: none; %d in docs/benchmarks.md)", net.Hidden))
	f.IntVar(&fl.minDF, "min-df", net.MinDF, "drop features fewer training texts have (with --hidden)")
	f.IntVar(&fl.netEpochs, "net-epochs", net.NetEpochs, "passes of the network's training (with --hidden)")
	f.Float64Var(&fl.netRate, "net-rate", net.NetRate, "the network's first learning rate (with --hidden)")
	f.Float64Var(&fl.netBlend, "net-blend", net.NetBlend, "the network's share of the confidence, 0 to 1 (with --hidden)")
	return c
}

func (fl triageEvalFlags) config() triage.Config {
	c := triage.DefaultConfig()
	c.Seed, c.C, c.Epochs, c.Bits = fl.seed, fl.c, fl.epochs, fl.bits
	c.CharMin, c.CharMax, c.WordNgrams = fl.charMin, fl.charMax, fl.wordNgrams
	c.CharWeight, c.BigramWeight = fl.charWeight, fl.bigramW
	if fl.hidden != 0 {
		c.Hidden, c.NetEpochs, c.NetRate, c.NetBlend, c.MinDF = fl.hidden, fl.netEpochs, fl.netRate, fl.netBlend, fl.minDF
	}
	return c
}

// triageReport is what eval prints (--json prints it as is).
type triageReport struct {
	Train       string             `json:"train"`
	Test        string             `json:"test,omitempty"`
	Folds       int                `json:"folds,omitempty"`
	TrainRows   int                `json:"train_rows"`
	Config      triage.Config      `json:"config"`
	Score       triage.Score       `json:"score"`
	TrainSecs   []float64          `json:"training_seconds"` // per model trained
	SuggestP50  float64            `json:"suggest_p50_ms"`
	SuggestP99  float64            `json:"suggest_p99_ms"`
	ModelBytes  int                `json:"model_bytes"`     // encoded
	ModelMemory uint64             `json:"model_mem_bytes"` // heap of a decoded model
	Warnings    []string           `json:"warnings,omitempty"`
	Example     *triage.Suggestion `json:"example,omitempty"`
}

func runTriageEval(out, errOut io.Writer, fl triageEvalFlags) error {
	cfg := fl.config()
	if err := cfg.Validate(); err != nil {
		return usageError{err}
	}
	if fl.train == "" {
		return usagef("--train is required")
	}
	if (fl.test == "") == (fl.folds == 0) {
		return usagef("give either --test FILE or --folds K")
	}
	train, err := readDataset(fl.train, fl.textCol, fl.labelCol)
	if err != nil {
		return err
	}
	rep := &triageReport{Train: fl.train, Test: fl.test, Folds: fl.folds, TrainRows: len(train.texts), Config: cfg}
	counts := train.labelCounts()
	if len(counts) < 2 {
		return usagef("%s: %d label(s) in column %q; at least two are needed to choose between", fl.train, len(counts), fl.labelCol)
	}
	for _, l := range sortedKeys(counts) {
		if counts[l] == 1 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("label %q has only one example: it is learnt, but seldom suggested", l))
		}
	}
	var model *triage.Model
	var test *dataset
	if fl.test != "" {
		if test, err = readDataset(fl.test, fl.textCol, fl.labelCol); err != nil {
			return err
		}
		if err := unknownLabels(test, counts); err != nil {
			return err
		}
		start := time.Now()
		model, err = triage.Train(cfg, train.texts, []triage.Field{{Name: "label", Labels: train.labels}})
		if err != nil {
			return err
		}
		rep.TrainSecs = append(rep.TrainSecs, time.Since(start).Seconds())
		rep.Score = triage.Evaluate(model, "label", test.texts, test.labels)
	} else {
		if fl.folds < 2 || fl.folds > len(train.texts) {
			return usagef("--folds %d: from 2 to the number of rows (%d)", fl.folds, len(train.texts))
		}
		cv, err := triage.CrossValidate(cfg, train.texts, train.labels, fl.folds)
		if err != nil {
			return err
		}
		rep.Score, model, test = cv.Score, cv.Last, &dataset{texts: cv.Held}
		for _, d := range cv.Training {
			rep.TrainSecs = append(rep.TrainSecs, d.Seconds())
		}
	}
	if err := measureModel(rep, model, test.texts); err != nil {
		return err
	}
	if fl.asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printTriageReport(out, rep)
	for _, w := range rep.Warnings {
		fmt.Fprintln(errOut, "warning:", w)
	}
	return nil
}

// unknownLabels refuses a test file with labels the training file lacks:
// the model could never suggest them.
func unknownLabels(test *dataset, known map[string]int) error {
	var faults []string
	for i, l := range test.labels {
		if known[l] == 0 {
			faults = append(faults, fmt.Sprintf("line %d: label %q is not in the training file", test.lines[i], l))
			if len(faults) == maxDataErrors {
				break
			}
		}
	}
	if len(faults) == 0 {
		return nil
	}
	return usagef("%s: labels the model cannot learn; nothing was trained:\n  %s\n(known: %s)",
		test.path, strings.Join(faults, "\n  "), quoteList(sortedKeys(known)))
}

// measureModel times one suggestion (with its reasons) over up to 2,000
// texts, on one goroutine, and sizes the model encoded and in memory.
func measureModel(rep *triageReport, m *triage.Model, texts []string) error {
	n := min(len(texts), 2000)
	times := make([]time.Duration, n)
	for i := range n {
		start := time.Now()
		m.Suggest(texts[i], 5)
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	rep.SuggestP50 = ms(times[n/2])
	rep.SuggestP99 = ms(times[min(n-1, n*99/100)])
	if n > 0 {
		s := m.Suggest(texts[0], 5)
		rep.Example = &s[0]
	}
	blob, err := m.MarshalBinary()
	if err != nil {
		return err
	}
	rep.ModelBytes = len(blob)
	rep.ModelMemory, err = decodedSize(blob)
	return err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func printTriageReport(w io.Writer, rep *triageReport) {
	if rep.Folds > 0 {
		fmt.Fprintf(w, "%s: %d rows, %d-fold cross-validation\n", rep.Train, rep.TrainRows, rep.Folds)
	} else {
		fmt.Fprintf(w, "trained on %s (%d rows), measured on %s (%d rows)\n", rep.Train, rep.TrainRows, rep.Test, rep.Score.N)
	}
	fmt.Fprintf(w, "\n%-28s %8s %9s %9s %7s %7s\n", "label", "support", "predicted", "precision", "recall", "f1")
	for _, c := range rep.Score.Classes {
		fmt.Fprintf(w, "%-28s %8d %9d %9.4f %7.4f %7.4f\n", c.Label, c.Support, c.Predicted, c.Precision, c.Recall, c.F1)
	}
	secs := make([]string, len(rep.TrainSecs))
	for i, s := range rep.TrainSecs {
		secs[i] = fmt.Sprintf("%.1f s", s)
	}
	fmt.Fprintf(w, "\ntraining: %s\n", strings.Join(secs, ", "))
	fmt.Fprintf(w, "one suggestion: p50 %.3f ms, p99 %.3f ms\n", rep.SuggestP50, rep.SuggestP99)
	fmt.Fprintf(w, "model: %.1f MB encoded, %.1f MB in memory\n", float64(rep.ModelBytes)/1e6, float64(rep.ModelMemory)/1e6)
	if rep.Score.None > 0 {
		fmt.Fprintf(w, "no suggestion (no known word) for %d texts\n", rep.Score.None)
	}
	if ex := rep.Example; ex != nil {
		why := make([]string, len(ex.Reasons))
		for i, r := range ex.Reasons {
			why[i] = fmt.Sprintf("%s %+.2f", r.Word, r.Weight)
		}
		fmt.Fprintf(w, "example: %s (%.2f) because %s\n", ex.Label, ex.Confidence, strings.Join(why, ", "))
	}
	fmt.Fprintf(w, "accuracy %.4f macro_f1 %.4f\n", rep.Score.Accuracy, rep.Score.MacroF1)
}

func sortedKeys(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodedSize is the heap a model decoded from blob holds: the heap with it
// less the heap once it is gone.
func decodedSize(blob []byte) (uint64, error) {
	var with, without runtime.MemStats
	loaded, err := triage.Decode(blob)
	if err != nil {
		return 0, err
	}
	loaded.Suggest("warm up the model's pools", 1)
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(loaded)
	loaded = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	return with.HeapAlloc - min(with.HeapAlloc, without.HeapAlloc), nil
}
