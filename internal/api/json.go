package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// writeJSON writes v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	writeJSONType(w, "application/json", status, v)
}

func writeJSONType(w http.ResponseWriter, contentType string, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Every response type marshals; reaching here is a bug.
		http.Error(w, `{"title":"Internal Server Error","status":500}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// decodeJSON reads the request body into dst: exactly one JSON value of a
// JSON media type, no unknown fields, within the size limit.
func (s *server) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	if err := checkJSONType(r.Header.Get("Content-Type")); err != nil {
		return err
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		return tooLarge(s.opts.MaxBodyBytes)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return tooLarge(s.opts.MaxBodyBytes)
	}
	if err != nil {
		return httpError(http.StatusBadRequest, "reading the body failed")
	}
	if err := checkJSONText(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return s.decodeError(err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return httpError(http.StatusBadRequest, "the body must hold one JSON value and nothing after it")
	}
	return nil
}

func checkJSONType(ct string) error {
	if ct == "" {
		return httpError(http.StatusUnsupportedMediaType, "Content-Type is missing: send application/json")
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || !(mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))) {
		return httpError(http.StatusUnsupportedMediaType, "Content-Type %q is not supported: send application/json", ct)
	}
	return nil
}

func tooLarge(limit int64) error {
	return httpError(http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", limit)
}

// decodeError classifies a decoding failure: syntax and shape problems are
// 400, a value of the wrong JSON type in a named field is 422.
func (s *server) decodeError(err error) error {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
		mbe    *http.MaxBytesError
	)
	switch {
	case errors.As(err, &mbe):
		return tooLarge(s.opts.MaxBodyBytes)
	case errors.Is(err, io.EOF):
		return httpError(http.StatusBadRequest, "the body is empty: send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return httpError(http.StatusBadRequest, "malformed JSON: the body ends too early")
	case errors.As(err, &syntax):
		return httpError(http.StatusBadRequest, "malformed JSON at byte %d: %s", syntax.Offset, syntax.Error())
	case errors.As(err, &typ) && typ.Field == "":
		return httpError(http.StatusBadRequest, "the body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		return fieldProblem(jsonPath(typ.Field), desk.RuleInvalidFmt, desk.Params{"format": jsonTypeName(typ.Type)}, "must be %s", jsonTypeName(typ.Type))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &transportError{status: http.StatusBadRequest, detail: "unknown field " + name,
			fields: []desk.FieldError{desk.Invalid(strings.Trim(name, `"`), desk.RuleUnknownField, nil, "unknown field")}}
	}
	return httpError(http.StatusBadRequest, "malformed JSON body")
}

// jsonPath drops the Go names of embedded structs (capitalised, unlike every
// JSON name of this API) from a decoding error's field path.
func jsonPath(field string) string {
	parts := strings.Split(field, ".")
	out := parts[:0]
	for _, p := range parts {
		if p != "" && !unicode.IsUpper(rune(p[0])) {
			out = append(out, p)
		}
	}
	return strings.Join(out, ".")
}

// jsonTypeName describes a Go type as the JSON value expected.
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == reflect.TypeFor[time.Time]():
		return "an RFC 3339 timestamp"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "a boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "an integer"
	case t.Kind() == reflect.Slice || t.Kind() == reflect.Array:
		return "an array"
	case t.Kind() == reflect.Struct || t.Kind() == reflect.Map:
		return "an object"
	}
	return "of another type"
}

// optional is a JSON field that tells absent (Set false) from null (Null)
// from a value: PATCH bodies need all three.
type optional[T any] struct {
	Set   bool
	Null  bool
	Value T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.Value)
}

// timestamp is an RFC 3339 instant whose parse failure names its field.
type timestamp struct{ time.Time }

func (t *timestamp) UnmarshalJSON(b []byte) error {
	if err := t.Time.UnmarshalJSON(b); err != nil {
		return &json.UnmarshalTypeError{Value: "string " + string(b), Type: reflect.TypeFor[time.Time]()}
	}
	return nil
}
