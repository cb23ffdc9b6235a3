package web

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"time"
	"unicode"

	"github.com/tierdesk/tierdesk/internal/breach"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/evidence"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/playbook"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/statuspage"
)

func testServer(t *testing.T) *server { return testServerB(t) }

func testServerB(t testing.TB) *server {
	t.Helper()
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	a, err := loadAssets()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cat: cat, assets: a, opts: Options{Location: time.UTC}}
	if s.pages, err = s.newSitePages(); err != nil {
		t.Fatal(err)
	}
	for _, set := range s.pages { // every page of every language parses
		if _, err := set.parseAll(); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func TestCatalogue_LanguagesHaveTheSameKeys(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err) // loadCatalogue refuses differing keys and missing plural forms
	}
	if len(c.langs["en"].msgs) != len(c.langs["ru"].msgs) || len(c.langs["en"].msgs) < 100 {
		t.Errorf("en has %d keys, ru %d", len(c.langs["en"].msgs), len(c.langs["ru"].msgs))
	}
	// The check itself catches a key present in one language only, and a
	// counted message without a form the language needs.
	delete(c.langs["ru"].msgs, "login.title")
	c.langs["ru"].msgs["my.open_count"] = message{forms: map[string]string{"one": "x", "other": "y"}}
	err = c.check()
	if err == nil || !strings.Contains(err.Error(), `ru lacks "login.title"`) ||
		!strings.Contains(err.Error(), `"my.open_count" lacks the plural form "few"`) {
		t.Errorf("check = %v", err)
	}
}

func TestCatalogue_RussianPlurals(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	ru, en := c.langs["ru"], c.langs["en"]
	for n, want := range map[int]string{
		0: "У вас 0 открытых заявок.", 1: "У вас 1 открытая заявка.", 2: "У вас 2 открытые заявки.",
		4: "У вас 4 открытые заявки.", 5: "У вас 5 открытых заявок.", 11: "У вас 11 открытых заявок.",
		12: "У вас 12 открытых заявок.", 21: "У вас 21 открытая заявка.", 22: "У вас 22 открытые заявки.",
		25: "У вас 25 открытых заявок.", 101: "У вас 101 открытая заявка.", 111: "У вас 111 открытых заявок.",
	} {
		if got := ru.N("my.open_count", n); got != want {
			t.Errorf("ru %d: %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{0: "You have 0 open tickets.", 1: "You have 1 open ticket.", 2: "You have 2 open tickets."} {
		if got := en.N("my.open_count", n); got != want {
			t.Errorf("en %d: %q, want %q", n, got, want)
		}
	}
	if got := ru.duration(26*time.Hour + 5*time.Minute); got != "1 день 2 часа" {
		t.Errorf("ru duration: %q", got)
	}
	if got := ru.duration(5 * time.Minute); got != "5 минут" {
		t.Errorf("ru duration: %q", got)
	}
	if got := en.duration(61 * time.Minute); got != "1 hour 1 minute" {
		t.Errorf("en duration: %q", got)
	}
	// How long ago reads like how long until ("overdue by" says the sign).
	if got := en.duration(-(90 * time.Minute)); got != "1 hour 30 minutes" {
		t.Errorf("en duration of a past time: %q", got)
	}
	if got := en.duration(24 * time.Hour); got != "1 day" {
		t.Errorf("en duration of a whole day: %q", got)
	}
}

func TestCatalogue_DatesPerLanguage(t *testing.T) {
	c, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 6, 17, 4, 0, 0, time.UTC)
	msk := time.FixedZone("MSK", 3*3600)
	for _, tc := range []struct {
		lang string
		loc  *time.Location
		want string
	}{
		{"en", time.UTC, "Nov 6, 2026, 17:04 UTC"},
		{"ru", time.UTC, "6 нояб. 2026, 17:04 UTC"},
		{"ru", msk, "6 нояб. 2026, 20:04 MSK"},
	} {
		if got := c.langs[tc.lang].datetime(at, tc.loc); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.loc, got, tc.want)
		}
	}
	if got := c.langs["ru"].date(at, time.UTC); got != "6 нояб. 2026" {
		t.Errorf("ru date: %q", got)
	}
}

// templateUse collects, from a template's parse tree, the catalogue keys
// it names literally, the prefixes it passes to enum, and its literal text.
type templateUse struct {
	keys, prefixes map[string]bool
	text           []string
}

