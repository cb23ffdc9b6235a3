package sso

import (
	"errors"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Reason says why a sign-in was refused, so that the sign-in page can say
// it in the user's language.
type Reason string

// Reasons a sign-in is refused.
const (
	ReasonState       Reason = "state"       // unknown, used, expired or another browser's state
	ReasonDenied      Reason = "denied"      // the provider refused (the user cancelled, or an error)
	ReasonProvider    Reason = "provider"    // the provider cannot be reached or answered wrongly
	ReasonAudience    Reason = "audience"    // the ID token is for another client
	ReasonExpired     Reason = "expired"     // the ID token has expired
	ReasonSignature   Reason = "signature"   // the ID token's signature is not the provider's
	ReasonToken       Reason = "token"       // the ID token is wrong otherwise (issuer, nonce, format)
	ReasonNoEmail     Reason = "no_email"    // no e-mail address among the claims
	ReasonUnverified  Reason = "unverified"  // an account has the address and the provider does not verify it
	ReasonDeactivated Reason = "deactivated" // the account is deactivated
	ReasonAccount     Reason = "account"     // the account cannot be created or updated
	ReasonCredentials Reason = "credentials" // wrong directory user name or password
	ReasonDirectory   Reason = "directory"   // the directory cannot be reached or searched
	ReasonNotAllowed  Reason = "not_allowed" // the directory user is in no group the rules allow
	ReasonUnmapped    Reason = "unmapped"    // no rule matches the provider's claims, and unmapped users are refused
	ReasonTooMany     Reason = "too_many"    // the client has too many sign-ins under way
	ReasonBusy        Reason = "busy"        // the desk has too many sign-ins under way
)

// Error refuses a sign-in. Its message is for the log and never holds a
// secret (passwords, tokens, codes); Reason is for the user.
type Error struct {
	Reason Reason
	Msg    string
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("single sign-on refused (%s): %s: %v", e.Reason, e.Msg, e.Err)
	}
	return fmt.Sprintf("single sign-on refused (%s): %s", e.Reason, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

func refuse(r Reason, err error, format string, args ...any) *Error {
	return &Error{Reason: r, Msg: fmt.Sprintf(format, args...), Err: err}
}

// ReasonOf returns the reason of a refused sign-in, "" for any other error.
func ReasonOf(err error) Reason {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// Status is the HTTP status a refused sign-in answers with: 403 for an
// account that may not sign in, 429 for a sign-in refused by the limits of
// sign-ins under way, 401 for everything else, the provider or directory
// being down included (the sign-in failed; the desk did not).
func Status(err error) int {
	switch ReasonOf(err) {
	case ReasonDeactivated, ReasonNotAllowed, ReasonUnmapped, ReasonUnverified, ReasonAccount, ReasonNoEmail:
		return 403
	case ReasonTooMany, ReasonBusy:
		return 429
	case "":
		if desk.ErrorCode(err) == desk.EINTERNAL {
			return 500
		}
		return 400
	}
	return 401
}
