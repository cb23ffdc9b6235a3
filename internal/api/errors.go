package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// problemTypePrefix starts the "type" URI of every problem document; the
// suffix is stable and meant for clients to switch on.
const problemTypePrefix = "urn:tierdesk:problem:"

// problem is an RFC 9457 problem document.
type problem struct {
	Type    string            `json:"type"`
	Title   string            `json:"title"`
	Status  int               `json:"status"`
	Detail  string            `json:"detail,omitempty"`
	Rule    desk.Rule         `json:"rule,omitempty"`
	Params  desk.Params       `json:"params,omitempty"`
	Errors  []desk.FieldError `json:"errors,omitempty"`
	Allowed []string          `json:"allowed,omitzero"`
}

// transportError is a failure found by the adapter itself, before or
// around the desk: malformed or oversized bodies, unknown routes, a
// database that is not ready.
type transportError struct {
	status int
	detail string
	fields []desk.FieldError
	cause  error // logged, never shown
}

func (e *transportError) Error() string {
	if e.cause != nil {
		return e.detail + ": " + e.cause.Error()
	}
	return e.detail
}

func (e *transportError) Unwrap() error { return e.cause }

// httpError returns a transportError with the given status.
func httpError(status int, format string, args ...any) error {
	return &transportError{status: status, detail: fmt.Sprintf(format, args...)}
}

var errPanic = errors.New("handler panicked")

// deskStatus is the HTTP status of each desk error code.
var deskStatus = map[string]int{
	desk.EINVALID:         http.StatusUnprocessableEntity,
	desk.ENOTFOUND:        http.StatusNotFound,
	desk.ECONFLICT:        http.StatusConflict,
	desk.ESTALE:           http.StatusPreconditionFailed,
	desk.EFORBIDDEN:       http.StatusForbidden,
	desk.EUNAUTHENTICATED: http.StatusUnauthorized,
	desk.EINTERNAL:        http.StatusInternalServerError,
	desk.ELIMIT:           http.StatusTooManyRequests,
}

// transportSlug names the problem type of each adapter-level status.
var transportSlug = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusNotFound:              desk.ENOTFOUND,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusPreconditionFailed:    desk.ESTALE,
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusUnprocessableEntity:   desk.EINVALID,
	http.StatusServiceUnavailable:    "unavailable",
}

// problemFor is the one place where an error becomes an HTTP status and a
// problem document. Errors that are neither desk errors nor transport
// errors are internal: their text is never shown.
func problemFor(err error) problem {
	var te *transportError
	if errors.As(err, &te) {
		slug, ok := transportSlug[te.status]
		if !ok {
			slug = "http_" + fmt.Sprint(te.status)
		}
		return problem{Type: problemTypePrefix + slug, Title: http.StatusText(te.status),
			Status: te.status, Detail: te.detail, Errors: te.fields}
	}
	code := desk.ErrorCode(err)
	status, ok := deskStatus[code]
	if !ok {
		code, status = desk.EINTERNAL, http.StatusInternalServerError
	}
	p := problem{Type: problemTypePrefix + code, Title: http.StatusText(status), Status: status,
		Detail: desk.ErrorMessage(err)}
	var de *desk.Error
	if errors.As(err, &de) && code != desk.EINTERNAL {
		p.Errors, p.Allowed, p.Rule, p.Params = de.Fields, de.Allowed, de.Rule, de.Params
	}
	if code == desk.EINTERNAL {
		p.Detail = "internal error: the server logged the details"
	}
	return p
}

// writeError renders err as a problem response, logging internal ones.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	if p.Status >= http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path,
			"status", p.Status, "err", err.Error())
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tierdesk"`)
	}
	if p.Status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60") // rate limits count by the minute
	}
	writeJSONType(w, "application/problem+json", p.Status, p)
}

// fieldProblem returns the desk's validation error for one field, for
// checks that the adapter makes on query strings and body shapes.
func fieldProblem(field string, rule desk.Rule, params desk.Params, format string, args ...any) error {
	return desk.InvalidFields(desk.Invalid(field, rule, params, format, args...))
}

// fieldProblems collects invalid fields found by the adapter (query
// parameters, nulls in bodies) into one desk validation error.
type fieldProblems []desk.FieldError

func (p *fieldProblems) fail(field string, rule desk.Rule, params desk.Params, format string, args ...any) {
	*p = append(*p, desk.Invalid(field, rule, params, format, args...))
}

func (p fieldProblems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &desk.Error{Code: desk.EINVALID, Message: "validation failed", Fields: p}
}
