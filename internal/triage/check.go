package triage

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxText is the longest text (bytes) accepted for training or
// evaluation: longer is a file's mistake (a log or an attachment pasted
// into the text column), not a ticket.
const MaxText = 64 << 10

// Errors of CheckText.
var (
	ErrEmptyText     = errors.New("empty text")
	ErrTextTooLong   = fmt.Errorf("text longer than %d bytes", MaxText)
	ErrNotUTF8       = errors.New("text is not UTF-8")
	ErrNoKnownScript = errors.New("text has no Latin or Cyrillic word: the model reads English and Russian")
)

// CheckText reports a text the model cannot learn from: empty, too long,
// not UTF-8, or with no word in Latin or Cyrillic script (a third
// language, which the model does not read).
func CheckText(text string) error {
	switch {
	case strings.TrimSpace(text) == "":
		return ErrEmptyText
	case len(text) > MaxText:
		return fmt.Errorf("%w (%d bytes)", ErrTextTooLong, len(text))
	case !utf8.ValidString(text):
		return ErrNotUTF8
	}
	for _, r := range text {
		if unicode.In(r, unicode.Latin, unicode.Cyrillic) {
			return nil
		}
	}
	return ErrNoKnownScript
}
