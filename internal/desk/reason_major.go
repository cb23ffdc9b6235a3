package desk

import "regexp"

// Reasons a major incident's own timeline gives (internal/major): the
// declaration, roles, children, updates and the cadence sweep's warnings,
// misses and pages (issue 18). They join the desk's reason codes so that
// one catalogue (internal/reasons) words them, the Latin-text guards check
// them, and the English written before codes existed is read back.
const (
	ReasonMajorDeclared       ReasonCode = "major_declared"         // ticket, cadence
	ReasonMajorDeclaredByRule ReasonCode = "major_declared_by_rule" // ticket, cadence, rule
	ReasonMajorCommander      ReasonCode = "major_commander"        // name: is now the commander
	ReasonMajorCommsLead      ReasonCode = "major_comms_lead"       // name: is now the communications lead
	ReasonMajorResponder      ReasonCode = "major_responder"        // name: is now a responder
	ReasonMajorCommsLeadOff   ReasonCode = "major_comms_lead_off"   // name: no longer the communications lead
	ReasonMajorResponderOff   ReasonCode = "major_responder_off"    // name: no longer a responder
	ReasonMajorChildAttached  ReasonCode = "major_child_attached"   // ticket, title
	ReasonMajorUpdatePosted   ReasonCode = "major_update_posted"    // recipients, affected, doing
	ReasonMajorUpdateLate     ReasonCode = "major_update_late"      // recipients, affected, doing, due
	ReasonMajorCadenceSet     ReasonCode = "major_cadence_set"      // cadence, due
	ReasonMajorBridgeSet      ReasonCode = "major_bridge_set"       // the bridge link changed
	ReasonMajorUpdateDueSoon  ReasonCode = "major_update_due_soon"  // due: the comms lead was warned
	ReasonMajorUpdateMissed   ReasonCode = "major_update_missed"    // due: no page (no group to page)
	ReasonMajorMissedPaging   ReasonCode = "major_missed_paging"    // due, policy: the page started
	ReasonMajorMissedPageOn   ReasonCode = "major_missed_page_on"   // due, policy, since: a page already runs
	ReasonMajorMissedNoPolicy ReasonCode = "major_missed_no_policy" // due, group: the group has no active policy
	ReasonMajorResolved       ReasonCode = "major_resolved"         // code, resolved, skipped
	ReasonMajorClosed         ReasonCode = "major_closed"           // the major incident closed
	ReasonMajorPageUpdateMiss ReasonCode = "major_page_update_miss" // major: a page's reason
	ReasonMajorUpdatePageEnd  ReasonCode = "major_update_page_end"  // name: posted the missed update, ending its page
	// Stakeholders who asked to be paged (Page.Purpose StakeholderPurpose).
	ReasonMajorStakeholdersPaged ReasonCode = "major_stakeholders_paged" // names: the stakeholders paged
	ReasonMajorPageDeclared      ReasonCode = "major_page_declared"      // major, title: a stakeholder page's reason
	ReasonMajorPageUpdate        ReasonCode = "major_page_update"        // major, affected: a stakeholder page's reason
)