func (u *templateUse) walk(n parse.Node) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				u.walk(c)
			}
		}
	case *parse.TextNode:
		u.text[len(u.text)-1] += string(n.Text)
	case *parse.ActionNode:
		u.pipe(n.Pipe)
	case *parse.IfNode:
		u.branch(&n.BranchNode)
	case *parse.RangeNode:
		u.branch(&n.BranchNode)
	case *parse.WithNode:
		u.branch(&n.BranchNode)
	case *parse.TemplateNode:
		u.pipe(n.Pipe)
	}
}

func (u *templateUse) branch(b *parse.BranchNode) {
	u.pipe(b.Pipe)
	u.walk(b.List)
	if b.ElseList != nil {
		u.walk(b.ElseList)
	}
}

func (u *templateUse) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for _, c := range p.Cmds {
		u.command(c)
	}
}

func (u *templateUse) command(c *parse.CommandNode) {
	if id, ok := c.Args[0].(*parse.IdentifierNode); ok && len(c.Args) > 1 {
		if s, ok := c.Args[1].(*parse.StringNode); ok {
			switch id.Ident {
			case "t", "tn":
				u.keys[s.Text] = true
			case "enum":
				u.prefixes[s.Text] = true
			}
		}
	}
	for _, a := range c.Args {
		if p, ok := a.(*parse.PipeNode); ok {
			u.pipe(p)
		}
	}
}

func collectUse(t *testing.T, s *server) *templateUse {
	t.Helper()
	u := &templateUse{keys: map[string]bool{}, prefixes: map[string]bool{}}
	pages, err := s.pages["en"].parseAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		for _, tt := range p.tmpl.Templates() {
			if tt.Tree != nil {
				u.text = append(u.text, "") // one skeleton per template: text with actions left out
				u.walk(tt.Tree.Root)
			}
		}
	}
	return u
}

// TestTemplates_UseOnlyCatalogueText fails when a template holds visible
// words of its own instead of catalogue messages, or names a key that a
// language lacks.
func TestTemplates_UseOnlyCatalogueText(t *testing.T) {
	s := testServer(t)
	u := collectUse(t, s)
	tags := regexp.MustCompile(`(?s)<kbd>[^<]*</kbd>|<!--.*?-->|<[^>]*>|&[a-z]+;|&#\d+;`)
	visibleAttr := regexp.MustCompile(`(?i)\b(placeholder|title|aria-label|alt)="([^"]*)"`)
	var bad []string
	for _, text := range u.text {
		for _, m := range visibleAttr.FindAllStringSubmatch(text, -1) {
			if strings.IndexFunc(m[2], unicode.IsLetter) >= 0 {
				bad = append(bad, m[0])
			}
		}
		rest := tags.ReplaceAllString(text, " ")
		if strings.IndexFunc(rest, unicode.IsLetter) >= 0 {
			bad = append(bad, strings.TrimSpace(rest))
		}
	}
	if len(bad) > 0 {
		t.Errorf("text outside the catalogue in templates: %q", bad)
	}
	for k := range u.keys {
		for code, l := range s.cat.langs {
			if !l.Has(k) {
				t.Errorf("templates use %q, missing in %s", k, code)
			}
		}
	}
	if len(u.keys) < 50 {
		t.Errorf("found only %d keys in templates: the walk is broken", len(u.keys))
	}
}

