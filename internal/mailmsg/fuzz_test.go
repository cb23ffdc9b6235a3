package mailmsg

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse: no panic on any input (panic recovery is off while fuzzing, so
// a panic in the MIME library is found too), and whatever Parse accepts has
// valid UTF-8 in every field. Seeded with the corpus and the real messages.
// go test ./internal/mailmsg -run '^$' -fuzz FuzzParse -fuzztime 2m
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "corpus", "*.eml"))
	if dir := filepath.Join(sharedDataDir(), "eml"); dir != "" {
		real, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		files = append(files, real...)
	}
	for _, p := range files {
		raw, err := os.ReadFile(p)
		if err != nil || len(raw) > 64<<10 { // the 1 MiB case would only slow the mutator
			continue
		}
		f.Add(raw)
	}
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n"))
	f.Add([]byte("From: a@b\r\nContent-Type: ;;;\r\n\r\nbody\r\n"))
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/mixed; boundary=\"x\"; boundary=y\r\n\r\n--x\r\n\r\nbody"))
	f.Add([]byte("Subject: =?koi8-r?q?=FF=FE?=\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\n\xff\xfe"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		recoverPanics = false
		defer func() { recoverPanics = true }()
		m, err := Parse(raw)
		if err != nil {
			return
		}
		checkUTF8(t, m)
		for _, a := range m.Attachments {
			if a.Size != len(a.Content) {
				t.Fatalf("attachment %q size %d, content %d", a.FileName, a.Size, len(a.Content))
			}
		}
		_ = m.ID()
		_ = m.ThreadIDs()
	})
}
