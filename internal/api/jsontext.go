package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// checkJSONText refuses a body whose strings are not valid Unicode text:
// raw bytes that are not UTF-8 (`\xff\xfe`) or a \u escape of a lone
// surrogate (`\ud800`). encoding/json would quietly turn either into U+FFFD,
// storing something other than what was sent. The problem names the field
// whose string is broken when the body is otherwise well-formed JSON.
func checkJSONText(body []byte) error {
	if utf8.Valid(body) && !hasSurrogateEscape(body) {
		return nil
	}
	field, found := brokenStringPath(body)
	switch {
	case !found && utf8.Valid(body):
		return nil // the escapes were fine, or the decoder reports the syntax
	case !found || field == "":
		return httpError(http.StatusBadRequest, "the body is not valid UTF-8 text")
	}
	return &transportError{status: http.StatusBadRequest,
		detail: "field " + field + " is not valid UTF-8 text",
		fields: []desk.FieldError{desk.Invalid(field, desk.RuleInvalidText, nil, "is not valid UTF-8 text")}}
}

// hasSurrogateEscape reports whether body may hold a \uD800–\uDFFF escape
// (a quick test; validString decides).
func hasSurrogateEscape(body []byte) bool {
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(`\u`))
		if j < 0 || i+j+2 >= len(body) {
			return false
		}
		i += j + 2
		if c := body[i]; c == 'd' || c == 'D' {
			return true
		}
	}
}

// brokenStringPath walks the JSON tokens of body and returns the path
// ("title", "requester.email", "links.0.url") of the first string, key or
// value, whose raw text is not valid; found is false when there is none
// or the body is not JSON.
func brokenStringPath(body []byte) (path string, found bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*pathFrame
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			continue
		}
		var top *pathFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		name := top.next()
		if top != nil && top.object && !top.expectKey {
			top.key, _ = tok.(string) // a key: the value after it takes its name
			name = top.key
		}
		switch v := tok.(type) {
		case json.Delim:
			stack = append(stack, &pathFrame{object: v == '{', expectKey: true, name: name})
		case string:
			raw := body[start:dec.InputOffset()]
			if !validString(raw[bytes.IndexByte(raw, '"'):]) {
				return joinPath(stack, name), true
			}
		}
	}
}

// pathFrame is one open object or array of brokenStringPath's walk.
type pathFrame struct {
	object    bool
	name      string // this container's name within its parent
	expectKey bool   // objects: the next token is a key
	key       string // objects: the key read last
	index     int    // arrays: the index of the next element
}

// next names the token being read within f: a key, or the value after
// it, by the key; an array's element by its index.
func (f *pathFrame) next() string {
	switch {
	case f == nil:
		return ""
	case f.object:
		f.expectKey = !f.expectKey
		return f.key
	}
	f.index++
	return strconv.Itoa(f.index - 1)
}

func joinPath(stack []*pathFrame, last string) string {
	var parts []string
	for _, f := range stack {
		if f.name != "" {
			parts = append(parts, f.name)
		}
	}
	if last != "" {
		parts = append(parts, last)
	}
	return strings.Join(parts, ".")
}

// validString reports whether raw, a JSON string with its quotes, is valid
// UTF-8 whose \u escapes pair their surrogates.
func validString(raw []byte) bool {
	if !utf8.Valid(raw) {
		return false
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if i >= len(raw) || raw[i] != 'u' {
			continue
		}
		r, ok := hex4(raw, i+1)
		if !ok {
			return true // a syntax error the decoder reports
		}
		i += 4
		switch {
		case r >= 0xD800 && r <= 0xDBFF:
			lo, ok := hex4(raw, i+3)
			if i+2 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' || !ok || lo < 0xDC00 || lo > 0xDFFF {
				return false
			}
			i += 6
		case r >= 0xDC00 && r <= 0xDFFF:
			return false
		}
	}
	return true
}

func hex4(b []byte, at int) (rune, bool) {
	if at+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[at:at+4]), 16, 32)
	return rune(n), err == nil
}
