package evidence

import "context"

// Store keeps evidence items, their files and their chains of custody.
// Each write appends its custody entry and its audit entry in one
// transaction with the change.
type Store interface {
	// AddEvidence stores a new item with its file (nil for a reference)
	// and its first custody entry, setting both IDs (version 1).
	AddEvidence(ctx context.Context, it *Item, file []byte, c *Custody) error
	// Evidence returns one item without its file, ENOTFOUND when none.
	Evidence(ctx context.Context, id int64) (*Item, error)
	// ListEvidence returns a ticket's items, oldest first.
	ListEvidence(ctx context.Context, ticketID int64) ([]*Item, error)
	// EvidenceFile returns an item's file, ENOTFOUND when it has none.
	EvidenceFile(ctx context.Context, id int64) ([]byte, error)
	// RecordCustody appends c to it's chain. With change set it also
	// stores it's location, custodian and file fields (and file when not
	// nil) if the stored version is it.Version (else ESTALE), and sets
	// it.Version to the next one.
	RecordCustody(ctx context.Context, it *Item, c *Custody, change bool, file []byte) error
	// CustodyChain returns an item's custody entries, oldest first.
	CustodyChain(ctx context.Context, id int64) ([]*Custody, error)
}
