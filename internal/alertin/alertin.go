// Package alertin is the thin adapter between monitoring systems' webhook
// payloads and the desk's alert intake: it parses a Prometheus
// Alertmanager webhook (version 4), a Grafana unified-alerting webhook, or
// Tierdesk's generic JSON into desk.AlertNotices, one per dedup key. It
// decides nothing about incidents: deduplication, rules and limits are the
// desk's (desk.ReceiveAlerts).
package alertin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// ErrMalformed wraps a body that is not the JSON its kind promises (an
// HTTP adapter answers 400); a well-formed body with wrong values is a
// desk EINVALID error.
var ErrMalformed = errors.New("malformed alert payload")

// Parse parses the body of one notification of the given kind.
func Parse(kind desk.IntegrationKind, body []byte) ([]desk.AlertNotice, error) {
	switch kind {
	case desk.KindAlertmanager:
		return parseAlertmanager(body)
	case desk.KindGrafana:
		return parseGrafana(body)
	case desk.KindGeneric:
		return parseGeneric(body)
	}
	return nil, desk.Errorf(desk.EINVALID, "unknown integration kind %q", kind)
}

// decode reads exactly one JSON value into dst; strict rejects unknown
// fields (our own schema), others accept what newer senders add.
func decode(body []byte, dst any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(dst); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) && typ.Field != "" {
			return invalid(typ.Field, desk.RuleInvalidFmt, desk.Params{"format": typ.Type.Kind().String()}, "must be %s", typ.Type.Kind())
		}
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if err := dec.Decode(&json.RawMessage{}); err != io.EOF {
		return fmt.Errorf("%w: the body must hold one JSON value and nothing after it", ErrMalformed)
	}
	return nil
}

func invalid(field string, rule desk.Rule, params desk.Params, format string, args ...any) error {
	fe := desk.Invalid(field, rule, params, format, args...)
	return &desk.Error{Code: desk.EINVALID, Message: "invalid alert payload: " + field + " " + fe.Message,
		Fields: []desk.FieldError{fe}}
}

// status checks an alert or notification status.
func status(field, s string) (desk.AlertStatus, error) {
	switch desk.AlertStatus(s) {
	case desk.AlertFiring, desk.AlertResolved:
		return desk.AlertStatus(s), nil
	}
	return "", invalid(field, desk.RuleOneOf, desk.Params{"allowed": []string{"firing", "resolved"}}, "must be firing or resolved, not %q", s)
}

// instant returns a timestamp, or nil for the zero time Alertmanager and
// Grafana send as "0001-01-01T00:00:00Z" for "not yet".
func instant(t time.Time) *time.Time {
	if t.IsZero() || t.Year() <= 1 {
		return nil
	}
	u := t.UTC()
	return &u
}

// labelFingerprint identifies an alert by its labels when the sender gave
// no fingerprint: the same labels always give the same value.
func labelFingerprint(labels map[string]string) string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		fmt.Fprintf(h, "%s\x00%s\x00", k, labels[k])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// firstOf returns the first non-empty value of m among keys.
func firstOf(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(m[k]); v != "" {
			return v
		}
	}
	return ""
}
