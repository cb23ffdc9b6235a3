package breach

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func fields(fe []FieldError) []string {
	var out []string
	for _, f := range fe {
		out = append(out, f.Field+":"+f.Rule)
	}
	slices.Sort(out)
	return out
}

func full(k NoticeKind) *Notice {
	return &Notice{Kind: k, Lang: "en", State: NoticeDraft, Content: Content{Nature: "n", SubjectCategories: "customers",
		SubjectsApprox: 1200, RecordCategories: "e-mail", RecordsApprox: 3000, ContactName: "DPO", ContactDetails: "dpo@example.com",
		Consequences: "spam", Measures: "reset", Causes: "phishing", Results: "r", Culprits: ""}}
}

// TestCheckComplete: each kind needs the law's list before it is sent.
func TestCheckComplete(t *testing.T) {
	for _, tc := range []struct {
		kind NoticeKind
		want []string
	}{
		{NoticeGDPRAuthority, []string{"consequences:required", "contact_details:required", "contact_name:required", "measures:required",
			"nature:required", "record_categories:required", "records_approx:required", "subject_categories:required", "subjects_approx:required"}},
		{Notice152First, []string{"causes:required", "consequences:required", "contact_details:required", "contact_name:required",
			"measures:required", "nature:required"}},
		{Notice152Results, []string{"results:required", "supplements:required"}},
		{NoticeGDPRSubjects, []string{"consequences:required", "contact_details:required", "contact_name:required", "measures:required", "nature:required"}},
		{NoticePartners, []string{"consequences:required", "contact_details:required", "contact_name:required", "measures:required", "nature:required"}},
	} {
		empty := &Notice{Kind: tc.kind, Lang: "en"}
		if got := fields(CheckComplete(empty)); !slices.Equal(got, tc.want) {
			t.Errorf("%s empty: %v, want %v", tc.kind, got, tc.want)
		}
		n := full(tc.kind)
		if tc.kind == Notice152Results {
			n.Supplements = 1
		}
		if got := CheckComplete(n); len(got) != 0 {
			t.Errorf("%s full: %v", tc.kind, got)
		}
	}
	// A GDPR supplement gives at least one piece, not all.
	sup := &Notice{Kind: NoticeGDPRAuthority, Lang: "en", Supplements: 4}
	if got := fields(CheckComplete(sup)); !slices.Equal(got, []string{"nature:required"}) {
		t.Errorf("empty supplement: %v", got)
	}
	sup.RecordsApprox = 5000
	if got := CheckComplete(sup); len(got) != 0 {
		t.Errorf("supplement with the number of records: %v", got)
	}
}

// TestCheckDraft: kinds, languages, limits and where phases are allowed.
func TestCheckDraft(t *testing.T) {
	n := full(NoticeGDPRAuthority)
	if got := CheckDraft(n); len(got) != 0 {
		t.Fatalf("good draft: %v", got)
	}
	bad := &Notice{Kind: "gdpr", Lang: "de", Content: Content{SubjectsApprox: -1, Nature: strings.Repeat("я", MaxNoticeText+1)}}
	want := []string{"kind:one_of", "lang:one_of", "nature:too_long", "subjects_approx:out_of_range"}
	if got := fields(CheckDraft(bad)); !slices.Equal(got, want) {
		t.Errorf("bad draft: %v, want %v", got, want)
	}
	at := &Notice{Kind: NoticeGDPRAuthority, Lang: "en", Content: Content{Nature: strings.Repeat("я", MaxNoticeText)}}
	if got := CheckDraft(at); len(got) != 0 {
		t.Errorf("at the limit: %v", got)
	}
	for _, k := range []NoticeKind{NoticeGDPRSubjects, Notice152First, NoticePartners} {
		if got := fields(CheckDraft(&Notice{Kind: k, Lang: "ru", Supplements: 3})); !slices.Equal(got, []string{"supplements:not_allowed"}) {
			t.Errorf("%s as a supplement: %v", k, got)
		}
	}
	for _, k := range []NoticeKind{NoticeGDPRAuthority, Notice152Results} {
		if got := CheckDraft(&Notice{Kind: k, Lang: "ru", Supplements: 3}); len(got) != 0 {
			t.Errorf("%s as a supplement: %v", k, got)
		}
	}
}

