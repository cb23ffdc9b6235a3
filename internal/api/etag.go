package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// A ticket's ETag is its version as a strong entity tag: "7".

func setETag(w http.ResponseWriter, version int) {
	w.Header().Set("ETag", strconv.Quote(strconv.Itoa(version)))
}

// entityTag is one parsed entity-tag (RFC 9110 section 8.8.3).
type entityTag struct {
	weak   bool
	opaque string
}

// parseIfMatch parses If-Match header values: "*" or a list of entity tags.
// ok is false when the header is malformed.
func parseIfMatch(values []string) (star bool, tags []entityTag, ok bool) {
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			switch {
			case item == "":
				continue
			case item == "*":
				star = true
				continue
			}
			t, good := parseEntityTag(item)
			if !good {
				return false, nil, false
			}
			tags = append(tags, t)
		}
	}
	if star && len(tags) > 0 {
		return false, nil, false
	}
	return star, tags, true
}

func parseEntityTag(s string) (entityTag, bool) {
	var t entityTag
	if rest, ok := strings.CutPrefix(s, "W/"); ok {
		t.weak, s = true, rest
	}
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return t, false
	}
	t.opaque = s[1 : len(s)-1]
	for _, c := range []byte(t.opaque) {
		if c == '"' || c < 0x21 || c == 0x7f {
			return t, false
		}
	}
	return t, true
}

// ifVersion turns the request's If-Match into desk IfVersion: 0 when there is
// no precondition (absent or "*"). A malformed header is 400; tags that can
// never match the ticket (weak ones: If-Match compares strongly) are 412.
// With several tags, the one matching the current version is used.
func (s *server) ifVersion(r *http.Request, ref string) (int, error) {
	star, tags, ok := parseIfMatch(r.Header.Values("If-Match"))
	if !ok {
		return 0, httpError(http.StatusBadRequest, "malformed If-Match header: send the ETag as received, e.g. \"3\"")
	}
	var versions []int
	for _, t := range tags {
		if n, err := strconv.Atoi(t.opaque); err == nil && !t.weak && n > 0 {
			versions = append(versions, n)
		}
	}
	if star || len(tags) == 0 {
		return 0, nil
	}
	if len(versions) == 1 {
		return versions[0], nil
	}
	t, err := s.desk.Ticket(r.Context(), ref)
	if err != nil {
		return 0, err
	}
	if slices.Contains(versions, t.Version) {
		return t.Version, nil
	}
	return 0, desk.Errorf(desk.ESTALE, "ticket %s is at version %d, which If-Match does not name", t.Number, t.Version)
}

// matchVersion turns If-Match into the version a change expects (0: no
// precondition), as ifVersion does for tickets, for records whose current
// version and name current reads when several tags leave it open.
func matchVersion(r *http.Request, current func() (version int, name string, err error)) (int, error) {
	star, tags, ok := parseIfMatch(r.Header.Values("If-Match"))
	if !ok {
		return 0, httpError(http.StatusBadRequest, "malformed If-Match header: send the ETag as received, e.g. \"3\"")
	}
	if star || len(tags) == 0 {
		return 0, nil
	}
	var versions []int
	for _, t := range tags {
		if n, err := strconv.Atoi(t.opaque); err == nil && !t.weak && n > 0 {
			versions = append(versions, n)
		}
	}
	if len(versions) == 1 {
		return versions[0], nil
	}
	v, name, err := current()
	if err != nil {
		return 0, err
	}
	if slices.Contains(versions, v) {
		return v, nil
	}
	return 0, desk.Errorf(desk.ESTALE, "%s is at version %d, which If-Match does not name", name, v)
}
