package evidence

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Service is evidence handling's application layer: it decides who may
// see and touch evidence (the case's members, through the desk's
// visibility of the case), validates, and records custody through the
// Store.
type Service struct {
	store    Store
	desk     *desk.Desk
	clock    desk.Clock
	maxBytes int64
}

// New returns evidence handling over st for the cases of d; maxBytes
// bounds one file (0: DefaultMaxBytes).
func New(st Store, d *desk.Desk, clock desk.Clock, maxBytes int64) *Service {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Service{store: st, desk: d, clock: clock, maxBytes: maxBytes}
}

// MaxBytes is the size limit of one evidence file, for adapters that
// refuse an oversized upload before reading it all.
func (s *Service) MaxBytes() int64 { return s.maxBytes }

// member returns the actor and the security case ref if the actor is one
// of its members (staff who see it). Anyone else finds no such case; a
// case member asking about a ticket that is not a security case is told
// so.
func (s *Service) member(ctx context.Context, ref string) (*desk.User, *desk.Ticket, error) {
	u, err := desk.RequireStaff(ctx)
	if desk.ErrorCode(err) == desk.EFORBIDDEN {
		return nil, nil, desk.Errorf(desk.ENOTFOUND, "no ticket %s", ref)
	}
	if err != nil {
		return nil, nil, err
	}
	t, err := s.desk.Ticket(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	if !t.Security {
		return nil, nil, desk.Refusef(desk.ECONFLICT, desk.RuleSecurityCase, nil,
			"ticket %s is not a security case: evidence is kept on security cases only", t.Number)
	}
	return u, t, nil
}

// item returns an item of a case the actor is a member of; to anyone else
// it does not exist.
func (s *Service) item(ctx context.Context, id int64) (*desk.User, *desk.Ticket, *Item, error) {
	it, err := s.store.Evidence(ctx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	u, t, err := s.member(ctx, strconv.FormatInt(it.TicketID, 10))
	if c := desk.ErrorCode(err); c == desk.ENOTFOUND || c == desk.ECONFLICT {
		return nil, nil, nil, desk.Errorf(desk.ENOTFOUND, "no evidence %d", id)
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return u, t, it, nil
}

// FileInput is an uploaded file.
type FileInput struct {
	Name        string
	ContentType string
	Content     []byte
}

// AddInput registers an item: a file, or a reference to evidence kept at
// Location.
type AddInput struct {
	Title       string
	Description string
	File        *FileInput
	// SHA256 is, for a file, the digest the uploader expects (the upload
	// is refused when it differs); for a reference, its recorded digest.
	// Either may be empty.
	SHA256        string
	Location      string
	CollectedBy   string    // "": the person registering it
	CollectedAt   time.Time // zero: now
	CollectedFrom string
	Address       string // the request's network address
}

// Add registers an item on the case ref (a case member): the file's
// SHA-256 is computed and recorded with the collection, the registering
// member becomes its custodian, and the first custody entry says so.
func (s *Service) Add(ctx context.Context, ref string, in AddInput) (*Item, error) {
	u, t, err := s.member(ctx, ref)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	if in.CollectedAt.IsZero() {
		in.CollectedAt = now
	}
	if strings.TrimSpace(in.CollectedBy) == "" {
		in.CollectedBy = u.Name
	}
	in.SHA256 = strings.ToLower(strings.TrimSpace(in.SHA256))
	if err := s.checkAdd(in, now); err != nil {
		return nil, err
	}
	me := &desk.Ref{ID: u.ID, Name: u.Name}
	it := &Item{TicketID: t.ID, Kind: KindReference, Title: strings.TrimSpace(in.Title), Description: in.Description,
		SHA256: in.SHA256, Location: strings.TrimSpace(in.Location), CollectedBy: strings.TrimSpace(in.CollectedBy),
		CollectedAt: in.CollectedAt.UTC(), CollectedFrom: strings.TrimSpace(in.CollectedFrom), Custodian: me,
		CreatedBy: me, CreatedAt: now, Version: 1}
	var content []byte
	if in.File != nil {
		it.Kind, content = KindFile, in.File.Content
		setFile(it, in.File)
	}
	c := &Custody{At: now, Actor: me, Action: ActionCollected, To: me.Name, SHA256: it.SHA256, Address: in.Address}
	if err := s.store.AddEvidence(ctx, it, content, c); err != nil {
		return nil, fmt.Errorf("add evidence to %s: %w", t.Number, err)
	}
	return it, nil
}

// setFile records f as it's file.
func setFile(it *Item, f *FileInput) {
	ct := desk.SniffContentType(f.ContentType, f.Content)
	it.FileName, it.ContentType, it.Size = desk.SanitizeFileName(f.Name, ct), ct, int64(len(f.Content))
	it.SHA256, it.HasFile = digest(f.Content), true
}

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func (s *Service) checkAdd(in AddInput, now time.Time) error {
	var c checks
	c.text("title", in.Title, MaxTitle, true)
	c.text("description", in.Description, MaxText, false)
	c.text("collected_by", in.CollectedBy, MaxName, true)
	c.text("collected_from", in.CollectedFrom, MaxLocation, true)
	c.text("location", in.Location, MaxLocation, in.File == nil)
	if in.CollectedAt.After(now) {
		c.add("collected_at", desk.RuleInFuture, nil, "must not be in the future")
	}
	c.sha("sha256", in.SHA256)
	if in.File != nil {
		c.file("file", in.File, s.maxBytes)
		if len(c) == 0 && in.SHA256 != "" && digest(in.File.Content) != in.SHA256 {
			c.add("sha256", desk.RuleMismatch, nil, "the file's SHA-256 is %s, not the %s stated", digest(in.File.Content), in.SHA256)
		}
	}
	return c.err()
}

// Items returns the case's items, oldest first (case members). Listing is
// not a view of each item: opening one is.
func (s *Service) Items(ctx context.Context, ref string) ([]*Item, error) {
	_, t, err := s.member(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.store.ListEvidence(ctx, t.ID)
}

// Item opens an item (case members): the view is a custody entry, and the
// chain returned ends with it.
func (s *Service) Item(ctx context.Context, id int64, address string) (*Item, []*Custody, error) {
	u, _, it, err := s.item(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.record(ctx, u, it, &Custody{Action: ActionViewed, Address: address}, false, nil); err != nil {
		return nil, nil, err
	}
	chain, err := s.store.CustodyChain(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	return it, chain, nil
}

// Download returns an item's file (case members), recording the download
// first: a download that cannot be recorded does not happen.
func (s *Service) Download(ctx context.Context, id int64, address string) (*Item, []byte, error) {
	u, _, it, err := s.item(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !it.HasFile {
		return nil, nil, desk.Errorf(desk.ENOTFOUND, "evidence %d has no file here: it is kept at %s", id, it.Location)
	}
	b, err := s.store.EvidenceFile(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c := &Custody{Action: ActionDownloaded, SHA256: digest(b), Address: address}
	if err := s.record(ctx, u, it, c, false, nil); err != nil {
		return nil, nil, err
	}
	return it, b, nil
}

// record stamps c with the time and actor and appends it (see
// Store.RecordCustody).
func (s *Service) record(ctx context.Context, u *desk.User, it *Item, c *Custody, change bool, file []byte) error {
	c.At, c.Actor, c.EvidenceID = s.clock.Now(), &desk.Ref{ID: u.ID, Name: u.Name}, it.ID
	if err := s.store.RecordCustody(ctx, it, c, change, file); err != nil {
		return fmt.Errorf("evidence %d: %s: %w", it.ID, c.Action, err)
	}
	return nil
}

// CaseEntry is one custody entry of a case's item, with the item's title,
// for the case's timeline of evidence.
type CaseEntry struct {
	*Custody
	ItemID    int64
	ItemTitle string
}

// CaseCustody returns every custody entry of the case's items, oldest
// first (case members). Reading it records nothing: it names what was done,
// never an item's file.
func (s *Service) CaseCustody(ctx context.Context, ref string) ([]CaseEntry, error) {
	items, err := s.Items(ctx, ref)
	if err != nil {
		return nil, err
	}
	var out []CaseEntry
	for _, it := range items {
		chain, err := s.store.CustodyChain(ctx, it.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range chain {
			out = append(out, CaseEntry{Custody: c, ItemID: it.ID, ItemTitle: it.Title})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}
