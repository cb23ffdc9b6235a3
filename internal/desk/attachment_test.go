package desk

import "testing"

func TestSanitizeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"report.pdf":                   "report.pdf",
		`C:\Users\ivan\Отчёт.xlsx`:     "Отчёт.xlsx",
		"../../etc/passwd":             "passwd",
		"..":                           "attachment.png",
		"  .hidden  ":                  "hidden",
		"a\x00b\x1fc\u202etxt.exe":     "a_b_c_txt.exe",
		`what?<is>:"this"|*.txt`:       "what__is___this___.txt",
		"tab\there":                    "tab here",
		"":                             "attachment.png",
		string([]byte{0xff, 'a', '.'}): "_a",
	} {
		if got := SanitizeFileName(in, "image/png"); got != want {
			t.Errorf("SanitizeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	long := ""
	for range 150 {
		long += "ж"
	}
	got := SanitizeFileName(long+".pdf", "")
	if len(got) > maxFileNameBytes || got[len(got)-4:] != ".pdf" {
		t.Errorf("long name: %d bytes %q", len(got), got)
	}
}

func TestSniffContentType(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	for _, c := range []struct{ declared, content, want string }{
		{"application/pdf", "%PDF", "application/pdf"},
		{"TEXT/Plain; charset=KOI8-R; format=flowed", "x", "text/plain; charset=koi8-r"},
		{"application/octet-stream", string(png), "image/png"},
		{"", string(png), "image/png"},
		{"garbage", "hello", "text/plain; charset=utf-8"},
		{"", "\x00\x01\x02", "application/octet-stream"},
	} {
		if got := SniffContentType(c.declared, []byte(c.content)); got != c.want {
			t.Errorf("SniffContentType(%q, %q) = %q, want %q", c.declared, c.content, got, c.want)
		}
	}
}
