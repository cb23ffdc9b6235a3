package desk

import (
	"errors"
	"fmt"
)

// Error codes. Adapters map each code to one transport status in exactly one
// place (HTTP: internal/api).
const (
	EINVALID         = "invalid"         // input failed validation
	ENOTFOUND        = "not_found"       // no such thing, or not visible to the actor
	ECONFLICT        = "conflict"        // the thing's current state forbids the operation
	ESTALE           = "stale"           // the caller's copy is out of date (If-Match / version)
	EFORBIDDEN       = "forbidden"       // authenticated but not allowed
	EUNAUTHENTICATED = "unauthenticated" // no or bad credentials
	EINTERNAL        = "internal"        // a bug or an unavailable dependency
	ELIMIT           = "rate_limited"    // too many requests from one source: retry later
)

// FieldError names one invalid input field: which rule it breaks, with
// the values the rule names (Params: "max", "min", "allowed", ...), so
// that a client can word it in its own language, and the English Message.
type FieldError struct {
	Field   string `json:"field"`
	Rule    Rule   `json:"rule"`
	Params  Params `json:"params,omitempty"`
	Message string `json:"message"`
}

// Invalid returns the field error for field breaking rule.
func Invalid(field string, rule Rule, params Params, format string, args ...any) FieldError {
	return FieldError{Field: field, Rule: rule, Params: params, Message: fmt.Sprintf(format, args...)}
}

// Error is the one error type the domain returns to adapters.
type Error struct {
	Code    string
	Message string
	// Rule and Params say why, for clients that word the message
	// themselves (as Fields do for each field); Rule is "" when the code
	// says enough.
	Rule   Rule
	Params Params
	Fields []FieldError
	// Allowed lists what would have been accepted, e.g. the states a ticket
	// may move to when a transition is refused.
	Allowed []string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	s := e.Message
	for _, f := range e.Fields {
		s += fmt.Sprintf("; %s: %s", f.Field, f.Message)
	}
	return s
}

// Errorf returns an *Error with the given code.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refusef returns an *Error with the given code and rule.
func Refusef(code string, rule Rule, params Params, format string, args ...any) *Error {
	return &Error{Code: code, Rule: rule, Params: params, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain; other
// errors are internal and their text is not shown to users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// validation collects field errors and turns them into one EINVALID error.
type validation struct{ fields []FieldError }

func (v *validation) add(field string, rule Rule, params Params, format string, args ...any) {
	v.fields = append(v.fields, Invalid(field, rule, params, format, args...))
}

func (v *validation) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "validation failed", Fields: v.fields}
}

// InvalidFields returns the EINVALID error of the field errors.
func InvalidFields(fields ...FieldError) error {
	return &Error{Code: EINVALID, Message: "validation failed", Fields: fields}
}
