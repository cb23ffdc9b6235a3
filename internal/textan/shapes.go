package textan

import (
	"strings"
	"unicode"
)

// isRef reports whether s is a reference: one or more letters, a hyphen and
// one or more digits (INC-000123, REQ-7, KB-12).
func isRef(s string) bool {
	prefix, digits, ok := strings.Cut(s, "-")
	if !ok || prefix == "" || digits == "" || len(prefix) > 32 {
		return false
	}
	for _, r := range prefix {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return allDigits(digits)
}

// isEmail reports whether s looks like local@domain.tld: one '@', a
// non-empty local part and a domain of at least two dot-separated labels
// of word runes and hyphens.
func isEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || strings.Contains(domain, "@") || len(s) > 254 {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.ContainsFunc(l, func(r rune) bool { return !isWordRune(r) && r != '-' }) {
			return false
		}
	}
	return !strings.ContainsFunc(local, func(r rune) bool { return !isWordRune(r) && !isJoiner(r) })
}

// isDotted reports whether s is digits with single dots between them.
func isDotted(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" || !allDigits(part) {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