// strs spells a list of string-typed enum values.
func strs[S ~string](vs []S) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// enumValues are the values each enum prefix used in templates takes.
func enumValues() map[string][]string {
	str := func(vs ...any) []string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = fmt.Sprint(v)
		}
		return out
	}
	var states, types, levels, holds, codes, channels []any
	for _, v := range desk.States {
		states = append(states, v)
	}
	for _, v := range desk.TicketTypes {
		types = append(types, v)
	}
	for _, v := range desk.Levels {
		levels = append(levels, v)
	}
	for _, v := range desk.HoldReasons {
		holds = append(holds, v)
	}
	for _, v := range desk.ResolutionCodes {
		codes = append(codes, v)
	}
	for _, v := range desk.Channels {
		channels = append(channels, v)
	}
	kinds := str(desk.EventCreated, desk.EventUpdated, desk.EventTransition, desk.EventComment, desk.EventWorkNote,
		desk.EventReassigned, desk.EventEscalated, desk.EventManagerFlagged, desk.EventSLAWarning, desk.EventSLABreached,
		desk.EventLinked, desk.EventUnlinked, desk.EventRated, desk.EventAlertRepeated, desk.EventAlertResolved,
		desk.EventPageStarted, desk.EventPaged, desk.EventPageAcknowledged, desk.EventPageResolved, desk.EventPageExhausted,
		desk.EventCallScheduled, desk.EventCallCanceled, desk.EventBreachWarning, desk.EventBreachMissed)
	var linkKinds []any
	for _, k := range desk.LinkKinds {
		linkKinds = append(linkKinds, k)
	}
	var notifyKinds []any
	for _, k := range desk.NotificationKinds {
		notifyKinds = append(notifyKinds, k)
	}
	clocks := str(desk.SLAResponse, desk.SLAResolution, desk.SLANextUpdate)
	return map[string][]string{
		"state": str(states...), "state.plain": str(states...), "type": str(types...), "level": str(levels...), "level.urgency": str(levels...),
		"impact": str(levels...), "urgency": str(levels...),
		"hold": str(holds...), "resolution": str(codes...), "channel": str(channels...), "event.kind": kinds,
		"next": str(desk.StateNew, desk.StateAssigned, desk.StateInProgress, desk.StateResolved, desk.StateClosed,
			desk.StateCanceled), "next.on_hold": str(holds...),
		"sla.running": clocks, "sla.paused": clocks, "sla.met": clocks, "sla.breached": clocks,
		"error.title": str(403, 404, 409, 413, 422, 429, 500), "error.text": str(403, 404, 409, 413, 422, 429, 500),
		"report.people": {"me", "some", "many"}, "report.soon": {"now", "today", "later"},
		"link.kind": str(linkKinds...), "page.state": {"active", "acknowledged", "resolved", "exhausted"}, "clock": {"response", "resolution", string(breach.GDPRAuthority), string(breach.FZ152First), string(breach.FZ152Follow)}, "rate.score": {"1", "2", "3", "4", "5"},
		"queue": queueNames(), "dashboard.period": desk.DashboardPeriods,
		"admin.cal.day": {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
		"field": {"type", "state", "impact", "urgency", "priority", "group", "channel", "assignee", "category",
			"subcategory", "service", "title", "description", "symptoms", "restricted", "hold_reason",
			"resolution_code", "reopen_count", "first_response_at", "line", "manager", "clock", "percent", "rating", "link",
			"alert_repeats", "alerts_received", "alert_status", "escalation_policy", "page_group", "page", "page_state",
			"paged", "call_id", "start", "duration_minutes", "kind", "phone", "meeting_url", "first_contact"},
		"call.kind":      str(desk.CallPhone, desk.CallVideo),
		"role":           str(desk.RoleRequester, desk.RoleAgent, desk.RoleManager, desk.RoleAdmin),
		"lang":           desk.Languages,
		"notify.kind":    str(notifyKinds...),
		"mailbox.reason": desk.MailRefusalReasons,
		"kb.state":       str(knowledge.Draft, knowledge.Published, knowledge.Retired), "kb.move": str(knowledge.Draft, knowledge.Published, knowledge.Retired),
		"kb.audience": str(knowledge.Public, knowledge.Internal), "kb.audience.long": str(knowledge.Public, knowledge.Internal),
		"kb.translation": knowledge.Languages, "kb.link": str(knowledge.SolvedBy, knowledge.Relevant, knowledge.Shown),
		"kb.link.as":            str(knowledge.SolvedBy, knowledge.Relevant),
		"major.state":           str(major.StateActive, major.StateResolved, major.StateClosed),
		"problem.state":         problemStates(),
		"problem.move":          problemStates(),
		"problem.broadcast":     str(problem.BroadcastWorkaround, problem.BroadcastResolve),
		"evidence.action":       evidenceActions(),
		"evidence.kind":         str(evidence.KindFile, evidence.KindReference),
		"major.role":            str(major.RoleCommander, major.RoleCommsLead, major.RoleResponder),
		"major.review.state":    str(major.ReviewDraft, major.ReviewInReview, major.ReviewPublished),
		"major.review.move":     str(major.ReviewDraft, major.ReviewInReview, major.ReviewPublished),
		"major.review.field":    {"summary", "causes", "went_well", "went_badly"},
		"major.review.detected": {major.DetectedByAlert, major.DetectedByReport},
		"status.component": str(statuspage.Operational, statuspage.DegradedPerformance, statuspage.PartialOutage,
			statuspage.MajorOutage, statuspage.UnderMaintenance),
		"status.impact": str(statuspage.ImpactNone, statuspage.ImpactMinor, statuspage.ImpactMajor, statuspage.ImpactCritical),
		"status.incident": str(statuspage.Investigating, statuspage.Identified, statuspage.Monitoring, statuspage.Resolved,
			statuspage.Postmortem),
		"status_admin.maint.state": {"scheduled", "in_progress", "completed", "canceled"},
		"status_admin.substate":    {"pending", "active", "unsubscribed"},
		"status_admin.sub.reason":  {"request", "bounces"},
		"breach.regime":            strs(breach.Regimes),
		"breach.notice":            strs(breach.NoticeKinds),
		"breach.notice.state":      {"draft", "sent", "not_notified"},
		"breach.clock.state": {desk.BreachClockWaiting, desk.BreachClockRunning, desk.BreachClockMissed, desk.BreachClockMet,
			desk.BreachClockLate},
		"breach.recipient": strs([]breach.Recipient{breach.RecipientAuthority, breach.RecipientRoskomnadzor,
			breach.RecipientSubjects, breach.RecipientPartners}),
		"breach.via":     breach.SentVia,
		"breach.ground":  breach.NotNotifyGrounds,
		"dx.kind":        strs(diagnosis.Kinds),
		"dx.mode":        strs(diagnosis.Modes),
		"playbook.phase": strs(playbook.Phases),
		"playbook.value": {desk.PlaybookOpen, desk.PlaybookDone},
	}
}

