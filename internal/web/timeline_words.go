package web

import (
	"regexp"
	"strconv"
	"strings"
)

// History written by the desk itself (SLA sweeps, paging, alert intake,
// replies by e-mail) records its reason in English words, since history is
// data; the timeline words the known ones in the viewer's language, and
// shows anything else (a person's own reason) as it was written.

// systemReasons maps a reason the desk writes to its catalogue key; the
// pattern's groups are the message's arguments.
var systemReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^response SLA breached$`), "reason.response_breached"},
	{regexp.MustCompile(`^resolution SLA breached$`), "reason.resolution_breached"},
	{regexp.MustCompile(`^step (\d+), round (\d+): paged (.+)$`), "reason.paged"},
	{regexp.MustCompile(`^step (\d+), round (\d+): nobody on call, moving on$`), "reason.nobody_on_call"},
	{regexp.MustCompile(`^nobody acknowledged after (\d+) round\(s\)$`), "reason.page_exhausted"},
	{regexp.MustCompile(`^all alerts resolved$`), "reason.alerts_resolved"},
	{regexp.MustCompile(`^alert fired again within the flap window$`), "reason.alert_flap"},
	{regexp.MustCompile(`^requester replied$`), "reason.requester_replied"},
	{regexp.MustCompile(`^requester replied to the resolution$`), "reason.requester_replied_resolution"},
}

// reasonText is an event's reason in the viewer's language when the desk
// wrote it, else as written.
func (l *lang) reasonText(reason string) string {
	for _, r := range systemReasons {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			if r.key == "reason.page_exhausted" {
				n, _ := strconv.Atoi(m[1])
				return l.N(r.key, n)
			}
			return l.T(r.key, args...)
		}
	}
	return reason
}

// linkChange words a "link" history value ("parent_of INC-000029"): the
// kind in the viewer's language, then the ticket.
func (l *lang) linkChange(v string) string {
	kind, ref, ok := strings.Cut(v, " ")
	if !ok || !l.Has("link.kind."+kind) {
		return v
	}
	return l.T("link.kind."+kind) + " " + ref
}
