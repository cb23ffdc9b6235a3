// Package servicenow imports a ServiceNow incident audit log (the export
// described in ../shared/data/servicenow-incident-log: one CSV row per saved
// change of an incident, 36 columns, plain or gzip) into the desk: one
// ticket per incident, keeping its source number (INC0000045), with its
// whole history as events. It owns the parsing, the mapping to our model
// and the batched, resumable import; cmd/tierdesk runs it as
// `tierdesk import servicenow FILE`.
//
// # Reading
//
// The file is streamed: gzip is recognised by its magic bytes, not its
// name; only one batch of incidents is held in memory. Each incident's rows
// must come together (the export is sorted by number; the importer stops
// with an explanation otherwise), and within an incident they are put in
// history order by sys_updated_at, then sys_mod_count, then file order.
// "?" means missing. Dates are d/m/yyyy HH:MM (seconds accepted) and carry
// no time zone; we read them as UTC, so a report grouped by day may shift
// incidents near midnight if the source instance ran in another zone.
//
// A bad row is skipped and reported with its line number (the header is
// line 1) and the import goes on: a wrong number of columns, malformed CSV,
// an unknown state (the log has five rows with state -100), an unparsable
// date or count, an impact, urgency or priority outside its scale, or a
// missing number, opened_at or sys_updated_at. An incident whose rows are
// all bad is not imported.
//
// # Mapping
//
// States: New → new; Active → in_progress with an assignee, assigned (in
// its group's queue) without one; Awaiting User Info and Awaiting Evidence
// (the caller owes us evidence) → on_hold/awaiting_requester; Awaiting
// Vendor → on_hold/awaiting_vendor; Awaiting Problem →
// on_hold/awaiting_problem; Resolved → resolved; Closed → closed. The
// import records what happened, so moves our state machine forbids (Closed
// back to Active: 12 reopens in the log) are kept as they were.
//
// Impact and urgency "1 - High", "2 - Medium", "3 - Low" → high, medium,
// low; priority "1 - Critical" … "4 - Low" → P1 … P4, taken from the source
// (not recomputed: our default matrix agrees with it on every row of the
// log, which the tests check). contact_type: Phone and IVR → phone, Email →
// email, Walk-in → walk_in, Chat and Virtual Agent → chat, Self service →
// portal, Direct opening and anything else → portal.
//
// Directory (see Directory): assignment groups are created by name on line
// 1, since the log does not say which are specialist lines (an admin moves
// them later); an incident with no group sits with our default group.
// Callers become requesters, assignees and everyone in sys_updated_by or
// opened_by become agents, all with made-up, non-deliverable addresses
// such as caller-2403@servicenow.invalid; assignees are made members of
// every group the log shows them assigned in. A missing caller becomes
// "Unknown caller". Categories and subcategories become our two-level
// tree (Subcategory M under Category N).
//
// The ticket takes the incident's last row: fields, group, assignee,
// caller, reassignment_count and reopen_count as ServiceNow counted them.
// opened_at is both reported_at and created_at; sys_updated_at of the last
// row is updated_at; first_response_at is when the incident first left New.
// A resolved or closed ticket has resolved_at from the source column, or,
// when that is missing (1,543 incidents), the time it last entered
// Resolved, or none when it never did (closed straight from New); closed
// tickets have closed_at. ServiceNow's close codes are anonymised ("code
// 6"), so every resolved or closed ticket gets the code "solved" and the
// source code in its resolution notes. The title names the symptom and
// categories (the log has no free text); the description keeps the
// fields we have no place for (location, problem, change, vendor, opened
// and resolved by, close code, made_sla, …), and so do the columns the
// export does not have at all (a customised instance's u_… fields): the
// importer names them once before the first row (Options.UnknownColumns,
// Summary.UnknownColumns) and keeps their non-empty values like the
// source-only fields, never dropping them unseen.
//
// History: a created event at opened_at with the first row's values, then
// for every later row the events its changes make, at its sys_updated_at,
// by its sys_updated_by (nil when missing): "reassigned" when the
// assignment group changed (with assignee and reassignment_count),
// "transition" when our state or hold reason changed (with reopen_count
// and reason code import_reopened ("reopened before the import") on a reopen, and the resolution code set or
// cleared), and "updated" for every other change, including the source-only
// fields as "servicenow.<column>". A row that changes nothing we keep (only
// sys_mod_count) makes no event.
//
// # Idempotency and resuming
//
// Incidents are stored in batches (DefaultBatchSize per transaction).
// Before each batch the importer asks which numbers exist and skips those,
// so a second run over the same file changes nothing, and a run after an
// interruption carries on after the last committed batch. Skipped
// incidents are not updated from newer rows. People, groups and categories
// are found by name (people by e-mail) before they are created.
package servicenow
