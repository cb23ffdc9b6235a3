// Package evidence owns the evidence of security cases (issue 14) and its
// chain of custody.
//
// An evidence item is a file kept by the desk, or a reference to evidence
// kept elsewhere (a disk image in the forensic store, a sealed bag in a
// locker). Its SHA-256 is recorded when it is registered (computed for a
// file; stated for a reference, when known), with who collected it, when
// and from where. Every later contact with it is a custody entry that is
// never changed or removed: a view of the item, a download of its file, a
// transfer to another storage location, a hand-over to another custodian,
// a verification of its hash, and the file added to a reference. Each
// entry is also appended to the hash-chained audit log in the same
// transaction (kinds evidence.*), so a rewritten custody row is caught by
// `tierdesk audit verify`.
//
// Only the members of a case see its evidence: staff who see the security
// case (its security group and the people named on it). Everybody else,
// administrators and the case's requester included, finds nothing, as for
// the case itself. Evidence is never sent by mail, and its files are only
// ever served as downloads, never shown inline.
//
// Refused input stores nothing: an empty file (too_small), a file over
// the size limit (too_large), a stated SHA-256 that is not 64 hex digits
// (invalid_format) or does not match the file (mismatch), a collection
// time in the future (in_future).
package evidence

import (
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Kind is what an item holds.
type Kind string

const (
	KindFile      Kind = "file"      // the desk keeps the file
	KindReference Kind = "reference" // the evidence is kept elsewhere (Location)
)

// Action is what a custody entry records.
type Action string

const (
	ActionCollected    Action = "collected"     // registered, with its hash
	ActionViewed       Action = "viewed"        // its record was opened
	ActionDownloaded   Action = "downloaded"    // its file was downloaded
	ActionTransferred  Action = "transferred"   // moved to another storage location
	ActionHandedOver   Action = "handed_over"   // passed to another custodian
	ActionVerified     Action = "verified"      // its hash was checked and matched
	ActionVerifyFailed Action = "verify_failed" // its hash was checked and did not match
	ActionFileAdded    Action = "file_added"    // the file of a reference was added
)

// Actions lists every action, for clients and tests that enumerate them.
var Actions = []Action{ActionCollected, ActionViewed, ActionDownloaded, ActionTransferred, ActionHandedOver,
	ActionVerified, ActionVerifyFailed, ActionFileAdded}

// Item is one piece of evidence of a security case.
type Item struct {
	ID       int64
	TicketID int64
	Kind     Kind
	Title    string
	// Description says what it is and why it matters.
	Description string
	// The file (KindFile, or a reference whose file was added).
	FileName    string
	ContentType string
	Size        int64
	// SHA256 is the hex digest of the file, computed on upload; for a
	// reference the digest stated when registered ("" when unknown).
	SHA256 string
	// Location is where the evidence is kept outside the desk (a
	// reference's storage, or where a transfer moved it).
	Location string
	// CollectedBy names who collected it (a person or an organisation);
	// CollectedAt when; CollectedFrom from where (a device, a system, a
	// mailbox).
	CollectedBy   string
	CollectedAt   time.Time
	CollectedFrom string
	// Custodian is the member of staff who holds it now, or nil when an
	// outside party does (CustodianName names them).
	Custodian     *desk.Ref
	CustodianName string
	HasFile       bool
	CreatedBy     *desk.Ref
	CreatedAt     time.Time
	// Version counts the item's changes (transfers, hand-overs, a file
	// added), for optimistic concurrency; views do not change it.
	Version int
}

// Holder names the current custodian.
func (it *Item) Holder() string {
	if it.Custodian != nil {
		return it.Custodian.Name
	}
	return it.CustodianName
}

// Custody is one entry of an item's chain of custody.
type Custody struct {
	ID         int64
	EvidenceID int64
	At         time.Time
	Actor      *desk.Ref
	Action     Action
	// From and To are the custodians of a hand-over, or the locations of
	// a transfer.
	From string
	To   string
	// Note is the person's reason or remark, "" for views and downloads.
	Note string
	// SHA256 is the digest the entry saw: the file's at collection, a
	// verification's computed one.
	SHA256 string
	// Address is the network address the request came from, when known.
	Address string
}

// Limits of the text fields.
const (
	MaxTitle    = 200
	MaxText     = 4000
	MaxName     = 200
	MaxLocation = 1000
	MaxNote     = 2000
)

// DefaultMaxBytes is the default size limit of one evidence file.
const DefaultMaxBytes = 64 << 20
