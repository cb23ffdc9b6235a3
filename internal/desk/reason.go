package desk

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// ReasonCode names a reason the desk itself gives for a change (an SLA
// sweep, paging, the alert intake, a reply by e-mail), in a form stable
// enough for readers to word in their own language, as a Rule does for a
// refusal. Its values are the event's ReasonParams; Event.Reason keeps the
// same reason in English for clients that show text as it is.
type ReasonCode string

// ReasonParams are the values a reason code names, as text.
type ReasonParams map[string]string

// Reasons of system-made changes, with the params each one names.
const (
	ReasonResponseBreached    ReasonCode = "response_breached"    // a page started because first response was late
	ReasonResolutionBreached  ReasonCode = "resolution_breached"  // escalated because resolution was late
	ReasonPageStarted         ReasonCode = "page_started"         // priority, type, group
	ReasonPaged               ReasonCode = "paged"                // step, round, names
	ReasonNobodyOnCall        ReasonCode = "nobody_on_call"       // step, round
	ReasonPageExhausted       ReasonCode = "page_exhausted"       // rounds
	ReasonTicketLeftOpen      ReasonCode = "ticket_left_open"     // state: the page ended with the ticket
	ReasonTakenBy             ReasonCode = "taken_by"             // name: the page ended when name took the ticket
	ReasonEndedBy             ReasonCode = "ended_by"             // name: acknowledged or resolved the page
	ReasonEndedByLink         ReasonCode = "ended_by_link"        // name: the same, from the page's link
	ReasonAlertsResolved      ReasonCode = "alerts_resolved"      // every alert of the incident resolved
	ReasonAlertFlap           ReasonCode = "alert_flap"           // an alert fired again soon after
	ReasonRequesterReplied    ReasonCode = "requester_replied"    // off hold by the requester's reply
	ReasonRequesterReopened   ReasonCode = "requester_reopened"   // reopened by a reply to the resolution
	ReasonClosedAutomatically ReasonCode = "closed_automatically" // window: the reopen window that passed (a Go duration)
	ReasonDuplicateOf         ReasonCode = "duplicate_of"         // ticket: merged into it
	// Problem management (internal/problem): each names the problem.
	ReasonAwaitingProblem ReasonCode = "awaiting_problem"     // problem: on hold until it is solved
	ReasonProblemLinked   ReasonCode = "problem_linked"       // problem: the incident was linked to it
	ReasonProblemUnlinked ReasonCode = "problem_unlinked"     // problem: the link was removed
	ReasonWorkaround      ReasonCode = "workaround_published" // problem: its workaround, in the body
	ReasonProblemResolved ReasonCode = "problem_resolved"     // problem: resolved with its permanent fix
	// Line-1 diagnosis (internal/diagnosis).
	ReasonDiagnosisRecorded ReasonCode = "diagnosis_recorded" // answers: how many questions were answered
	ReasonDiagnosisSkipped  ReasonCode = "diagnosis_skipped"  // escalated unanswered; the agent's reason in the body
	ReasonDiagnosisMissing  ReasonCode = "diagnosis_missing"  // escalated unanswered, with no reason (the desk only warns)
)

// reasonTexts are the English sentences of the codes: what Event.Reason
// holds, and (as patterns) how history written before codes existed is
// read back. A pattern's groups are the params in the order listed.
var reasonTexts = []struct {
	code   ReasonCode
	text   string // fmt verbs in params order
	params []string
	re     *regexp.Regexp
}{
	{ReasonResponseBreached, "response SLA breached", nil, regexp.MustCompile(`^response SLA breached$`)},
	{ReasonResolutionBreached, "resolution SLA breached", nil, regexp.MustCompile(`^resolution SLA breached$`)},
	{ReasonPageStarted, "%s %s in %s", []string{"priority", "type", "group"},
		regexp.MustCompile(`^(P\d) (incident|request) in (.+)$`)},
	{ReasonPaged, "step %s, round %s: paged %s", []string{"step", "round", "names"},
		regexp.MustCompile(`^step (\d+), round (\d+): paged (.+)$`)},
	{ReasonNobodyOnCall, "step %s, round %s: nobody on call, moving on", []string{"step", "round"},
		regexp.MustCompile(`^step (\d+), round (\d+): nobody on call, moving on$`)},
	{ReasonPageExhausted, "nobody acknowledged after %s round(s)", []string{"rounds"},
		regexp.MustCompile(`^nobody acknowledged after (\d+) round\(s\)$`)},
	{ReasonTicketLeftOpen, "the ticket is %s", []string{"state"}, regexp.MustCompile(`^the ticket is ([a-z_]+)$`)},
	{ReasonTakenBy, "taken by %s", []string{"name"}, regexp.MustCompile(`^taken by (.+)$`)},
	{ReasonEndedByLink, "by %s from the page's link", []string{"name"}, regexp.MustCompile(`^by (.+) from the page's link$`)},
	{ReasonEndedBy, "by %s", []string{"name"}, regexp.MustCompile(`^by (.+)$`)},
	{ReasonAlertsResolved, "all alerts resolved", nil, regexp.MustCompile(`^all alerts resolved$`)},
	{ReasonAlertFlap, "alert fired again within the flap window", nil,
		regexp.MustCompile(`^alert fired again within the flap window$`)},
	{ReasonRequesterReplied, "requester replied", nil, regexp.MustCompile(`^requester replied$`)},
	{ReasonRequesterReopened, "requester replied to the resolution", nil,
		regexp.MustCompile(`^requester replied to the resolution$`)},
	{ReasonClosedAutomatically, "closed automatically: no reopen within %s of resolution", []string{"window"},
		regexp.MustCompile(`^closed automatically: no reopen within ([0-9hms.]+) of resolution$`)},
	{ReasonDuplicateOf, "Duplicate of %s", []string{"ticket"}, regexp.MustCompile(`^Duplicate of ([A-Z]+-\d+)$`)},
	{ReasonAwaitingProblem, "awaiting problem %s", []string{"problem"}, regexp.MustCompile(`^awaiting problem (PRB-\d+)$`)},
	{ReasonProblemLinked, "linked to problem %s", []string{"problem"}, regexp.MustCompile(`^linked to problem (PRB-\d+)$`)},
	{ReasonProblemUnlinked, "unlinked from problem %s", []string{"problem"}, regexp.MustCompile(`^unlinked from problem (PRB-\d+)$`)},
	{ReasonWorkaround, "workaround of problem %s", []string{"problem"}, regexp.MustCompile(`^workaround of problem (PRB-\d+)$`)},
	{ReasonProblemResolved, "problem %s resolved", []string{"problem"}, regexp.MustCompile(`^problem (PRB-\d+) resolved$`)},
	{ReasonDiagnosisRecorded, "diagnosis checklist answered (%s answers)", []string{"answers"},
		regexp.MustCompile(`^diagnosis checklist answered \((\d+) answers\)$`)},
	{ReasonDiagnosisSkipped, "escalated without answering the diagnosis checklist", nil,
		regexp.MustCompile(`^escalated without answering the diagnosis checklist$`)},
	{ReasonDiagnosisMissing, "escalated without answering the diagnosis checklist, and without saying why", nil,
		regexp.MustCompile(`^escalated without answering the diagnosis checklist, and without saying why$`)},
}

