package desk

import "fmt"

// Matrix maps impact × urgency to priority. Index with Level.index():
// Matrix[impact][urgency].
type Matrix [3][3]Priority

// DefaultMatrix is the matrix of a fresh installation.
var DefaultMatrix = Matrix{
	{P1, P2, P3}, // impact high: urgency high, medium, low
	{P2, P3, P4}, // impact medium
	{P3, P4, P4}, // impact low
}

// Priority returns the priority for impact and urgency; both must be valid.
func (m Matrix) Priority(impact, urgency Level) Priority {
	return m[impact.index()][urgency.index()]
}

// Set changes one cell.
func (m *Matrix) Set(impact, urgency Level, p Priority) { m[impact.index()][urgency.index()] = p }

// Validate checks every cell holds a known priority.
func (m Matrix) Validate() error {
	var v validation
	for i, imp := range Levels {
		for j, urg := range Levels {
			if !oneOf(m[i][j], Priorities) {
				v.add(fmt.Sprintf("%s.%s", imp, urg), RuleOneOf, Params{"allowed": []string{"P1", "P2", "P3", "P4"}}, "must be one of P1, P2, P3, P4")
			}
		}
	}
	return v.err()
}
