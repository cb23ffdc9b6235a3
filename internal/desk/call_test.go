package desk_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func TestScheduleCall(t *testing.T) {
	f := newFixture(t)
	r := &outboxReader{f: f}
	tk := f.incident("Outlook crashes")
	r.next()
	start := f.clock.Now().Add(26 * time.Hour)
	spec := desk.CallSpec{Start: start, Duration: 30 * time.Minute, Kind: desk.CallVideo,
		MeetingURL: "https://meet.example.com/inc-1", Note: "share your screen"}

	_, _, err := f.d.ScheduleCall(f.sam, tk.Number, spec)
	wantCode(t, err, desk.EFORBIDDEN)
	for _, bad := range []struct {
		field string
		spec  desk.CallSpec
	}{
		{"meeting_url", desk.CallSpec{Start: start, Duration: time.Hour, Kind: desk.CallVideo, MeetingURL: "javascript:alert(1)"}},
		{"meeting_url", desk.CallSpec{Start: start, Duration: time.Hour, Kind: desk.CallVideo}},
		{"phone", desk.CallSpec{Start: start, Duration: time.Hour, Kind: desk.CallPhone}},
		{"start", desk.CallSpec{Start: f.clock.Now().Add(-time.Minute), Duration: time.Hour, Kind: desk.CallPhone, Phone: "+1 555"}},
		{"duration_minutes", desk.CallSpec{Start: start, Duration: 9 * time.Hour, Kind: desk.CallPhone, Phone: "+1 555"}},
		{"kind", desk.CallSpec{Start: start, Duration: time.Hour, Kind: "fax"}},
	} {
		_, _, err := f.d.ScheduleCall(f.l1, tk.Number, bad.spec)
		e := wantCode(t, err, desk.EINVALID)
		if len(e.Fields) == 0 || !strings.Contains(e.Error()+e.Fields[0].Field, bad.field) {
			t.Errorf("%+v: fields %+v, want %s", bad.spec, e.Fields, bad.field)
		}
	}
	wantMail(t, "refused calls", r)

	c, got, err := f.d.ScheduleCall(f.l1, tk.Number, spec)
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == 0 || !c.Start.Equal(start) || c.CreatedBy.ID != f.agentL1.ID || got.Version != tk.Version+1 {
		t.Errorf("call %+v, ticket version %d", c, got.Version)
	}
	wantMail(t, "scheduled", r, "call_scheduled → sam@example.com")
	calls, err := f.d.Calls(f.sam, tk.Number)
	if err != nil || len(calls) != 1 || calls[0].MeetingURL != spec.MeetingURL {
		t.Fatalf("sam's view of the calls: %+v %v", calls, err)
	}
	page, err := f.d.Events(f.sam, tk.Number, desk.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	last := page.Events[len(page.Events)-1]
	if last.Kind != desk.EventCallScheduled || !last.Public || last.Body != spec.Note {
		t.Errorf("timeline: %+v", last)
	}

	_, _, err = f.d.CancelCall(f.sam, tk.Number, c.ID)
	wantCode(t, err, desk.EFORBIDDEN)
	other := f.incident("Another")
	_, _, err = f.d.CancelCall(f.l1, other.Number, c.ID)
	wantCode(t, err, desk.ENOTFOUND)
	r.next()
	canceled, _, err := f.d.CancelCall(f.l1, tk.Number, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if canceled.CanceledAt == nil || canceled.Sequence != 1 {
		t.Errorf("canceled: %+v", canceled)
	}
	wantMail(t, "canceled", r, "call_canceled → sam@example.com")
	_, _, err = f.d.CancelCall(f.l1, tk.Number, c.ID)
	wantCode(t, err, desk.ECONFLICT)
	_, err = f.d.Calls(f.kim, tk.Number)
	wantCode(t, err, desk.ENOTFOUND)
}