// ReasonCodes lists every reason code, for catalogues to cover.
func ReasonCodes() []ReasonCode {
	out := make([]ReasonCode, len(reasonTexts))
	for i, r := range reasonTexts {
		out[i] = r.code
	}
	return out
}

// ReasonParamNames lists the params code names, in order.
func ReasonParamNames(code ReasonCode) []string {
	for _, r := range reasonTexts {
		if r.code == code {
			return r.params
		}
	}
	return nil
}

// ReasonText is code with params as an English sentence.
func ReasonText(code ReasonCode, p ReasonParams) string {
	for _, r := range reasonTexts {
		if r.code == code {
			args := make([]any, len(r.params))
			for i, name := range r.params {
				args[i] = p[name]
			}
			return fmt.Sprintf(r.text, args...)
		}
	}
	return string(code)
}

// ParseReason reads a reason written as English text back as its code:
// history recorded before codes existed keeps being worded in the
// reader's language. ok is false for any other text (a person's own).
func ParseReason(text string) (code ReasonCode, p ReasonParams, ok bool) {
	text = strings.TrimSpace(text)
	for _, r := range reasonTexts {
		m := r.re.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		p = ReasonParams{}
		for i, name := range r.params {
			p[name] = m[i+1]
		}
		return r.code, p, true
	}
	return "", nil, false
}

// because sets the reason of an event the desk itself makes: code and
// params (name, value pairs), with the English sentence in Reason.
func (e Event) because(code ReasonCode, kv ...string) Event {
	e.ReasonCode, e.ReasonParams = code, reasonParams(kv)
	e.Reason = ReasonText(code, e.ReasonParams)
	return e
}

func reasonParams(kv []string) ReasonParams {
	if len(kv) == 0 {
		return nil
	}
	p := ReasonParams{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return p
}

// Why returns the event's reason code and params: the stored ones, else
// those of an English reason written before codes existed; ok is false
// when the reason is a person's own text (or there is none).
func (e *Event) Why() (ReasonCode, ReasonParams, bool) {
	if e.ReasonCode != "" {
		return e.ReasonCode, e.ReasonParams, true
	}
	return ParseReason(e.Reason)
}

// withReason adds a reason to a notification's payload: "reason" in
// English, and for a system-made one "reason_code" with "reason_params"
// (a JSON object) for the renderer to word in the reader's language.
func withReason(payload map[string]string, text string, code ReasonCode, p ReasonParams) map[string]string {
	payload["reason"] = text
	if code != "" {
		payload["reason_code"] = string(code)
		if len(p) > 0 {
			b, _ := json.Marshal(p) // a map of strings always encodes
			payload["reason_params"] = string(b)
		}
	}
	return payload
}

// PayloadReason reads a notification payload's reason back as a code with
// params: the stored ones, else those of an English reason queued before
// codes existed; ok is false for a person's own reason.
func PayloadReason(payload map[string]string) (ReasonCode, ReasonParams, bool) {
	if c := payload["reason_code"]; c != "" {
		var p ReasonParams
		if raw := payload["reason_params"]; raw != "" && json.Unmarshal([]byte(raw), &p) != nil {
			return "", nil, false
		}
		return ReasonCode(c), p, true
	}
	return ParseReason(payload["reason"])
}
