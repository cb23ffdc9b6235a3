package mailmsg

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeLegacy turns text that is not valid UTF-8 (8-bit text with no or a
// wrong charset declaration, or raw 8-bit header values) into UTF-8 by a
// cheap guess suited to our requesters: Russian text is mostly lower-case
// letters, which Windows-1251 puts at 0xE0–0xFF and KOI8-R at 0xC0–0xDF;
// text whose letters are mostly ASCII, and anything else, is read as
// Windows-1252 (a superset of ISO-8859-1).
// Valid UTF-8 is returned unchanged.
func decodeLegacy(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var c0, e0, other, latin int
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z':
			latin++
		case b >= 0xE0:
			e0++
		case b >= 0xC0:
			c0++
		case b >= 0x80:
			other++
		}
	}
	high := c0 + e0 + other
	cm := charmap.Windows1252
	switch {
	case high < latin: // mostly Latin letters with a few accents
	case high > 0 && e0*10 >= high*6:
		cm = charmap.Windows1251
	case high > 0 && c0*10 >= high*6:
		cm = charmap.KOI8R
	}
	out, err := cm.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}
