package storetest

import (
	"bytes"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// testAttachments checks that files are stored with their event in its
// transaction, take the event's visibility, come back byte for byte, and
// vanish with a refused write.
func testAttachments(t *testing.T, open Opener) {
	f := newFixture(t, open)
	binary := []byte{0x89, 'P', 'N', 'G', 0, 0, 0xff, 0xfe, '\n', '\r', 0}
	file := func(name, ct string, content []byte) *desk.Attachment {
		return &desk.Attachment{FileName: name, ContentType: ct, SHA256: "digest-" + name, Content: content}
	}
	tk := f.ticket("with files", 0)
	actor := &desk.Ref{ID: f.req1.ID}
	created := []desk.Event{{At: tk.CreatedAt, Actor: actor, Kind: desk.EventCreated, Public: true,
		Attachments: []*desk.Attachment{file("Отчёт за март.pdf", "application/pdf", []byte("%PDF-1.4 тест")),
			{FileName: "image001.png", ContentType: "image/png", SHA256: "x", Inline: true, ContentID: "ii_1@mail", Content: binary}}}}
	_, err := f.s.CreateTicket(ctx(t), tk, created, nil)
	must(t, err)
	for _, a := range created[0].Attachments {
		if a.ID == 0 || a.TicketID != tk.ID || a.EventID != created[0].ID {
			t.Errorf("attachment %q ids %d/%d/%d, want set to ticket %d event %d", a.FileName, a.ID, a.TicketID, a.EventID, tk.ID, created[0].ID)
		}
	}
	cur, err := f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	note := []desk.Event{{At: tk.CreatedAt.Add(time.Minute), Actor: &desk.Ref{ID: f.agent.ID}, Kind: desk.EventWorkNote,
		Body: "internal dump", Attachments: []*desk.Attachment{file("dump.txt", "text/plain; charset=utf-8", []byte("secret"))}}}
	must(t, f.s.UpdateTicket(ctx(t), cur, note))

	all, err := f.s.ListAttachments(ctx(t), tk.ID, false)
	must(t, err)
	var names []string
	for _, a := range all {
		names = append(names, a.FileName)
		if a.Content != nil {
			t.Errorf("list returned the content of %q", a.FileName)
		}
	}
	diff(t, "all attachments", []string{"Отчёт за март.pdf", "image001.png", "dump.txt"}, names)
	pub, err := f.s.ListAttachments(ctx(t), tk.ID, true)
	must(t, err)
	diff(t, "public attachments", 2, len(pub))
	if slices.ContainsFunc(pub, func(a *desk.Attachment) bool { return a.FileName == "dump.txt" }) {
		t.Error("a work note's file is listed as public")
	}

	img, err := f.s.GetAttachment(ctx(t), all[1].ID)
	must(t, err)
	if !bytes.Equal(img.Content, binary) {
		t.Errorf("content %q, want %q", img.Content, binary)
	}
	want := desk.Attachment{ID: all[1].ID, TicketID: tk.ID, EventID: created[0].ID, FileName: "image001.png",
		ContentType: "image/png", Size: int64(len(binary)), SHA256: "x", Inline: true, ContentID: "ii_1@mail",
		Public: true, UploadedBy: &desk.Ref{ID: f.req1.ID, Name: f.req1.Name}, CreatedAt: tk.CreatedAt.Truncate(time.Microsecond),
		Content: binary}
	diff(t, "stored inline image", want, *img)
	dump, err := f.s.GetAttachment(ctx(t), all[2].ID)
	must(t, err)
	if dump.Public || dump.UploadedBy == nil || dump.UploadedBy.ID != f.agent.ID || string(dump.Content) != "secret" {
		t.Errorf("work note file: public %v by %+v content %q", dump.Public, dump.UploadedBy, dump.Content)
	}

	_, err = f.s.GetAttachment(ctx(t), all[2].ID+1000)
	wantCode(t, "unknown attachment", err, desk.ENOTFOUND)
	_, err = f.s.ListAttachments(ctx(t), tk.ID+1000, false)
	wantCode(t, "attachments of an unknown ticket", err, desk.ENOTFOUND)
	empty := f.create(t, f.ticket("no files", 1))
	none, err := f.s.ListAttachments(ctx(t), empty.ID, false)
	must(t, err)
	diff(t, "attachments of a ticket without files", 0, len(none))

	// A refused write (the Message-ID is recorded) stores none of its files.
	cur, err = f.s.GetTicket(ctx(t), tk.ID)
	must(t, err)
	rec := &desk.MailRecord{MessageID: "files@x", Direction: desk.MailIn, At: base}
	must(t, f.s.UpdateTicket(ctx(t), cur, []desk.Event{{Kind: desk.EventComment, Public: true, Body: "first", Mail: rec}}))
	dup := []desk.Event{{Kind: desk.EventComment, Public: true, Body: "again", Mail: rec,
		Attachments: []*desk.Attachment{file("again.txt", "text/plain", []byte("again"))}}}
	wantCode(t, "redelivered mail with a file", f.s.UpdateTicket(ctx(t), cur, dup), desk.ECONFLICT)
	after, err := f.s.ListAttachments(ctx(t), tk.ID, false)
	must(t, err)
	diff(t, "attachments after a refused write", 3, len(after))
}

// testMailRate checks the shared per-sender window counter: increments and
// decrements, the previous window's count, forgetting older windows, and
// concurrent increments that each see their own count.
func testMailRate(t *testing.T, open Opener) {
	s := open(t)
	w0 := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	w1, w2 := w0.Add(time.Hour), w0.Add(2*time.Hour)
	add := func(sender string, w time.Time, delta int) (int, int) {
		t.Helper()
		cur, prev, err := s.AddMailCount(ctx(t), sender, w, w.Add(-time.Hour), delta)
		must(t, err)
		return cur, prev
	}
	for i := 1; i <= 3; i++ {
		if cur, prev := add("a@example.com", w0, 1); cur != i || prev != 0 {
			t.Errorf("increment %d in w0: cur %d prev %d", i, cur, prev)
		}
	}
	if cur, _ := add("a@example.com", w0, -1); cur != 2 {
		t.Errorf("after a decrement: %d, want 2", cur)
	}
	if cur, prev := add("b@example.com", w0, 1); cur != 1 || prev != 0 {
		t.Errorf("another sender: cur %d prev %d, want 1 0", cur, prev)
	}
	if cur, prev := add("a@example.com", w1, 1); cur != 1 || prev != 2 {
		t.Errorf("next window: cur %d prev %d, want 1 2", cur, prev)
	}
	// Two windows on, w0 is forgotten: its counts are gone for good.
	add("c@example.com", w2, 1)
	if cur, prev := add("a@example.com", w1, 1); cur != 2 || prev != 0 {
		t.Errorf("after w0 was forgotten: cur %d prev %d, want 2 0", cur, prev)
	}

	const n = 8
	got := make([]int, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			cur, _, err := s.AddMailCount(ctx(t), "race@example.com", w2, w1, 1)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, cur)
			mu.Unlock()
		})
	}
	wg.Wait()
	slices.Sort(got)
	diff(t, "counts seen by concurrent increments", []int{1, 2, 3, 4, 5, 6, 7, 8}, got)
}
