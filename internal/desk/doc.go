// Package desk is the domain of Tierdesk: tickets and their state machine,
// the impact × urgency priority matrix, support groups and their lines,
// escalation rules, validation, and the narrow interfaces that storage
// implements. It imports the standard library only and does no I/O itself:
// adapters (HTTP, CLI, mail, alerts) call the Desk, and the Desk calls
// a Store.
package desk
