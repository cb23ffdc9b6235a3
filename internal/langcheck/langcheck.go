// Package langcheck finds English words left in text meant for Russian
// readers: a page, an e-mail or a notification rendered in Russian. Text
// in Latin script that belongs there (product names, abbreviations that
// Russian writes in Latin, ticket numbers, addresses, links, time zones)
// is allowed; anything else is reported, so that tests of every Russian
// output can fail on an untranslated word.
package langcheck

import (
	"regexp"
	"slices"
)

// Allowed are the words a Russian text may write in Latin script: names
// of products and standards, and abbreviations Russian desks write so.
var Allowed = []string{
	// the product and what it talks to
	"Tierdesk", "ServiceNow", "Alertmanager", "Prometheus", "Grafana", "Zabbix", "PostgreSQL", "SQLite",
	"OpenID", "LDAP", "Markdown", "Chromium",
	// abbreviations written in Latin in Russian
	"SLA", "VIP", "VPN", "API", "CSV", "JSON", "URL", "HTTP", "HTTPS", "HTML", "SMTP", "IMAP", "SMS", "PDF", "IT", "ID",
	"IANA", "UTC", "GMT", "MSK", "CET", "CEST", "EET", "EEST", "PNG", "JPEG", "TXT", "OK", "Wi-Fi", "e-mail", "E-mail",
	// the EU regulation, written so in Russian legal texts too, and its
	// data protection officer
	"GDPR", "DPO",
	// the incident-handling standard security playbooks follow
	"NIST", "SP",
	// keys as keyboards label them
	"Ctrl", "Alt", "Shift", "Esc", "Enter", "Tab", "Mac",
	// the language switch names each language in itself
	"English",
}

var (
	urlRE    = regexp.MustCompile(`(?i)\b(?:(?:https?|mailto)://|(?:tel|sips?):\+?\d)\S*`)
	emailRE  = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`)
	numberRE = regexp.MustCompile(`\b[A-Z]{1,5}-?\d+\b`) // INC-000123, INC0000045, P1
	// a command of the desk's command line, typed as it is (the product
	// name in lower case, then at most three subcommand words)
	commandRE = regexp.MustCompile(`\btierdesk(?: [a-z][a-z-]*){1,3}\b`)
	zoneRE    = regexp.MustCompile(`\b[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b`)
	wordRE    = regexp.MustCompile(`[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]`)
)

// LatinWords returns the words of text in Latin script that are not
// allowed: not in Allowed, not part of a link, an e-mail address, a
// ticket number, an IANA time-zone name or a tierdesk command, and not a word of the data
// strings (text the user or the desk's data wrote in English, such as an
// English requester's name or ticket title, shown as it is; matched word
// by word, case and all). Each word is reported once, in order of
// appearance. Single letters are ignored (units, list markers).
func LatinWords(text string, data ...string) []string {
	allowed := map[string]bool{}
	for _, w := range Allowed {
		allowed[w] = true
	}
	for _, d := range data {
		for _, w := range wordRE.FindAllString(d, -1) {
			allowed[w] = true
		}
	}
	for _, re := range []*regexp.Regexp{urlRE, emailRE, commandRE, zoneRE, numberRE} {
		text = re.ReplaceAllString(text, " ")
	}
	var out []string
	for _, w := range wordRE.FindAllString(text, -1) {
		if len(w) < 2 || allowed[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
	}
	return out
}