// TestTemplates_EnumKeysExist checks every value of every domain
// enumeration the templates translate, in both languages.
func TestTemplates_EnumKeysExist(t *testing.T) {
	s := testServer(t)
	u := collectUse(t, s)
	values := enumValues()
	// sla.<state> is built with printf in the template.
	for _, p := range []string{"sla.running", "sla.paused", "sla.met", "sla.breached"} {
		u.prefixes[p] = true
	}
	var prefixes []string
	for p := range u.prefixes {
		prefixes = append(prefixes, p)
	}
	sort.Strings(prefixes)
	for _, p := range prefixes {
		vs, ok := values[p]
		if !ok {
			t.Errorf("templates translate enum prefix %q, which this test does not know the values of", p)
			continue
		}
		for _, v := range vs {
			for code, l := range s.cat.langs {
				if !l.Has(p + "." + v) {
					t.Errorf("%s lacks %q", code, p+"."+v)
				}
			}
		}
	}
}

func queueNames() []string {
	var out []string
	for _, q := range desk.Queues {
		out = append(out, string(q))
	}
	return out
}

func problemStates() []string {
	var out []string
	for _, st := range problem.States {
		out = append(out, string(st))
	}
	return out
}

// evidenceActions are the custody actions the item page words.
func evidenceActions() []string {
	var out []string
	for _, a := range evidence.Actions {
		out = append(out, string(a))
	}
	return out
}

// TestFill_PlaceholdersOnly: a catalogue text takes n for {n} and the
// i-th argument for {i}, once, left to right; every other brace (a literal
// "{", "{}", "{x}", "{01}", an index past the arguments, an unclosed one)
// stays as written, and what an argument brings in is not read again.
// Every text of both catalogues is filled as a strings.Replacer of the
// same pairs fills it (what fill did before it was made one pass).
func TestFill_PlaceholdersOnly(t *testing.T) {
	for _, c := range []struct {
		text string
		args []any
		n    string
		want string
	}{
		{"no braces", []any{1}, "", "no braces"},
		{"{n} tickets", nil, "1,000", "1,000 tickets"},
		{"{n} tickets", nil, "", " tickets"},
		{"{0} took {1} from {0}", []any{"Ann", 3}, "", "Ann took 3 from Ann"},
		{"{1}{0}", []any{"a", "b"}, "", "ba"},
		{"{2} of {0}", []any{"a"}, "", "{2} of a"},
		{"{} {x} {01} {-1} {+0}", []any{"a"}, "", "{} {x} {01} {-1} {+0}"},
		{"if a<b {0", []any{"a"}, "", "if a<b {0"},
		{"{{0}}", []any{"a"}, "", "{a}"},
		{"{0} and {1}", []any{"{1}", "b"}, "", "{1} and b"},
		{"{10} {1}", []any{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "ten"}, "", "ten 1"},
	} {
		if got := fill(c.text, c.args, c.n); got != c.want {
			t.Errorf("fill(%q, %v, %q) = %q, want %q", c.text, c.args, c.n, got, c.want)
		}
	}
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	args := []any{"Anna {1}", 42, "<b>", 7}
	checked := 0
	for code, l := range cat.langs {
		for key, m := range l.msgs {
			texts := []string{m.text}
			for _, f := range m.forms {
				texts = append(texts, f)
			}
			for _, text := range texts {
				pairs := []string{"{n}", "1 000"}
				for i, a := range args {
					pairs = append(pairs, "{"+strconv.Itoa(i)+"}", fmt.Sprint(a))
				}
				want := strings.NewReplacer(pairs...).Replace(text)
				if got := fill(text, args, "1 000"); got != want {
					t.Errorf("%s %s: fill gives %q, a replacer %q", code, key, got, want)
				}
				checked++
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d catalogue texts checked", checked)
	}
}
