package triage

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpus makes a small desk's worth of tickets in English and Russian:
// each category has its own words, and every ticket some shared noise.
func corpus(n int, seed uint64) (texts, cats, groups []string) {
	words := map[string][]string{
		"Access":   {"password", "reset", "locked", "account", "login", "пароль", "учетная", "запись", "заблокирована", "вход"},
		"Hardware": {"laptop", "screen", "keyboard", "broken", "printer", "ноутбук", "экран", "принтер", "сломался", "клавиатура"},
		"Purchase": {"order", "buy", "invoice", "licence", "quote", "закупка", "счет", "купить", "лицензия", "заказ"},
	}
	group := map[string]string{"Access": "Line 1", "Hardware": "Field", "Purchase": "Line 1"}
	noise := []string{"please", "help", "thanks", "today", "urgent", "пожалуйста", "срочно", "спасибо", "не", "работает"}
	names := []string{"Access", "Hardware", "Purchase"}
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range n {
		c := names[i%len(names)]
		var b []string
		for range 3 + rng.IntN(4) {
			b = append(b, words[c][rng.IntN(len(words[c]))])
		}
		for range 2 + rng.IntN(4) {
			b = append(b, noise[rng.IntN(len(noise))])
		}
		if rng.IntN(5) == 0 { // a word of another category: some tickets are ambiguous
			o := names[rng.IntN(len(names))]
			b = append(b, words[o][rng.IntN(len(words[o]))])
		}
		rng.Shuffle(len(b), func(i, j int) { b[i], b[j] = b[j], b[i] })
		texts, cats, groups = append(texts, strings.Join(b, " ")), append(cats, c), append(groups, group[c])
	}
	return texts, cats, groups
}

func smallConfig() Config {
	c := DefaultConfig()
	c.Bits = 16
	return c
}

