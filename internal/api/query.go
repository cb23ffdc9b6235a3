package api

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// query reads query parameters, collecting every bad one into a single 422
// that names the parameters.
type query struct {
	values url.Values
	fieldProblems
}

// newQuery refuses parameters other than the known ones, so that a typo in
// a filter is an error rather than a silently unfiltered list.
func newQuery(r *http.Request, known ...string) *query {
	q := &query{values: r.URL.Query()}
	for name := range q.values {
		if !slices.Contains(known, name) {
			q.fail(name, desk.RuleUnknownField, desk.Params{"allowed": known}, "unknown parameter; known: %s", strings.Join(known, ", "))
		}
	}
	slices.SortFunc(q.fieldProblems, func(a, b desk.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return q
}

// checkQuerySeparators refuses a query string with a raw ';' in it.
// net/url no longer takes ';' as a separator and drops every parameter
// that holds one, so "?sort=created;DROP" or "?evil=1;x" would be answered
// as if the parameter were absent, passing even the unknown-parameter
// check. Each such parameter is named; a ';' inside a value is sent as %3B.
func checkQuerySeparators(raw string) error {
	if !strings.Contains(raw, ";") {
		return nil
	}
	var p fieldProblems
	for part := range strings.SplitSeq(raw, "&") {
		if !strings.Contains(part, ";") {
			continue
		}
		name, _, _ := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		p.fail(name, desk.RuleInvalidFmt, nil,
			"holds ';', which is not a parameter separator: separate parameters with '&' and write ';' in a value as %%3B")
	}
	return p.err()
}

func (q *query) str(name string) string { return q.values.Get(name) }

// list splits comma-separated values, also across repeated parameters.
func (q *query) list(name string) []string {
	var out []string
	for _, v := range q.values[name] {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// id parses a positive id; aliases map words such as "me" to ids.
func (q *query) id(name string, aliases map[string]int64) *int64 {
	v := q.values.Get(name)
	if v == "" {
		return nil
	}
	if id, ok := aliases[v]; ok {
		return &id
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "id"}, "must be a positive id%s", aliasHint(aliases))
		return nil
	}
	return &n
}

// ids parses a comma-separated list of positive ids.
func (q *query) ids(name string) []int64 {
	var out []int64
	for _, v := range q.list(name) {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "id"}, "must be a comma-separated list of positive ids")
			return nil
		}
		out = append(out, n)
	}
	return out
}

func aliasHint(aliases map[string]int64) string {
	if len(aliases) == 0 {
		return ""
	}
	words := make([]string, 0, len(aliases))
	for w := range aliases {
		words = append(words, strconv.Quote(w))
	}
	slices.Sort(words)
	return " or one of " + strings.Join(words, ", ")
}

func (q *query) time(name string) *time.Time {
	v := q.values.Get(name)
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "timestamp"}, "must be an RFC 3339 timestamp such as 2026-01-31T09:00:00Z")
		return nil
	}
	return &t
}

func (q *query) boolean(name string) bool {
	v := q.values.Get(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.fail(name, desk.RuleInvalidFmt, desk.Params{"format": "boolean"}, "must be true or false")
	}
	return b
}

// limit parses the page size: default desk.DefaultPageSize, at most
// desk.MaxPageSize.
func (q *query) limit() int {
	v := q.values.Get("limit")
	if v == "" {
		return desk.DefaultPageSize
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > desk.MaxPageSize {
		q.fail("limit", desk.RuleOutOfRange, desk.Params{"min": 1, "max": desk.MaxPageSize}, "must be an integer from 1 to %d", desk.MaxPageSize)
		return desk.DefaultPageSize
	}
	return n
}

// pathID parses the {name} path segment as a positive id; anything else
// names no resource.
func pathID(r *http.Request, name, what string) (int64, error) {
	v := r.PathValue(name)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "no %s %q", what, v)
	}
	return n, nil
}
