package triagedesk

// ReadSamples lets the tests read with a cap smaller than MaxSamples.
var ReadSamples = readSamples

// SetSamplesPage makes readSamples read n samples at a time until the
// test ends.
func SetSamplesPage(t interface{ Cleanup(func()) }, n int) {
	old := samplesPage
	samplesPage = n
	t.Cleanup(func() { samplesPage = old })
}