func trainCorpus(t *testing.T, cfg Config) *Model {
	t.Helper()
	texts, cats, groups := corpus(600, 1)
	m, err := Train(cfg, texts, []Field{{Name: "category", Labels: cats}, {Name: "group", Labels: groups}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrain_SuggestsWithConfidenceAndReasons(t *testing.T) {
	m := trainCorpus(t, smallConfig())
	got := m.Suggest("Не могу войти: учетная запись заблокирована, reset my password please", 3)
	if len(got) != 2 || got[0].Field != "category" || got[1].Field != "group" {
		t.Fatalf("suggestions %+v, want category then group", got)
	}
	if got[0].Label != "Access" || got[1].Label != "Line 1" {
		t.Errorf("suggested %q/%q, want Access/Line 1", got[0].Label, got[1].Label)
	}
	if got[0].Confidence <= 0.5 || got[0].Confidence > 1 {
		t.Errorf("confidence %v, want above one half and at most 1", got[0].Confidence)
	}
	var why []string
	for _, r := range got[0].Reasons {
		why = append(why, r.Word)
	}
	if len(why) != 3 || !slices.ContainsFunc(why, func(w string) bool {
		return slices.Contains([]string{"password", "reset", "учетная", "запись", "заблокирована"}, w)
	}) {
		t.Errorf("reasons %v, want three words of the Access category", why)
	}
	for _, w := range why {
		if slices.Contains([]string{"please", "не", "my"}, w) {
			t.Errorf("reasons %v name a word every category has, or a stop word", why)
		}
	}
}

func TestTrain_HeldOutAccuracy(t *testing.T) {
	for name, cfg := range configs() {
		t.Run(name, func(t *testing.T) {
			m := trainCorpus(t, cfg)
			texts, cats, _ := corpus(300, 2)
			s := Evaluate(m, "category", texts, cats)
			if s.Accuracy < 0.9 || s.MacroF1 < 0.9 {
				t.Errorf("held-out accuracy %.3f macro-F1 %.3f, want at least 0.9", s.Accuracy, s.MacroF1)
			}
			if s.N != 300 || len(s.Classes) != 3 {
				t.Errorf("scored %d texts in %d classes, want 300 in 3", s.N, len(s.Classes))
			}
		})
	}
}

// The network's share of the confidence is its blend: all of it with
// blend 1, none with 0, where the SVM's alone (at netSVMTemp) decides.
func TestTrain_NetworkBlendedIntoConfidence(t *testing.T) {
	cfg := smallConfig().WithNetwork()
	text := "printer screen broken, please help"
	conf := map[float64][]float64{}
	for _, blend := range []float64{0, 0.5, 1} {
		cfg.NetBlend = blend
		m := trainCorpus(t, cfg)
		_, conf[blend] = m.Predict("category", text)
		h := m.head("category")
		a := m.analyse(text)
		if blend == 1 {
			net := h.net.probs(&a.vec, len(h.labels))
			for k := range net {
				if math.Abs(float64(net[k])-conf[1][k]) > 1e-6 {
					t.Fatalf("blend 1: confidences %v, want the network's %v", conf[1], net)
				}
			}
		}
	}
	for k := range conf[0] {
		if mid := (conf[0][k] + conf[1][k]) / 2; math.Abs(mid-conf[0.5][k]) > 1e-6 {
			t.Errorf("label %d: blend 0.5 gave %.6f, want the mean of the SVM's %.6f and the network's %.6f", k, conf[0.5][k], conf[0][k], conf[1][k])
		}
	}
	if slices.Equal(conf[0], conf[1]) {
		t.Error("the network and the SVM agree to the last digit: one of them is not used")
	}
}

// MinDF drops what fewer training texts have: a word of one text is
// unknown, a word of two is known.
func TestTrain_MinDF(t *testing.T) {
	texts, cats, _ := corpus(90, 5)
	texts = append(texts, "zebra", "yak", "yak")
	cats = append(cats, "Access", "Hardware", "Hardware")
	for minDF, want := range map[int][2]bool{0: {true, true}, 2: {false, true}} {
		cfg := smallConfig()
		cfg.MinDF = minDF
		m, err := Train(cfg, texts, []Field{{Name: "category", Labels: cats}})
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range []string{"zebra", "yak"} {
			if p, _ := m.Predict("category", w); (p >= 0) != want[i] {
				t.Errorf("min_df %d: %q known %v, want %v", minDF, w, p >= 0, want[i])
			}
		}
	}
}

func TestConfig_ValidateNetwork(t *testing.T) {
	for name, change := range map[string]func(*Config){
		"hidden negative": func(c *Config) { c.Hidden = -1 },
		"hidden too many": func(c *Config) { c.Hidden = 257 },
		"no epochs":       func(c *Config) { c.NetEpochs = 0 },
		"too many epochs": func(c *Config) { c.NetEpochs = 101 },
		"rate 0":          func(c *Config) { c.NetRate = 0 },
		"rate too high":   func(c *Config) { c.NetRate = 10.5 },
		"blend below 0":   func(c *Config) { c.NetBlend = -0.1 },
		"blend above 1":   func(c *Config) { c.NetBlend = 1.1 },
		"min_df negative": func(c *Config) { c.MinDF = -1 },
	} {
		c := DefaultConfig().WithNetwork()
		change(&c)
		if c.Validate() == nil {
			t.Errorf("%s: %+v accepted", name, c)
		}
	}
	edge := DefaultConfig().WithNetwork()
	edge.Hidden, edge.NetEpochs, edge.NetRate, edge.NetBlend = 256, 100, 10, 1
	lowest := DefaultConfig().WithNetwork()
	lowest.Hidden, lowest.NetEpochs, lowest.NetBlend = 1, 1, 0
	for _, c := range []Config{DefaultConfig(), DefaultConfig().WithNetwork(), edge, lowest} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v refused: %v", c, err)
		}
	}
}

// configs are the shipped model and the one with a network beside the
// SVM, each small.
func configs() map[string]Config {
	return map[string]Config{"svm": smallConfig(), "svm+network": smallConfig().WithNetwork()}
}

func TestTrain_Deterministic(t *testing.T) {
	for name, cfg := range configs() {
		t.Run(name, func(t *testing.T) {
			a, _ := trainCorpus(t, cfg).MarshalBinary()
			b, _ := trainCorpus(t, cfg).MarshalBinary()
			if !bytes.Equal(a, b) {
				t.Error("two trainings with one seed and data differ")
			}
			cfg.Seed = 2
			c, _ := trainCorpus(t, cfg).MarshalBinary()
			if bytes.Equal(a, c) {
				t.Error("another seed trained the same model: the seed is not used")
			}
		})
	}
}

func TestModel_SavedAndLoadedAnswersTheSame(t *testing.T) {
	for name, cfg := range configs() {
		t.Run(name, func(t *testing.T) {
			m := trainCorpus(t, cfg)
			blob, err := m.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			loaded, err := Decode(blob)
			if err != nil {
				t.Fatal(err)
			}
			texts, _, _ := corpus(100, 3)
			texts = append(texts, "something unseen entirely", "中文文本", "")
			for _, text := range texts {
				if diff := cmp.Diff(m.Suggest(text, 5), loaded.Suggest(text, 5)); diff != "" {
					t.Fatalf("%q answered differently after loading (-saved +loaded):\n%s", text, diff)
				}
			}
			again, _ := loaded.MarshalBinary()
			if !bytes.Equal(blob, again) {
				t.Error("a loaded model encodes differently")
			}
		})
	}
}

func TestDecode_RefusesDamage(t *testing.T) {
	blob, _ := trainCorpus(t, smallConfig()).MarshalBinary()
	for name, b := range map[string][]byte{
		"empty":     nil,
		"not ours":  []byte("PK\x03\x04 a zip file"),
		"truncated": blob[:len(blob)/2],
		"extra":     append(slices.Clone(blob), 0),
		"version":   append([]byte(magic+"\x09"), blob[len(magic)+1:]...),
	} {
		if _, err := Decode(b); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: Decode err %v, want ErrCorrupt", name, err)
		}
	}
}

