package notify_test

import (
	"context"
	"mime"
	"net/smtp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jhillyerd/enmime/v2"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// to returns the messages the test server got for addr, in order.
func (s *server) to(addr string) []*enmime.Envelope {
	var out []*enmime.Envelope
	for _, m := range s.messages() {
		if slices.Contains(m.To, addr) {
			out = append(out, m.Env)
		}
	}
	return out
}

// TestLifecycle_RequesterMail follows one incident from registration to
// closure: the requester (Russian, Moscow time) gets exactly one mail per
// step, in Russian, threaded; their own e-mailed reply is not echoed back
// to them but reaches the assignee in English; a scheduled and canceled
// call carry iCalendar REQUEST and CANCEL with the right UTC times.
func TestLifecycle_RequesterMail(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		ctx := context.Background()
		in, err := mailin.Listen(mailin.Config{Addr: "127.0.0.1:0", Domain: "desk.example.com"}, f.d)
		must(t, err)
		in.Start()
		t.Cleanup(func() { in.Shutdown(ctx) })
		ru, msk := "ru", "Europe/Moscow"
		sam := desk.WithActor(ctx, f.sam)
		_, err = f.d.SetUserPreferences(sam, f.sam.ID, desk.PreferencesPatch{Language: &ru, TimeZone: &msk,
			Notifications: map[desk.OutboxKind]bool{desk.OutboxRegistered: true}})
		must(t, err)
		w := f.worker(nil)
		step := func(what string) {
			t.Helper()
			if res := f.run(w); res.Failed != 0 || res.Retried != 0 {
				t.Fatalf("%s: delivery %+v", what, res)
			}
		}

		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeIncident, Title: `VPN <не работает> & "всё"`,
			Channel: desk.ChannelPhone, Requester: desk.PersonInput{Email: "sam@example.com"},
			Impact: desk.LevelHigh, Urgency: desk.LevelHigh}, "")
		must(t, err)
		step("registered")
		_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Смотрю журналы шлюза."})
		must(t, err)
		_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Внутренняя заметка", Internal: true})
		must(t, err)
		for _, to := range []desk.State{desk.StateAssigned, desk.StateInProgress} {
			_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: to})
			must(t, err)
		}
		_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: "Перезагрузите, пожалуйста, клиент.\nПотом напишите мне."})
		must(t, err)
		_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateOnHold,
			HoldReason: desk.HoldAwaitingRequester, Reason: "Нужен снимок экрана"})
		must(t, err)
		step("first response, comment, hold")

		// Sam answers the hold by e-mail, threaded to the hold notice.
		mails := f.smtp.to("sam@example.com")
		if len(mails) != 4 {
			t.Fatalf("sam got %d mails before replying, want 4", len(mails))
		}
		hold := mails[3].GetHeader("Message-Id")
		reply := "From: Sam <sam@example.com>\r\nTo: desk@example.com\r\nSubject: Re: " + mails[3].GetHeader("Subject") +
			"\r\nMessage-ID: <sam-reply-1@example.com>\r\nIn-Reply-To: " + hold + "\r\nReferences: " + hold +
			"\r\nDate: " + time.Now().Format(time.RFC1123Z) + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"Снимок во вложении, клиент перезапущен.\r\n"
		must(t, smtp.SendMail(in.Addr().String(), nil, "sam@example.com", []string{"desk@example.com"}, []byte(reply)))
		start := f.clock.Now().Add(26 * time.Hour).Truncate(time.Minute)
		call, _, err := f.d.ScheduleCall(f.l1, tk.Number, desk.CallSpec{Start: start, Duration: 45 * time.Minute,
			Kind: desk.CallVideo, MeetingURL: "https://meet.example.com/vpn?room=1&x=2", Note: "Покажите настройки"})
		must(t, err)
		_, _, err = f.d.CancelCall(f.l1, tk.Number, call.ID)
		must(t, err)
		_, err = f.d.Transition(f.l1, tk.Number, desk.TransitionInput{To: desk.StateResolved,
			ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: "Обновили сертификат шлюза."})
		must(t, err)
		step("reply, call, resolution")
		f.clock.Advance(8 * 24 * time.Hour)
		res, err := f.runner.RunDue(ctx, f.clock.Now())
		must(t, err)
		if res.Failed != 0 {
			t.Fatalf("auto-close sweep: %+v", res)
		}
		step("closed")

		mails = f.smtp.to("sam@example.com")
		tag := "[" + tk.Number + "] "
		title := `VPN <не работает> & "всё"`
		want := []struct{ subject, text string }{
			{"Заявка зарегистрирована: " + title, "Первый ответ — до пн, 2 марта 2026, 12:15 MSK\nРешение ожидается до пн, 2 марта 2026, 16:00 MSK"},
			{"Заявка в работе: " + title, "Смотрю журналы шлюза."},
			{"Новый ответ: " + title, "Перезагрузите, пожалуйста, клиент.\nПотом напишите мне."},
			{"Нужен ваш ответ: " + title, "Нужен снимок экрана"},
			{"Назначен звонок: " + title, "Когда: вт, 3 марта 2026, 14:00 MSK – вт, 3 марта 2026, 14:45 MSK (45 мин)"},
			{"Звонок отменён: " + title, "отменён видеозвонок, назначенный на вт, 3 марта 2026, 14:00 MSK"},
			{"Решена: " + title, "Решение: Обновили сертификат шлюза."},
			{"Закрыта: " + title, "закрыта. Спасибо за терпение."},
		}
		if len(mails) != len(want) {
			for _, m := range mails {
				t.Logf("sam got: %s", m.GetHeader("Subject"))
			}
			t.Fatalf("sam got %d mails, want %d", len(mails), len(want))
		}
		first := mails[0].GetHeader("Message-Id")
		for i, m := range mails {
			if got := m.GetHeader("Subject"); got != tag+want[i].subject {
				t.Errorf("mail %d subject = %q, want %q", i, got, tag+want[i].subject)
			}
			if !strings.Contains(strings.ReplaceAll(m.Text, "\r\n", "\n"), want[i].text) {
				t.Errorf("mail %d (%s) text lacks %q:\n%s", i, want[i].subject, want[i].text, m.Text)
			}
			if strings.Contains(m.Text, "Внутренняя заметка") || strings.Contains(m.Text, "Снимок во вложении") {
				t.Errorf("mail %d leaks an internal note or echoes Sam's own reply:\n%s", i, m.Text)
			}
			if !strings.Contains(m.HTML, "VPN &lt;не работает&gt; &amp; &#34;всё&#34;") || strings.Contains(m.HTML, "<не работает>") {
				t.Errorf("mail %d HTML not escaped: %s", i, m.HTML)
			}
			if m.GetHeader("Auto-Submitted") != "auto-generated" || m.GetHeader("X-Tierdesk-Notification") == "" {
				t.Errorf("mail %d Auto-Submitted = %q", i, m.GetHeader("Auto-Submitted"))
			}
			if i > 0 && m.GetHeader("In-Reply-To") != first {
				t.Errorf("mail %d In-Reply-To = %q, want the first %q", i, m.GetHeader("In-Reply-To"), first)
			}
		}
		// Lena hears of Sam's reply, in English; nobody else hears of anything.
		lena := f.smtp.to("lena@example.com")
		if len(lena) != 1 || lena[0].GetHeader("Subject") != tag+"Requester replied: "+title ||
			!strings.Contains(lena[0].Text, "Снимок во вложении, клиент перезапущен.") {
			t.Errorf("lena got %d mails: %+v", len(lena), lena)
		}
		if n := len(f.smtp.messages()); n != len(want)+1 {
			t.Errorf("%d mails in all, want %d", n, len(want)+1)
		}

		// The invitation and its cancellation.
		for i, method := range map[int]string{4: "REQUEST", 5: "CANCEL"} {
			ev := calendarEvent(t, mails[i], method)
			uid := ev.GetProperty(ics.ComponentPropertyUniqueId).Value
			if uid != "call-"+itoa(call.ID)+"@desk.example.com" {
				t.Errorf("%s UID = %q", method, uid)
			}
			s, err := ev.GetStartAt()
			must(t, err)
			e, err := ev.GetEndAt()
			must(t, err)
			if !s.Equal(start) || !e.Equal(start.Add(45*time.Minute)) || s.Location() != time.UTC {
				t.Errorf("%s times %s – %s, want %s + 45m in UTC", method, s, e, start)
			}
			if !strings.Contains(ev.GetProperty(ics.ComponentPropertyAttendee).Value, "sam@example.com") ||
				ev.GetProperty(ics.ComponentPropertyLocation).Value != "https://meet.example.com/vpn?room=1&x=2" {
				t.Errorf("%s attendee/location: %s", method, ev.Serialize(nil))
			}
			seq := ev.GetProperty(ics.ComponentPropertySequence).Value
			if (method == "REQUEST") != (seq == "0") {
				t.Errorf("%s SEQUENCE = %s", method, seq)
			}
		}
	})
}

