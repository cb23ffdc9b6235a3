package mailmsg

import (
	"regexp"
	"strings"
)

// TrimQuoted returns the new part of a reply: text with the quoted history
// removed. It cuts at the first of
//   - an attribution line ("On … wrote:", "… написал(а):", "… пишет:",
//     "… schrieb:", also wrapped over two lines as Gmail does, and any line
//     ending in ':' that introduces a quoted block running to the end, such
//     as mutt's "* Name <addr> [date]:"),
//   - an Outlook header block ("-----Original Message-----", or
//     "From: …" followed by "Sent:"/"Date:" and "To:"/"Subject:", also in
//     Russian: "От:", "Отправлено:", "Кому:", "Тема:"),
//   - a signature separator line "-- ",
//
// then drops '>' quoted lines and blank lines at the end. Quoted lines between
// new text (inline replies) are kept. When nothing is left (a message that is
// all quote, or a forward with no comment) the whole text is returned trimmed.
func TrimQuoted(text string) string {
	text = normalizeNewlines(text)
	lines := strings.Split(text, "\n")
	cut := len(lines)
	for i := 0; i < len(lines); i++ {
		if isCutLine(lines, i) {
			cut = i
			break
		}
	}
	lines = lines[:cut]
	// Drop a trailing quoted block (with blank lines in it).
	end := len(lines)
	for end > 0 {
		l := strings.TrimSpace(lines[end-1])
		if l == "" || strings.HasPrefix(l, ">") {
			end--
			continue
		}
		break
	}
	lines = lines[:end]
	// An attribution-like line left right above the removed quote.
	if end > 0 && end < cut && strings.HasSuffix(strings.TrimSpace(lines[end-1]), ":") && looksLikeAttribution(lines[end-1]) {
		lines = lines[:end-1]
	}
	out := strings.TrimRight(strings.Join(lines, "\n"), " \t\n")
	out = strings.TrimLeft(out, "\n")
	if strings.TrimSpace(out) == "" {
		return strings.TrimSpace(text)
	}
	return out
}

var (
	// Attribution endings in the languages our requesters write in.
	attributionSuffixes = []string{
		"wrote:", "writes:", "написал(а):", "написал:", "написала:", "пишет:",
		"schrieb:", "a écrit :", "a écrit:", "escribió:", "ha scritto:",
	}
	outlookSeparators = regexp.MustCompile(`^\s*-{2,}\s*(Original Message|Forwarded message|Исходное сообщение|Пересылаемое сообщение|Ursprüngliche Nachricht)\s*-{2,}\s*$`)
	outlookFrom       = []string{"from:", "от:", "von:", "de :", "de:"}
	outlookSent       = []string{"sent:", "date:", "отправлено:", "дата:", "gesendet:", "envoyé :"}
	outlookTo         = []string{"to:", "subject:", "кому:", "тема:", "an:", "betreff:"}
)

func hasPrefixFold(s string, prefixes []string) bool {
	ls := strings.ToLower(strings.TrimSpace(strings.TrimLeft(s, "*"))) // Outlook bolds as *From:*
	for _, p := range prefixes {
		if strings.HasPrefix(ls, p) {
			return true
		}
	}
	return false
}

func looksLikeAttribution(line string) bool {
	l := strings.TrimSpace(line)
	if len(l) > 400 {
		return false
	}
	// Real attributions carry a date or an address; "as he wrote:" does not.
	if !strings.ContainsAny(l, "0123456789@") {
		return false
	}
	ll := strings.ToLower(l)
	for _, s := range attributionSuffixes {
		if strings.HasSuffix(ll, s) {
			return true
		}
	}
	// Gmail in Russian: "чт, 26 нояб. 2026 г. в 10:02, Имя <addr>:"
	return strings.HasSuffix(l, ">:") && strings.Contains(l, "@")
}

func isCutLine(lines []string, i int) bool {
	line := lines[i]
	t := strings.TrimSpace(line)
	if line == "-- " || line == "-- \r" {
		return true
	}
	if t == "" || len(t) > 400 {
		return false
	}
	if outlookSeparators.MatchString(t) {
		return true
	}
	// Outlook divider line followed by a From: header block.
	if strings.HasPrefix(t, "________") && i+1 < len(lines) && hasPrefixFold(lines[i+1], outlookFrom) {
		return true
	}
	if hasPrefixFold(t, outlookFrom) && isHeaderBlock(lines, i) {
		return true
	}
	if looksLikeAttribution(t) {
		return true
	}
	// Gmail wraps long attributions: "On Thu, … Name <" / "addr> wrote:".
	if (strings.HasPrefix(t, "On ") || strings.HasPrefix(t, "Le ") || strings.HasPrefix(t, "Am ")) && i+1 < len(lines) {
		if n := strings.TrimSpace(lines[i+1]); len(n) < 200 && looksLikeAttribution(n) && !strings.HasPrefix(n, ">") {
			return true
		}
	}
	// Any short line ending with ':' that introduces a quote running to the end.
	if strings.HasSuffix(t, ":") && !strings.HasPrefix(t, ">") && len(t) < 200 && i+1 < len(lines) && quotedToEnd(lines[i+1:]) {
		return true
	}
	return false
}

// isHeaderBlock reports whether the lines after a From: line hold a sent/date
// line and a to/subject line, as in Outlook's reply header.
func isHeaderBlock(lines []string, i int) bool {
	sent, to := false, false
	for j := i + 1; j < len(lines) && j <= i+6; j++ {
		if hasPrefixFold(lines[j], outlookSent) {
			sent = true
		}
		if hasPrefixFold(lines[j], outlookTo) {
			to = true
		}
	}
	return sent && to
}

func quotedToEnd(rest []string) bool {
	quoted := false
	for _, l := range rest {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, ">") {
			return false
		}
		quoted = true
	}
	return quoted
}

var tagRE = regexp.MustCompile(`(?i)\[\s*((?:INC|REQ|CHG|PRB|RITM|TASK)-?[0-9]{4,12})\s*\]`)

// TicketTag returns the first ticket tag in a subject, without brackets and
// upper-cased: "[INC-000123]" gives "INC-000123", "[INC0000045]" gives
// "INC0000045". Empty when there is none.
func TicketTag(subject string) string {
	m := tagRE.FindStringSubmatch(subject)
	if m == nil {
		return ""
	}
	return strings.ToUpper(m[1])
}
