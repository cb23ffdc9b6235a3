package desk

// Rule names why an input or a request was refused, in a form stable
// enough for clients to switch on and word in their own language. The
// English message of the error says the same for people.
type Rule string

// Params are the values a rule's message names. Keys in use: "max" and
// "min" (numbers; with "unit" "bytes", "minutes", "days" or "hours" when
// not characters or items), "allowed" (the accepted values), "format" (of
// invalid_format: "date", "time_of_day", "url", "regexp", "cursor", "id",
// "timestamp", "duration", "boolean", "number", "weekday", "interval"),
// "after" and "with" (another field), "state", "from" and "to" (ticket
// states), "owner" (a person's name).
type Params map[string]any

// Rules of field errors.
const (
	RuleRequired     Rule = "required"          // empty or missing
	RuleTooLong      Rule = "too_long"          // max (characters, or unit)
	RuleTooShort     Rule = "too_short"         // min (characters)
	RuleInvalidText  Rule = "invalid_text"      // not UTF-8, or with NUL characters
	RuleOneOf        Rule = "one_of"            // not among allowed
	RuleInvalidEmail Rule = "invalid_email"     // not a plain e-mail address
	RuleUnknown      Rule = "unknown"           // names nothing that exists (and is active)
	RuleNotAllowed   Rule = "not_allowed"       // exists, but may not be used here
	RuleOutOfRange   Rule = "out_of_range"      // not from min to max (unit)
	RuleTooSmall     Rule = "too_small"         // less than min (unit)
	RuleTooLarge     Rule = "too_large"         // more than max (unit)
	RuleInvalidFmt   Rule = "invalid_format"    // not a value of the format
	RuleInvalidZone  Rule = "invalid_time_zone" // not a named IANA time zone
	RuleInFuture     Rule = "in_future"         // must not be in the future
	RuleInPast       Rule = "in_past"           // must be in the future
	RuleNotAfter     Rule = "not_after"         // must come after the field "after"
	RuleTooMany      Rule = "too_many"          // more than max items
	RuleTooFew       Rule = "too_few"           // fewer than min items
	RuleMandatory    Rule = "mandatory"         // cannot be turned off
	RuleWrongPass    Rule = "wrong_password"    // not the user's current password
	RuleTaken        Rule = "taken"             // already in use, or already done
	RuleConflicts    Rule = "conflicts"         // cannot be combined with the field "with"
	RuleMismatch     Rule = "mismatch"          // does not match what it must match
	RuleOverlaps     Rule = "overlaps"          // overlaps another interval
	RuleUnknownField Rule = "unknown_field"     // a field the request may not carry
	RuleCycle        Rule = "cycle"             // would make a cycle
)

// Rules of refused requests (Error.Rule).
const (
	RuleTransition   Rule = "transition"           // the state machine forbids from → to
	RuleNotOpen      Rule = "not_open"             // the ticket is in state, which is not open
	RuleNoHigherLine Rule = "no_higher_line"       // line 3 has no line above
	RuleNoManager    Rule = "no_manager"           // the group has no manager
	RuleReopenClosed Rule = "reopen_window_passed" // too late to reopen
	RuleNotResolved  Rule = "not_resolved"         // rated before resolution
	RuleRated        Rule = "already_rated"        // the rating is final
	RuleNoPage       Rule = "no_page"              // no page is running
	RulePageEnded    Rule = "page_ended"           // the page has already ended
	RuleCanceled     Rule = "already_canceled"     // the call is already canceled
	RuleInUse        Rule = "in_use"               // still used by something else
	RuleSelf         Rule = "self"                 // users cannot demote or deactivate themselves
	RuleLastAdmin    Rule = "last_admin"           // the last active administrator stays one
	RuleDefaultGroup Rule = "default_group"        // the default group cannot be unset
	RuleReopenFirst  Rule = "reopen_first"         // a resolved ticket is reopened before reassigning
	RuleEscalate     Rule = "escalate_instead"     // moving up a line is an escalation
	RuleNotOwner     Rule = "not_owner"            // only the owner (param "owner") may change it
	RuleMergeTarget  Rule = "merge_target"         // the ticket to merge into is one of the duplicates, or not open
	RuleSecurityCase Rule = "security_case"        // security cases stay with security groups (see security.go)
	RulePasswordsOff Rule = "passwords_off"        // local passwords are turned off for staff (single sign-on only; auth_external.go)
	RuleNoticeSent   Rule = "notice_sent"          // a sent breach notice is kept as sent: a new version corrects it
	RuleNoticeDraft  Rule = "notice_draft"         // a draft breach notice is edited, not versioned
	RuleCaseOwner    Rule = "case_owner"           // only the security group or the case's assignee changes a security case's record and playbook
)

// Rules lists every rule, for clients and tests that enumerate them.
var Rules = []Rule{
	RuleRequired, RuleTooLong, RuleTooShort, RuleInvalidText, RuleOneOf, RuleInvalidEmail, RuleUnknown,
	RuleNotAllowed, RuleOutOfRange, RuleTooSmall, RuleTooLarge, RuleInvalidFmt, RuleInvalidZone, RuleInFuture, RuleInPast, RuleNotAfter,
	RuleTooMany, RuleTooFew, RuleMandatory, RuleWrongPass, RuleTaken, RuleConflicts, RuleMismatch, RuleOverlaps,
	RuleUnknownField, RuleCycle,
	RuleTransition, RuleNotOpen, RuleNoHigherLine, RuleNoManager, RuleReopenClosed, RuleNotResolved, RuleRated,
	RuleNoPage, RulePageEnded, RuleCanceled, RuleInUse, RuleSelf, RuleLastAdmin, RuleDefaultGroup, RuleReopenFirst, RuleEscalate,
	RuleNotOwner, RuleMergeTarget, RuleSecurityCase, RulePasswordsOff, RuleNoticeSent, RuleNoticeDraft, RuleCaseOwner,
}
