package mailmsg

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParse parses the corpus round-robin and reports messages per
// second: "typical" is every corpus message but the 1 MiB one, "all" includes it.
// go test ./internal/mailmsg -run '^$' -bench BenchmarkParse -benchmem
func BenchmarkParse(b *testing.B) {
	var typical, all [][]byte
	for _, p := range corpusFiles(b) {
		raw, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		all = append(all, raw)
		if filepath.Base(p) != "17-py-1mb-single-line.eml" {
			typical = append(typical, raw)
		}
	}
	for _, set := range []struct {
		name string
		msgs [][]byte
	}{{"typical", typical}, {"all", all}} {
		b.Run(set.name, func(b *testing.B) {
			var bytes int64
			for _, m := range set.msgs {
				bytes += int64(len(m))
			}
			b.SetBytes(bytes / int64(len(set.msgs)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := Parse(set.msgs[i%len(set.msgs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
