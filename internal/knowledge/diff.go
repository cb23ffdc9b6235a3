package knowledge

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Op says what a diff line is.
type Op string

// Diff operations.
const (
	Same Op = "same"
	Add  Op = "add"
	Del  Op = "del"
)

// DiffLine is one line of a line diff.
type DiffLine struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
}

// maxDiffCells bounds the LCS table (lines × lines after the common head
// and tail are cut): beyond it the changed middle is shown as removed and
// added whole, which is still a correct diff, only a coarse one.
const maxDiffCells = 4_000_000

// DiffLines is the line diff turning a into b: the longest common
// subsequence of lines is kept, the rest removed or added.
func DiffLines(a, b []string) []DiffLine {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	tail := 0
	for tail < len(a)-head && tail < len(b)-head && a[len(a)-1-tail] == b[len(b)-1-tail] {
		tail++
	}
	out := make([]DiffLine, 0, len(a)+len(b))
	for _, l := range a[:head] {
		out = append(out, DiffLine{Same, l})
	}
	out = append(out, diffMiddle(a[head:len(a)-tail], b[head:len(b)-tail])...)
	for _, l := range a[len(a)-tail:] {
		out = append(out, DiffLine{Same, l})
	}
	return out
}

// diffMiddle diffs the part between the common head and tail by LCS.
func diffMiddle(a, b []string) []DiffLine {
	var out []DiffLine
	if len(a)*len(b) > maxDiffCells {
		for _, l := range a {
			out = append(out, DiffLine{Del, l})
		}
		for _, l := range b {
			out = append(out, DiffLine{Add, l})
		}
		return out
	}
	// lcs[i][j] is the LCS length of a[i:] and b[j:].
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, DiffLine{Same, a[i]})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			out = append(out, DiffLine{Del, a[i]})
			i++
		default:
			out = append(out, DiffLine{Add, b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, DiffLine{Del, a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, DiffLine{Add, b[j]})
	}
	return out
}

// Lines is a version's content as lines of text, the form its diff is
// taken in: the fields first, then each translation's title and body.
func (c *Content) Lines() []string {
	var svcs []string
	for _, s := range c.Services {
		svcs = append(svcs, s.Name)
	}
	review := ""
	if c.ReviewAt != nil {
		review = c.ReviewAt.UTC().Format(time.DateOnly)
	}
	lines := []string{
		"state: " + string(c.State),
		"audience: " + string(c.Audience),
		"category: " + refText(c.Category),
		"services: " + strings.Join(svcs, ", "),
		"keywords: " + strings.Join(c.Keywords, ", "),
		"owner: " + refText(c.Owner),
		"review: " + review,
		"key: " + c.Key,
	}
	for _, t := range c.Translations {
		lines = append(lines, "", fmt.Sprintf("[%s] %s", t.Lang, t.Title), "")
		lines = append(lines, strings.Split(strings.ReplaceAll(t.Body, "\r\n", "\n"), "\n")...)
	}
	return lines
}

// DiffStats counts a diff's added and removed lines.
func DiffStats(d []DiffLine) (added, removed int) {
	for _, l := range d {
		switch l.Op {
		case Add:
			added++
		case Del:
			removed++
		}
	}
	return added, removed
}

// Changed reports whether the diff changes anything.
func Changed(d []DiffLine) bool {
	return slices.ContainsFunc(d, func(l DiffLine) bool { return l.Op != Same })
}

// refText is a reference's name, or nothing.
func refText(r *desk.Ref) string {
	if r == nil {
		return ""
	}
	return r.Name
}
