package evidence

import (
	"context"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// HandOverInput passes an item to another custodian: a case member
// (ToUserID) or an outside party (ToName, such as the police officer who
// signed for it), never both.
type HandOverInput struct {
	ToUserID  int64
	ToName    string
	Note      string // required: why, and how (sealed bag number, receipt)
	IfVersion int    // 0: the current version
	Address   string
}

// HandOver passes the item to another custodian (case members).
func (s *Service) HandOver(ctx context.Context, id int64, in HandOverInput) (*Item, error) {
	u, t, it, err := s.item(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkVersion(it, in.IfVersion); err != nil {
		return nil, err
	}
	var c checks
	c.text("note", in.Note, MaxNote, true)
	c.text("to_name", in.ToName, MaxName, false)
	to := strings.TrimSpace(in.ToName)
	switch {
	case in.ToUserID != 0 && to != "":
		c.add("to_name", desk.RuleConflicts, desk.Params{"with": "to_user_id"}, "name a member of staff or an outside party, not both")
	case in.ToUserID == 0 && to == "":
		c.add("to_user_id", desk.RuleRequired, nil, "name the new custodian")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	var next *desk.Ref
	if in.ToUserID != 0 {
		if next, err = s.caseMember(ctx, t, in.ToUserID); err != nil {
			return nil, err
		}
		to = next.Name
	}
	if next != nil && it.Custodian != nil && next.ID == it.Custodian.ID || next == nil && it.Custodian == nil && to == it.CustodianName {
		return nil, desk.InvalidFields(desk.Invalid("to_user_id", desk.RuleTaken, nil, "%s holds it already", to))
	}
	entry := &Custody{Action: ActionHandedOver, From: it.Holder(), To: to, Note: strings.TrimSpace(in.Note), Address: in.Address}
	it.Custodian, it.CustodianName = next, ""
	if next == nil {
		it.CustodianName = to
	}
	return it, s.record(ctx, u, it, entry, true, nil)
}

// caseMember returns the active member of staff id if they see the case.
func (s *Service) caseMember(ctx context.Context, t *desk.Ticket, id int64) (*desk.Ref, error) {
	m, err := s.desk.User(ctx, id)
	if desk.ErrorCode(err) == desk.ENOTFOUND || err == nil && (!m.Active || !m.Role.IsStaff()) {
		return nil, desk.InvalidFields(desk.Invalid("to_user_id", desk.RuleUnknown, nil, "no active member of staff %d", id))
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.desk.Ticket(desk.WithActor(ctx, m), strconv.FormatInt(t.ID, 10)); err != nil {
		if desk.ErrorCode(err) == desk.ENOTFOUND {
			return nil, desk.InvalidFields(desk.Invalid("to_user_id", desk.RuleNotAllowed, nil,
				"%s is not a member of case %s: name them on the case first", m.Name, t.Number))
		}
		return nil, err
	}
	return &desk.Ref{ID: m.ID, Name: m.Name}, nil
}

// TransferInput moves an item to another storage location.
type TransferInput struct {
	Location  string
	Note      string
	IfVersion int
	Address   string
}

// Transfer records that the item moved to another storage location (case
// members).
func (s *Service) Transfer(ctx context.Context, id int64, in TransferInput) (*Item, error) {
	u, _, it, err := s.item(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := s.checkVersion(it, in.IfVersion); err != nil {
		return nil, err
	}
	var c checks
	c.text("location", in.Location, MaxLocation, true)
	c.text("note", in.Note, MaxNote, true)
	loc := strings.TrimSpace(in.Location)
	if len(c) == 0 && loc == it.Location {
		c.add("location", desk.RuleTaken, nil, "it is kept there already")
	}
	if err := c.err(); err != nil {
		return nil, err
	}
	entry := &Custody{Action: ActionTransferred, From: it.Location, To: loc, Note: strings.TrimSpace(in.Note), Address: in.Address}
	it.Location = loc
	return it, s.record(ctx, u, it, entry, true, nil)
}

// Verify computes the SHA-256 of the stored file again and records
// whether it still matches the one recorded (case members). A mismatch
// is not an error of the request: it is recorded, and the answer says so.
func (s *Service) Verify(ctx context.Context, id int64, address string) (*Item, *Custody, error) {
	u, _, it, err := s.item(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if !it.HasFile {
		return nil, nil, desk.InvalidFields(desk.Invalid("file", desk.RuleRequired, nil, "evidence %d has no file to verify", id))
	}
	b, err := s.store.EvidenceFile(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c := &Custody{Action: ActionVerified, SHA256: digest(b), Address: address}
	if c.SHA256 != it.SHA256 {
		c.Action = ActionVerifyFailed
	}
	return it, c, s.record(ctx, u, it, c, false, nil)
}

// AddFileInput uploads an item's file again: the file of a reference, or
// a copy of a file item to check against the recorded digest.
type AddFileInput struct {
	File      FileInput
	IfVersion int
	Address   string
}

// AddFile takes an upload of an item's file (case members). Its SHA-256
// must match the one recorded, if any, else nothing is stored (mismatch).
// A file item is not replaced: a matching copy is recorded as a
// verification. A reference without a file keeps the upload as its file.
func (s *Service) AddFile(ctx context.Context, id int64, in AddFileInput) (*Item, *Custody, error) {
	u, _, it, err := s.item(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.checkVersion(it, in.IfVersion); err != nil {
		return nil, nil, err
	}
	var c checks
	c.file("file", &in.File, s.maxBytes)
	if err := c.err(); err != nil {
		return nil, nil, err
	}
	sum := digest(in.File.Content)
	if it.SHA256 != "" && sum != it.SHA256 {
		return nil, nil, desk.InvalidFields(desk.Invalid("file", desk.RuleMismatch, nil,
			"the file's SHA-256 is %s, not the %s recorded", sum, it.SHA256))
	}
	if it.HasFile {
		entry := &Custody{Action: ActionVerified, SHA256: sum, Address: in.Address}
		return it, entry, s.record(ctx, u, it, entry, false, nil)
	}
	setFile(it, &in.File)
	entry := &Custody{Action: ActionFileAdded, SHA256: sum, Address: in.Address}
	return it, entry, s.record(ctx, u, it, entry, true, in.File.Content)
}

func (s *Service) checkVersion(it *Item, want int) error {
	if want != 0 && want != it.Version {
		return desk.Errorf(desk.ESTALE, "evidence %d changed since you read it (version %d, not %d)", it.ID, it.Version, want)
	}
	return nil
}