// calendarEvent returns the one event of the text/calendar attachment of
// m, checking its method (in the MIME type and the object).
func calendarEvent(t *testing.T, m *enmime.Envelope, method string) *ics.VEvent {
	t.Helper()
	for _, a := range m.Attachments {
		if a.ContentType != "text/calendar" {
			continue
		}
		_, params, err := mime.ParseMediaType(a.Header.Get("Content-Type"))
		must(t, err)
		if params["method"] != method || params["charset"] != "UTF-8" {
			t.Errorf("calendar part Content-Type %q, want method=%s", a.Header.Get("Content-Type"), method)
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(a.Content)))
		must(t, err)
		if got := cal.CalendarProperties; !slices.ContainsFunc(got, func(p ics.CalendarProperty) bool {
			return p.IANAToken == "METHOD" && p.Value == method
		}) {
			t.Errorf("calendar properties %+v lack METHOD:%s", got, method)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%d events in the invitation", len(events))
		}
		return events[0]
	}
	t.Fatalf("no text/calendar attachment in %q", m.GetHeader("Subject"))
	return nil
}

// TestPreferences_SuppressKind: a requester who turned comments off gets
// the first response but not the comments after it; their language
// default (the desk's) is English.
func TestPreferences_SuppressKind(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		pat := f.user("pat@example.com", desk.RoleRequester)
		_, err := f.d.SetUserPreferences(desk.WithActor(context.Background(), pat), pat.ID, desk.PreferencesPatch{
			Notifications: map[desk.OutboxKind]bool{desk.OutboxComment: false}})
		must(t, err)
		tk, _, err := f.d.CreateTicket(f.l1, desk.NewTicket{Type: desk.TypeRequest, Title: "New monitor",
			Channel: desk.ChannelPortal, Requester: desk.PersonInput{Email: "pat@example.com"}}, "")
		must(t, err)
		for _, body := range []string{"Ordered it.", "It ships Friday.", "Delivered to your desk."} {
			_, _, err = f.d.Comment(f.l1, tk.Number, desk.CommentInput{Body: body})
			must(t, err)
		}
		f.run(f.worker(nil))
		var subjects []string
		for _, m := range f.smtp.to("pat@example.com") {
			subjects = append(subjects, m.GetHeader("Subject"))
		}
		wantSubjects := []string{"[" + tk.Number + "] Registered: New monitor", "[" + tk.Number + "] We are working on it: New monitor"}
		if !slices.Equal(subjects, wantSubjects) {
			t.Errorf("pat got %q, want %q", subjects, wantSubjects)
		}
	})
}

