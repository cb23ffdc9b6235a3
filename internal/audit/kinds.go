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
	"setting.matrix", "setting.diagnosis",
	"category.create", "category.update", "category.delete",
	"service.create", "service.update", "service.delete",
	"sla.create", "sla.update", "sla.delete",
	"calendar.save", "calendar.delete",
	"article.create", "article.update", "article.link", "article.unlink",
	"checklist.create", "checklist.update", "checklist.delete",
	"integration.create", "integration.update", "integration.token", "integration.delete",
	"filter.create", "filter.update", "filter.delete",
	"triage.model",
	"evidence.collected", "evidence.viewed", "evidence.downloaded", "evidence.transferred", "evidence.handed_over",
	"evidence.verified", "evidence.verify_failed", "evidence.file_added",
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
