package notify

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// The English footer: the ticket link, how replies work, and that the
// message is automatic ("-- " is the signature separator).
const footEN = `{{if .URL}}Open the ticket: {{link .URL}}
{{end}}{{if .Requester}}Reply to this message to add a comment to {{.Ticket}}.{{end}}

-- 
This message was sent automatically by Tierdesk.`

func init() {
	k := func(subject, body string) templates { return parse(subject, body, footEN) }
	languages["en"] = &language{
		date: func(t time.Time) string { return t.Format("Mon, 2 Jan 2006 15:04 MST") },
		states: words{"new": "new", "assigned": "assigned", "in_progress": "in progress", "on_hold": "on hold",
			"resolved": "resolved", "closed": "closed", "canceled": "canceled"},
		clocks:    words{"response": "response", "resolution": "resolution", "next_update": "next update"},
		callKinds: words{"phone": "phone", "video": "video"},
		answers:   words{"yes": "yes", "no": "no"},
		kinds: map[desk.OutboxKind]templates{
			desk.OutboxRegistered: k(`Registered: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

we have registered your request as {{.Ticket}}: “{{.Title}}”. Please quote this number when you contact us.

{{if .RespondBy}}First response by: {{.RespondBy}}
{{end}}{{if .ResolveBy}}Resolution expected by: {{.ResolveBy}}{{end}}`),
			desk.OutboxFirstResponse: k(`We are working on it: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

{{if .Actor}}{{.Actor}}{{else}}Our team{{end}} ({{.Group}}) has taken up your request {{.Ticket}} “{{.Title}}”.{{if .Body}}

{{br .Body}}{{end}}`),
			desk.OutboxComment: k(`New reply: {{.Title}}`, `{{.Actor}} wrote on {{.Ticket}} “{{.Title}}”:

{{br .Body}}`),
			desk.OutboxOnHold: k(`Waiting for your reply: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

we need something from you to continue with {{.Ticket}} “{{.Title}}”.{{if .Reason}}

{{br .Reason}}{{end}}

Please reply to this message: work resumes as soon as you answer.`),
			desk.OutboxResolved: k(`Resolved: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

your request {{.Ticket}} “{{.Title}}” has been resolved.

Resolution: {{br .Resolution}}

If this solves your problem, you need not do anything{{if .ReopenUntil}}: the ticket closes by itself on {{.ReopenUntil}}{{end}}.

If the problem remains, reply to this message{{if .ReopenUntil}} before {{.ReopenUntil}}{{end}} and the ticket is reopened.`),
			desk.OutboxClosed: k(`Closed: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

your request {{.Ticket}} “{{.Title}}” is now closed. Thank you for your patience.

If you need more help, reply to this message and a new ticket is registered.`),
			desk.OutboxMerged: k(`Merged: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

your request {{.Ticket}} “{{.Title}}” is about the same problem as {{.Into}} “{{.IntoTitle}}”, so we have merged it there and closed {{.Ticket}}{{if .Actor}} ({{.Actor}}){{end}}.

The work goes on under {{.Into}}: you need not do anything. If your problem is a different one after all, reply to this message and a new ticket is registered for it.`),
			desk.OutboxCallScheduled: k(`Call scheduled: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

{{.Organizer}} has scheduled a {{.CallKind}} call with you about {{.Ticket}} “{{.Title}}”.

When: {{.CallStart}} – {{.CallEnd}} ({{.CallMinutes}} min)
{{if .CallPhone}}Phone: {{.CallPhone}}
{{end}}{{if .CallURL}}Join: {{link .CallURL}}
{{end}}{{if .CallNote}}Note: {{br .CallNote}}{{end}}

The invitation is attached: open it to add the call to your calendar.`),
			desk.OutboxCallCanceled: k(`Call canceled: {{.Title}}`, `Hello{{if .Name}} {{.Name}}{{end}},

the {{.CallKind}} call on {{.CallStart}} about {{.Ticket}} “{{.Title}}” has been canceled.`),
			desk.OutboxRequesterReplied: k(`Requester replied: {{.Title}}`, `{{.Actor}} replied on {{.Ticket}} “{{.Title}}” ({{.Priority}}, {{.State}}):

{{br .Body}}`),
			desk.OutboxAssigned:      k(`Assigned to you: {{.Title}}`, `{{if .Actor}}{{.Actor}} assigned{{else}}The desk assigned{{end}} ticket {{.Ticket}} “{{.Title}}” ({{.Priority}}) to you.`),
			desk.OutboxGroupAssigned: k(`New in {{.Group}}: {{.Title}}`, `Ticket {{.Ticket}} “{{.Title}}” ({{.Priority}}) is waiting in the queue of {{.Group}} with nobody assigned.`),
			desk.OutboxEscalated: k(`Escalated: {{.Title}}`, `{{if .Manager}}Ticket {{.Ticket}} “{{.Title}}” ({{.Priority}}) of your group {{.Group}} has been escalated to you as its manager.{{else}}Ticket {{.Ticket}} “{{.Title}}” ({{.Priority}}) has been escalated to line {{.Line}}: {{.Group}}.{{end}}{{if .Reason}}

Reason: {{br .Reason}}{{end}}{{if .Diagnosis}}

Line 1's diagnosis:
{{range .Diagnosis}}- {{.Question}}: {{br .Answer}}
{{end}}{{end}}`),
			desk.OutboxSLAWarning: k(`SLA warning: {{.Clock}} clock at {{.Percent}}% - {{.Title}}`,
				`Ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" has used {{.Percent}}% of its {{.Clock}} target.
{{if .Deadline}}Deadline: {{.Deadline}}{{end}}`),
			desk.OutboxSLABreached: k(`SLA breached: {{.Clock}} - {{.Title}}`,
				`Ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" has breached its {{.Clock}} target.
{{if .Deadline}}Deadline was: {{.Deadline}}{{end}}`),
			desk.OutboxPage: k(`PAGE: {{.Priority}} {{.Clock}} breached - {{.Title}}`,
				`You are paged: ticket {{.Ticket}} ({{.Priority}}) "{{.Title}}" breached its {{.Clock}} target and needs line 3 now.`),
			"": k(`Notification about {{.Title}}`, `There is news on ticket {{.Ticket}} "{{.Title}}".`),
		},
	}
}