// TestRetry_FailedMailGoesOutOnce: a message refused for good (550) is
// failed; an admin's retry queues it again and it is delivered exactly
// once, with its Message-ID; a second retry is refused.
func TestRetry_FailedMailGoesOutOnce(t *testing.T) {
	testdb.EachOpener(t, func(t *testing.T, open testdb.Opener) {
		f := newFixture(t, open)
		f.breach("Mail store full")
		w := f.worker(nil)
		f.smtp.failNext(550)
		res := f.run(w)
		if res.Failed != 1 || res.Sent != 1 {
			t.Fatalf("first run %+v, want one failed, one sent", res)
		}
		failed := f.list(desk.OutboxFailed)
		if len(failed) != 1 {
			t.Fatalf("failed: %+v", failed)
		}
		id := failed[0].ID
		_, err := f.d.RetryOutbox(f.l1, id)
		if desk.ErrorCode(err) != desk.EFORBIDDEN {
			t.Errorf("agent retry: %v, want forbidden", err)
		}
		d, err := f.d.RetryOutbox(f.admin, id)
		must(t, err)
		if d.State() != desk.OutboxQueued {
			t.Errorf("retried message is %s", d.State())
		}
		if _, err := f.d.RetryOutbox(f.admin, id); desk.ErrorCode(err) != desk.ECONFLICT {
			t.Errorf("second retry: %v, want conflict", err)
		}
		before := len(f.smtp.messages())
		if res := f.run(w); res.Sent != 1 || res.Claimed != 1 {
			t.Errorf("after retry %+v, want one sent", res)
		}
		f.clock.Advance(time.Hour)
		if res := f.run(f.worker(f.second())); res.Claimed != 0 {
			t.Errorf("another worker later: %+v, want nothing", res)
		}
		got := f.smtp.messages()[before:]
		if len(got) != 1 || strings.Trim(got[0].Env.GetHeader("Message-Id"), "<>") != w.MessageID(d) {
			t.Errorf("delivered after retry: %d messages", len(got))
		}
		if sent := f.list(desk.OutboxSent); !slices.ContainsFunc(sent, func(s desk.Delivery) bool { return s.ID == id }) {
			t.Errorf("retried message %d not marked sent", id)
		}
	})
}

func itoa(n int64) string { return strconvFormat(n) }

func strconvFormat(n int64) string { return strconv.FormatInt(n, 10) }
