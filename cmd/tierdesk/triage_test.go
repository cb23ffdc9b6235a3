package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ticketRows makes labelled rows of three categories in English and
// Russian, row i of category i%3.
func ticketRows(n int) [][]string {
	words := [][]string{
		{"password", "reset", "locked", "account", "пароль", "учетная", "заблокирована"},
		{"laptop", "screen", "keyboard", "printer", "ноутбук", "экран", "принтер"},
		{"order", "invoice", "licence", "quote", "закупка", "счет", "лицензия"},
	}
	cats := []string{"Access", "Hardware", "Purchase"}
	rows := [][]string{{"text", "category"}}
	for i := range n {
		w := words[i%3]
		text := fmt.Sprintf("%s %s %s please help", w[i%len(w)], w[(i/3)%len(w)], w[(i/7+2)%len(w)])
		rows = append(rows, []string{text, cats[i%3]})
	}
	return rows
}

func writeCSV(t *testing.T, name string, rows [][]string) string {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	data := b.Bytes()
	if strings.HasSuffix(name, ".gz") {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		data = z.Bytes()
	}
	return writeFile(t, name, data)
}

func writeFile(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runTriage(args ...string) (string, string, int) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), append([]string{"triage", "eval", "--bits", "16"}, args...), strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestTriageEval_TrainAndTest(t *testing.T) {
	train := writeCSV(t, "train.csv.gz", ticketRows(300))
	test := writeCSV(t, "test.csv", ticketRows(60))
	out, errOut, code := runTriage("--train", train, "--test", test)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	for _, want := range []string{"Access", "Hardware", "Purchase", "training:", "one suggestion: p50", "model:", "accuracy 1.0000 macro_f1 1.0000"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	out, errOut, code = runTriage("--train", train, "--folds", "5", "--json")
	if code != 0 {
		t.Fatalf("--folds --json: exit %d\n%s", code, errOut)
	}
	var rep triageReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json printed no JSON: %v\n%s", err, out)
	}
	if rep.Score.N != 300 || len(rep.TrainSecs) != 5 || rep.Score.Accuracy < 0.95 || rep.SuggestP99 <= 0 || rep.ModelBytes == 0 {
		t.Errorf("cross-validation report %+v, want 300 texts scored over 5 folds, accuracy ≥ 0.95, timings and size", rep)
	}
}

func TestTriageEval_Network(t *testing.T) {
	train := writeCSV(t, "train.csv", ticketRows(300))
	out, errOut, code := runTriage("--train", train, "--folds", "3", "--json", "--hidden", "8", "--net-blend", "0.5")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var rep triageReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("--json printed no JSON: %v\n%s", err, out)
	}
	if c := rep.Config; c.Hidden != 8 || c.NetBlend != 0.5 || c.NetEpochs != 5 || rep.Score.Accuracy < 0.95 {
		t.Errorf("config %+v accuracy %.3f, want 8 hidden units blended half, 5 passes, accuracy ≥ 0.95", c, rep.Score.Accuracy)
	}
	if _, errOut, code := runTriage("--train", train, "--folds", "3", "--hidden", "8", "--net-blend", "2"); code == 0 || !strings.Contains(errOut, "blend") {
		t.Errorf("--net-blend 2: exit %d, want a usage error naming the blend\n%s", code, errOut)
	}
}

func TestTriageEval_LabelSeenOnce(t *testing.T) {
	rows := append(ticketRows(90), []string{"monitor flickers on the new desk", "Facilities"})
	train := writeCSV(t, "train.csv", rows)
	out, errOut, code := runTriage("--train", train, "--folds", "3")
	if code != 0 || !strings.Contains(errOut, `label "Facilities" has only one example`) || !strings.Contains(out, "Facilities") {
		t.Errorf("exit %d, want 0 with a warning about the label seen once\n%s\n%s", code, out, errOut)
	}
}

func TestTriageEval_BadInput(t *testing.T) {
	good := writeCSV(t, "good.csv", ticketRows(30))
	bad := func(rows ...[]string) string {
		return writeCSV(t, "bad.csv", append(ticketRows(6), rows...))
	}
	for name, c := range map[string]struct {
		args []string
		want []string
	}{
		"missing column": {[]string{"--train", writeCSV(t, "t.csv", [][]string{{"body", "cat"}, {"x", "y"}}), "--folds", "2"},
			[]string{`line 1: no text column "text" and no label column "category"`, `"body", "cat"`}},
		"other column names": {[]string{"--train", good, "--folds", "2", "--label-column", "group"},
			[]string{`line 1: no label column "group"`}},
		"broken quoting": {[]string{"--train", writeFile(t, "q.csv", []byte("text,category\nok text,Access\n\"unclosed quote,Access\nmore,Hardware\n")), "--folds", "2"},
			[]string{"line 3:", "quot"}},
		"wrong column count": {[]string{"--train", writeFile(t, "n.csv", []byte("text,category\nok,Access\nthree,columns,here\n")), "--folds", "2"},
			[]string{"line 3:", "wrong number of fields"}},
		"empty, huge and foreign texts": {[]string{"--train", bad([]string{"", "Access"}, []string{strings.Repeat("word ", 1<<18), "Access"},
			[]string{"打印机坏了", "Hardware"}, []string{"printer", ""}), "--folds", "2"},
			[]string{"4 faulty rows; nothing was trained", "line 8: empty text", "line 9: text longer than 65536 bytes (1310720 bytes)",
				"line 10: text has no Latin or Cyrillic word", "line 11: empty label"}},
		"unknown label in test": {[]string{"--train", good, "--test", writeCSV(t, "test.csv", [][]string{{"text", "category"}, {"vpn down", "Network"}, {"printer", "Hardware"}})},
			[]string{`line 2: label "Network" is not in the training file`, `known: "Access", "Hardware", "Purchase"`}},
		"one label only": {[]string{"--train", writeCSV(t, "one.csv", [][]string{{"text", "category"}, {"a b", "X"}, {"c d", "X"}}), "--folds", "2"},
			[]string{"1 label(s)"}},
		"neither test nor folds": {[]string{"--train", good}, []string{"either --test FILE or --folds K"}},
		"no such file":           {[]string{"--train", "/nonexistent.csv", "--folds", "2"}, []string{"no such file"}},
		"too many folds":         {[]string{"--train", good, "--folds", "31"}, []string{"--folds 31: from 2 to the number of rows (30)"}},
		"bad config":             {[]string{"--train", good, "--folds", "2", "--c", "0"}, []string{"C 0"}},
	} {
		out, errOut, code := runTriage(c.args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s%s", name, code, out, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%s: error lacks %q:\n%s", name, w, errOut)
			}
		}
		if strings.Contains(out, "accuracy") {
			t.Errorf("%s: printed a report after refusing:\n%s", name, out)
		}
	}
}

func TestTriageTrain_FreshDesk(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"triage", "train", "--data", t.TempDir()}, strings.NewReader(""), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "too little history to learn from: 0 resolved or closed tickets") ||
		!strings.Contains(errOut.String(), "no model was stored") {
		t.Errorf("exit %d, want 1 saying the desk has too little history\n%s%s", code, out.String(), errOut.String())
	}
}