// Times in major reasons (due, since) are "15:04 UTC"; a cadence is a Go
// duration ("30m0s").
func init() {
	reasonTexts = append(reasonTexts, []struct {
		code   ReasonCode
		text   string
		params []string
		re     *regexp.Regexp
	}{
		{ReasonMajorDeclaredByRule, "Major incident declared on %s; updates every %s by the rule “%s”", []string{"ticket", "cadence", "rule"},
			regexp.MustCompile(`^Major incident declared on ([A-Z]+-?\d+); updates every ([0-9hms.]+) by the rule “(.+)”$`)},
		{ReasonMajorDeclared, "Major incident declared on %s; updates every %s", []string{"ticket", "cadence"},
			regexp.MustCompile(`^Major incident declared on ([A-Z]+-?\d+); updates every ([0-9hms.]+)$`)},
		{ReasonMajorCommander, "%s is now incident commander", []string{"name"}, regexp.MustCompile(`^(.+) is now incident commander$`)},
		{ReasonMajorCommsLead, "%s is now communications lead", []string{"name"}, regexp.MustCompile(`^(.+) is now communications lead$`)},
		{ReasonMajorResponder, "%s is now a responder", []string{"name"}, regexp.MustCompile(`^(.+) is now a responder$`)},
		{ReasonMajorCommsLeadOff, "%s is no longer communications lead", []string{"name"},
			regexp.MustCompile(`^(.+) is no longer communications lead$`)},
		{ReasonMajorResponderOff, "%s is no longer a responder", []string{"name"}, regexp.MustCompile(`^(.+) is no longer a responder$`)},
		{ReasonMajorUpdateLate, "Public update to %s recipients. Affected: %s. Being done: %s (late: due %s)",
			[]string{"recipients", "affected", "doing", "due"},
			regexp.MustCompile(`(?s)^Public update to (\d+) recipients\. Affected: (.*)\. Being done: (.*) \(late: due (\d\d:\d\d [A-Z]+)\)$`)},
		{ReasonMajorUpdatePosted, "Public update to %s recipients. Affected: %s. Being done: %s", []string{"recipients", "affected", "doing"},
			regexp.MustCompile(`(?s)^Public update to (\d+) recipients\. Affected: (.*)\. Being done: (.*)$`)},
		{ReasonMajorCadenceSet, "Updates every %s; next due %s", []string{"cadence", "due"},
			regexp.MustCompile(`^Updates every ([0-9hms.]+); next due (\d\d:\d\d [A-Z]+)$`)},
		{ReasonMajorBridgeSet, "Bridge link changed", nil, regexp.MustCompile(`^Bridge link changed$`)},
		{ReasonMajorUpdateDueSoon, "The next public update is due at %s", []string{"due"},
			regexp.MustCompile(`^The next public update is due at (\d\d:\d\d [A-Z]+)$`)},
		{ReasonMajorMissedPaging, "The public update due at %s was missed; paging %s", []string{"due", "policy"},
			regexp.MustCompile(`^The public update due at (\d\d:\d\d [A-Z]+) was missed; paging (.+)$`)},
		{ReasonMajorMissedPageOn, "The public update due at %s was missed; %s is already paging since %s", []string{"due", "policy", "since"},
			regexp.MustCompile(`^The public update due at (\d\d:\d\d [A-Z]+) was missed; (.+) is already paging since (\d\d:\d\d [A-Z]+)$`)},
		{ReasonMajorMissedNoPolicy, "The public update due at %s was missed; nobody paged: %s has no active escalation policy", []string{"due", "group"},
			regexp.MustCompile(`^The public update due at (\d\d:\d\d [A-Z]+) was missed; nobody paged: (.+) has no active escalation policy$`)},
		{ReasonMajorUpdateMissed, "The public update due at %s was missed", []string{"due"},
			regexp.MustCompile(`^The public update due at (\d\d:\d\d [A-Z]+) was missed$`)},
		{ReasonMajorResolved, "Resolved (%s): %s tickets resolved, %s left as they were", []string{"code", "resolved", "skipped"},
			regexp.MustCompile(`^Resolved \(([a-z_]*)\): (\d+) tickets resolved, (\d+) left as they were$`)},
		{ReasonMajorClosed, "Major incident closed", nil, regexp.MustCompile(`^Major incident closed$`)},
		{ReasonMajorPageUpdateMiss, "major incident %s: public update missed", []string{"major"},
			regexp.MustCompile(`^major incident ([A-Z]+-?\d+): public update missed$`)},
		{ReasonMajorUpdatePageEnd, "%s posted the missed update", []string{"name"}, regexp.MustCompile(`^(.+) posted the missed update$`)},
		{ReasonMajorStakeholdersPaged, "Paging stakeholders: %s", []string{"names"}, regexp.MustCompile(`^Paging stakeholders: (.+)$`)},
		{ReasonMajorPageDeclared, "major incident %s declared: %s", []string{"major", "title"},
			regexp.MustCompile(`(?s)^major incident ([A-Z]+-?\d+) declared: (.*)$`)},
		{ReasonMajorPageUpdate, "major incident %s: public update. Affected: %s", []string{"major", "affected"},
			regexp.MustCompile(`(?s)^major incident ([A-Z]+-?\d+): public update\. Affected: (.*)$`)},
		{ReasonMajorChildAttached, "%s attached: %s", []string{"ticket", "title"}, regexp.MustCompile(`(?s)^([A-Z]+-?\d+) attached: (.*)$`)},
	}...)
}