// TestCheckSending: never before awareness, never in the future, late
// ones give reasons, decisions not to notify only for data subjects.
func TestCheckSending(t *testing.T) {
	aware := time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC)
	due := aware.Add(24 * time.Hour)
	now := aware.Add(30 * time.Hour)
	n := full(Notice152First)
	for _, tc := range []struct {
		name string
		s    Sending
		want []string
	}{
		{"in time", Sending{At: aware.Add(time.Hour), Via: "portal"}, nil},
		{"at awareness", Sending{At: aware, Via: "portal"}, nil},
		{"on the deadline", Sending{At: due, Via: "email"}, nil},
		{"a second late", Sending{At: due.Add(time.Second), Via: "email"}, []string{"delay_reasons:required"}},
		{"late with reasons", Sending{At: due.Add(time.Hour), Via: "email", DelayReasons: "the portal was down"}, nil},
		{"before awareness", Sending{At: aware.Add(-time.Second), Via: "portal"}, []string{"sent_at:not_after"}},
		{"in the future", Sending{At: now.Add(time.Second), Via: "portal"}, []string{"sent_at:in_future"}},
		{"no time", Sending{Via: "portal"}, []string{"sent_at:required"}},
		{"no way", Sending{At: aware}, []string{"via:required"}},
		{"unknown way", Sending{At: aware, Via: "pigeon"}, []string{"via:one_of"}},
		{"not notifying Roskomnadzor", Sending{At: aware, NotNotifyGround: "protected", NotNotifyReason: "x"}, []string{"not_notify_ground:not_allowed"}},
	} {
		if got := fields(CheckSending(n, tc.s, &aware, &due, now)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := fields(CheckSending(n, Sending{At: aware, Via: "portal"}, nil, &due, now)); !slices.Equal(got, []string{"sent_at:not_allowed"}) {
		t.Errorf("no awareness: %v", got)
	}
	// No deadline (supplements, data subjects): never late.
	if got := CheckSending(n, Sending{At: now, Via: "post"}, &aware, nil, now); len(got) != 0 {
		t.Errorf("no deadline: %v", got)
	}
	subj := full(NoticeGDPRSubjects)
	if got := CheckSending(subj, Sending{At: aware, NotNotifyGround: "protected", NotNotifyReason: "encrypted disks"}, &aware, nil, now); len(got) != 0 {
		t.Errorf("decision not to notify: %v", got)
	}
	want := []string{"not_notify_ground:one_of", "not_notify_reason:required"}
	if got := fields(CheckSending(subj, Sending{At: aware, NotNotifyGround: "lazy"}, &aware, nil, now)); !slices.Equal(got, want) {
		t.Errorf("bad decision: %v, want %v", got, want)
	}
}

// TestCheckSupplement and FirstSent: follow-ups link to a sent first
// notice of the kind they follow; only first notices stop clocks, the
// earliest sending counts.
func TestCheckSupplement(t *testing.T) {
	at := time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC)
	first := &Notice{ID: 1, Kind: Notice152First, State: NoticeSent, SentAt: &at}
	if got := CheckSupplement(Notice152Results, first); len(got) != 0 {
		t.Errorf("results after the first notice: %v", got)
	}
	if got := fields(CheckSupplement(NoticeGDPRAuthority, first)); !slices.Equal(got, []string{"supplements:not_allowed"}) {
		t.Errorf("GDPR phase after a 152-FZ notice: %v", got)
	}
	draft := &Notice{ID: 2, Kind: Notice152First, State: NoticeDraft}
	if got := fields(CheckSupplement(Notice152Results, draft)); !slices.Equal(got, []string{"supplements:not_allowed"}) {
		t.Errorf("after a draft: %v", got)
	}
	phase := &Notice{ID: 3, Kind: NoticeGDPRAuthority, State: NoticeSent, Supplements: 9, SentAt: &at}
	if got := fields(CheckSupplement(NoticeGDPRAuthority, phase)); !slices.Equal(got, []string{"supplements:not_allowed"}) {
		t.Errorf("after a supplement: %v", got)
	}
	later, earlier := at.Add(time.Hour), at.Add(-time.Hour)
	sent := FirstSent([]*Notice{
		first,
		{Kind: Notice152First, State: NoticeSent, SentAt: &later},
		{Kind: NoticeGDPRAuthority, State: NoticeSent, Supplements: 7, SentAt: &earlier},
		{Kind: NoticeGDPRAuthority, State: NoticeDraft},
		{Kind: Notice152Results, State: NoticeSent, Supplements: 1, SentAt: &later},
		{Kind: NoticeGDPRSubjects, State: NoticeSent, SentAt: &earlier},
	})
	want := map[Kind]time.Time{FZ152First: at, FZ152Follow: later}
	if len(sent) != len(want) || !sent[FZ152First].Equal(at) || !sent[FZ152Follow].Equal(later) {
		t.Errorf("first sent %v, want %v", sent, want)
	}
}

