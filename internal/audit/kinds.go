package audit

import "strings"

// Kinds are the kinds of entries the desk writes, grouped by family (the
// part before the dot). A package that audits a new kind of write adds it
// here, and its wording to the web catalogue (audit.kind.<kind>).
var Kinds = []string{
	"ticket.create", "ticket.update",
	"user.create", "user.update", "user.password", "user.preferences",
	"auth.signin", "auth.signout", "auth.failure",
	"token.create", "token.delete",
	"group.create", "group.update", "group.member",
	"permission.set",
	"setting.matrix", "setting.diagnosis", "setting.triage", "setting.sso",
	"category.create", "category.update", "category.delete",
	"service.create", "service.update", "service.delete",
	"sla.create", "sla.update", "sla.delete",
	"calendar.save", "calendar.delete",
	"article.create", "article.update", "article.link", "article.unlink",
	"checklist.create", "checklist.update", "checklist.delete",
	"integration.create", "integration.update", "integration.token", "integration.delete",
	"filter.create", "filter.update", "filter.delete",
	"triage.model", "triage.train",
	"schedule.create", "schedule.update", "schedule.delete",
	"escalation.save", "escalation.delete",
	"contact.create", "contact.delete",
	"major.create", "major.update", "major.key", "major.stakeholder_add", "major.stakeholder_remove",
	"major.rule_create", "major.rule_delete", "major.review", "major.action_add", "major.action_update",
	"status.component", "status.component_delete", "status.incident", "status.maintenance", "status.maintenance_notice",
	"status.subscriber", "status.webhook_create", "status.webhook_delete",
	"problem.create", "problem.update", "problem.link", "problem.unlink", "problem.broadcast",
	"sso.rule_create", "sso.rule_update", "sso.rule_delete", "sso.identity",
	"evidence.collected", "evidence.viewed", "evidence.downloaded", "evidence.transferred", "evidence.handed_over",
	"evidence.verified", "evidence.verify_failed", "evidence.file_added",
	"breach.notice_create", "breach.notice_update", "breach.notice_send", "breach.notice_version",
	"import.tickets", "import.users", "import.groups", "import.members",
}

// Families are the kinds' families in the order of Kinds, each with its
// trailing dot (a Filter.Kind that selects the family).
func Families() []string {
	var out []string
	for _, k := range Kinds {
		f := k[:strings.IndexByte(k, '.')+1]
		if len(out) == 0 || out[len(out)-1] != f {
			out = append(out, f)
		}
	}
	return out
}
