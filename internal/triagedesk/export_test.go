package triagedesk

// ReadSamples lets the tests read with a cap smaller than MaxSamples.
var ReadSamples = readSamples