// TestNoticeKinds: recipients, regimes and the clocks they stop.
func TestNoticeKinds(t *testing.T) {
	for _, tc := range []struct {
		k     NoticeKind
		rcpt  Recipient
		reg   []Regime
		clock Kind
	}{
		{NoticeGDPRAuthority, RecipientAuthority, []Regime{GDPR, Both}, GDPRAuthority},
		{NoticeGDPRSubjects, RecipientSubjects, []Regime{GDPR, Both}, ""},
		{Notice152First, RecipientRoskomnadzor, []Regime{FZ152, Both}, FZ152First},
		{Notice152Results, RecipientRoskomnadzor, []Regime{FZ152, Both}, FZ152Follow},
		{NoticePartners, RecipientPartners, []Regime{GDPR, FZ152, Both, None}, ""},
	} {
		if tc.k.Recipient() != tc.rcpt {
			t.Errorf("%s to %s", tc.k, tc.k.Recipient())
		}
		for _, r := range Regimes {
			if tc.k.Applies(r) != slices.Contains(tc.reg, r) {
				t.Errorf("%s under %s: %v", tc.k, r, tc.k.Applies(r))
			}
		}
		if c, _ := tc.k.Clock(); c != tc.clock {
			t.Errorf("%s stops %q", tc.k, c)
		}
	}
}

// TestRender: the document in its language names every item the law
// lists, its times in the zone asked, and escapes in HTML.
func TestRender(t *testing.T) {
	for _, lang := range Languages {
		for k := range DocWords("en") {
			if DocWords(lang)[k] == "" {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
	aware := time.Date(2026, 10, 23, 10, 0, 0, 0, time.UTC)
	sent := aware.Add(20 * time.Hour)
	n := full(Notice152First)
	n.Lang, n.Version, n.State, n.SentAt, n.Via, n.Reference = "ru", 1, NoticeSent, &sent, "portal", "№ 42"
	n.Nature = "<script>x</script>"
	moscow, _ := time.LoadLocation("Europe/Moscow")
	d := Render(n, CaseFacts{Number: "INC-000007", AwareAt: &aware, Zone: moscow}, nil)
	text := d.Text()
	for _, want := range []string{"Уведомление Роскомнадзора", "Дело INC-000007, версия 1", "2026-10-23 13:00 UTC+03:00",
		"Предполагаемые причины", "phishing", "Предполагаемый вред", "Принятые меры по устранению последствий",
		"Лицо, уполномоченное оператором", "DPO\ndpo@example.com", "Направлено 2026-10-24 09:00 UTC+03:00 (портал уполномоченного органа)", "№ 42"} {
		if !strings.Contains(text, want) {
			t.Errorf("ru text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "MSK") {
		t.Errorf("ru text names a zone by its abbreviation:\n%s", text)
	}
	html := string(d.HTML())
	if strings.Contains(html, "<script>x") || !strings.Contains(html, "&lt;script&gt;") || !strings.Contains(html, `lang="ru"`) {
		t.Errorf("HTML not escaped:\n%s", html)
	}
	r := full(Notice152Results)
	r.Lang, r.Supplements, r.Version = "en", 1, 2
	first := &Notice{ID: 1, SentAt: &sent}
	text = Render(r, CaseFacts{Number: "INC-000007"}, first).Text()
	for _, want := range []string{"results of the internal investigation", "Persons whose actions caused the incident:\nNot known.",
		"follows notice no. 1", "version 2", "DRAFT"} {
		if !strings.Contains(text, want) {
			t.Errorf("en results lack %q:\n%s", want, text)
		}
	}
	g := full(NoticeGDPRAuthority)
	text = Render(g, CaseFacts{Number: "INC-1"}, nil).Text()
	for _, want := range []string{"GDPR Art. 33", "customers; about 1200", "e-mail; about 3000", "Likely consequences", "mitigate"} {
		if !strings.Contains(text, want) {
			t.Errorf("GDPR lacks %q:\n%s", want, text)
		}
	}
	none := full(NoticeGDPRSubjects)
	none.State, none.NotNotifyGround, none.NotNotifyReason, none.SentAt = NoticeDecided, "protected", "disks encrypted", &sent
	text = Render(none, CaseFacts{Number: "INC-1"}, nil).Text()
	for _, want := range []string{"Decision not to communicate", "(a) the personal data were unintelligible", "disks encrypted"} {
		if !strings.Contains(text, want) {
			t.Errorf("decision lacks %q:\n%s", want, text)
		}
	}
}

// TestStamp: a document states times with their offset from UTC, which
// follows summer time (Berlin +02:00 before 25 October 2026, +01:00
// after), never a zone abbreviation.
func TestStamp(t *testing.T) {
	berlin, moscow := zone(t, "Europe/Berlin"), zone(t, "Europe/Moscow")
	at := time.Date(2026, 10, 24, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		t    time.Time
		loc  *time.Location
		want string
	}{
		{at, berlin, "2026-10-25 00:00 UTC+02:00"},
		{at.Add(4 * time.Hour), berlin, "2026-10-25 03:00 UTC+01:00"},
		{at, moscow, "2026-10-25 01:00 UTC+03:00"},
		{at, time.UTC, "2026-10-24 22:00 UTC"},
	} {
		if got := Stamp(c.t, c.loc); got != c.want {
			t.Errorf("Stamp(%v, %s) = %q, want %q", c.t, c.loc, got, c.want)
		}
	}
}
