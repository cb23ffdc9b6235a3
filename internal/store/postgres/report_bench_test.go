package postgres_test

import (
	"testing"

	"github.com/tierdesk/tierdesk/internal/store/storetest"
)

// BenchmarkReport is the TAT report over the generated 100k desk.
func BenchmarkReport(b *testing.B) {
	storetest.BenchReport(b, generated(b, 100_000), 100_000)
}