func TestSuggest_NoKnownWord(t *testing.T) {
	m := trainCorpus(t, smallConfig())
	for _, text := range []string{"", "中文文本 日本語", "zzzz qqqq"} {
		for _, s := range m.Suggest(text, 3) {
			if s.Label != "" || s.Confidence != 0 || len(s.Reasons) != 0 {
				t.Errorf("%q: suggested %+v, want nothing: the model knows no word of it", text, s)
			}
		}
	}
}

func TestTrain_LabelSeenOnce(t *testing.T) {
	texts, cats, _ := corpus(90, 4)
	texts = append(texts, "monitor flickers on the new desk")
	cats = append(cats, "Facilities")
	m, err := Train(smallConfig(), texts, []Field{{Name: "category", Labels: cats}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(m.Labels("category"), "Facilities") {
		t.Errorf("labels %v lack the one seen once", m.Labels("category"))
	}
	cv, err := CrossValidate(smallConfig(), texts, cats, 5)
	if err != nil {
		t.Fatal(err)
	}
	if cv.Score.N != len(texts) || len(cv.Training) != 5 {
		t.Errorf("cross-validation scored %d texts in %d folds, want %d in 5", cv.Score.N, len(cv.Training), len(texts))
	}
}

func TestTrain_RefusesWhatCannotBeLearnt(t *testing.T) {
	if _, err := Train(smallConfig(), []string{"a", "b"}, []Field{{Name: "category", Labels: []string{"X", "X"}}}); !errors.Is(err, ErrTooFewLabels) {
		t.Errorf("one label: err %v, want ErrTooFewLabels", err)
	}
	if _, err := Train(smallConfig(), []string{"a"}, []Field{{Name: "category", Labels: []string{"X", "Y"}}}); err == nil {
		t.Error("more labels than texts: no error")
	}
	bad := smallConfig()
	bad.C = 0
	if _, err := Train(bad, []string{"a", "b"}, []Field{{Name: "c", Labels: []string{"X", "Y"}}}); err == nil {
		t.Error("C 0: no error")
	}
}

func TestCheckText(t *testing.T) {
	for text, want := range map[string]error{
		"printer is broken":            nil,
		"не работает VPN":              nil,
		"  \n\t":                       ErrEmptyText,
		strings.Repeat("a", MaxText+1): ErrTextTooLong,
		"bad \xff byte":                ErrNotUTF8,
		"打印机坏了，请帮忙":                    ErrNoKnownScript,
		"Ο εκτυπωτής δεν λειτουργεί 123": ErrNoKnownScript,
		"打印机 broken":                         nil,
		fmt.Sprint(strings.Repeat("x", 100)): nil,
	} {
		if err := CheckText(text); !errors.Is(err, want) {
			t.Errorf("CheckText(%.30q) = %v, want %v", text, err, want)
		}
	}
}

func TestFolds_Stratified(t *testing.T) {
	labels := slices.Repeat([]string{"a", "a", "a", "b"}, 25)
	labels = append(labels, "once")
	f := Folds(labels, 5, 1)
	per := map[[2]any]int{}
	for i, l := range labels {
		per[[2]any{l, f[i]}]++
	}
	for k := range 5 {
		if per[[2]any{"a", k}] != 15 || per[[2]any{"b", k}] != 5 {
			t.Errorf("fold %d has %d a and %d b, want 15 and 5", k, per[[2]any{"a", k}], per[[2]any{"b", k}])
		}
	}
	if !slices.Equal(f, Folds(labels, 5, 1)) {
		t.Error("folds differ for one seed")
	}
}
