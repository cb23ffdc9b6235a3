package sqlstore

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Cursors are opaque to callers: base64url JSON of the last row's sort
// values plus what they belong to (sort, direction, a filter fingerprint or
// list name), so that a cursor used with another list is refused instead of
// silently skipping rows.

func encodeCursor(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("sqlstore: cursor does not marshal: " + err.Error()) // plain structs always do
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, v) != nil {
		return invalidCursor()
	}
	return nil
}

func invalidCursor() error {
	return fieldError(desk.EINVALID, "cursor", desk.RuleInvalidFmt, desk.Params{"format": "cursor"}, "malformed cursor or one from another list")
}

// idCursor pages lists ordered by id (users, events).
type idCursor struct {
	List string `json:"l"`
	ID   int64  `json:"i"`
}

// afterID decodes an id cursor of the named list; "" starts at the top.
func afterID(cursor, list string) (int64, error) {
	if cursor == "" {
		return 0, nil
	}
	var c idCursor
	if err := decodeCursor(cursor, &c); err != nil {
		return 0, err
	}
	if c.List != list || c.ID <= 0 {
		return 0, invalidCursor()
	}
	return c.ID, nil
}

// pageSize validates a requested page size: 0 means the default, anything
// above the maximum is refused rather than silently capped.
func pageSize(limit int) (int, error) {
	switch {
	case limit == 0:
		return desk.DefaultPageSize, nil
	case limit < 0 || limit > desk.MaxPageSize:
		return 0, fieldError(desk.EINVALID, "limit", desk.RuleOutOfRange, desk.Params{"min": 1, "max": desk.MaxPageSize}, fmt.Sprintf("must be between 1 and %d", desk.MaxPageSize))
	}
	return limit, nil
}
