package servicenow

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

// BenchmarkImport imports the whole real log (141,712 rows, 24,918
// incidents) into a fresh, migrated database per iteration; opening and
// migrating it is not timed. See docs/benchmarks.md.
func BenchmarkImport(b *testing.B) {
	path := incidentLogPath(b)
	for _, backend := range testdb.Backends {
		b.Run(backend.Name, func(b *testing.B) {
			var sum Summary
			b.StopTimer()
			for range b.N {
				s := backend.Open(b)
				b.StartTimer()
				sum = importFile(b, s, path)
				b.StopTimer()
				s.Close()
			}
			secs := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(sum.Imported)/secs, "incidents/s")
			b.ReportMetric(float64(sum.Events)/secs, "events/s")
		})
	}
}
