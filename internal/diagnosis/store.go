package diagnosis

import (
	"context"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Store keeps the checklists, the diagnoses recorded on tickets and the
// escalation mode.
type Store interface {
	// CreateChecklist stores a new checklist at version 1, setting its
	// ID; ECONFLICT (rule taken) when its category and service have one.
	CreateChecklist(ctx context.Context, c *Checklist) error
	// SaveChecklist stores c as version c.Version, which must follow the
	// stored one (else ESTALE).
	SaveChecklist(ctx context.Context, c *Checklist) error
	// DeleteChecklist removes a checklist (the diagnoses recorded with it
	// stay), ENOTFOUND when there is none.
	DeleteChecklist(ctx context.Context, id int64) error
	// Checklist returns one checklist, ENOTFOUND when there is none.
	Checklist(ctx context.Context, id int64) (*Checklist, error)
	// Checklists returns every checklist by category name, then service.
	Checklists(ctx context.Context) ([]*Checklist, error)
	// ChecklistsFor returns the checklists of the categories.
	ChecklistsFor(ctx context.Context, categoryIDs []int64) ([]*Checklist, error)

	// RecordDiagnosis stores the ticket's change w (its first event is
	// the diagnosis's timeline entry) and d in one transaction, setting
	// d.ID and d.EventID.
	RecordDiagnosis(ctx context.Context, d *Diagnosis, w desk.TicketWrite) error
	// Diagnoses returns the diagnoses recorded on a ticket, oldest first.
	Diagnoses(ctx context.Context, ticketID int64) ([]*Diagnosis, error)

	// DiagnosisMode returns what escalating an unanswered ticket takes.
	DiagnosisMode(ctx context.Context) (Mode, error)
	// SetDiagnosisMode changes it.
	SetDiagnosisMode(ctx context.Context, m Mode) error
}
