package mailin_test

import (
	"fmt"
	"net/smtp"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/mailin"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

var messageIDRE = regexp.MustCompile(`(?mi)^Message-ID:.*$`)

// BenchmarkServer_Deliver parses and stores typical messages (new tickets
// in UTF-8, KOI8-R and Windows-1251, with attachments stored, HTML-only, and
// replies threaded into them) through the SMTP listener on each database,
// over one SMTP connection as a forwarding mail server would use it. Run
// with -benchtime=1000x for the 1,000-message figure.
func BenchmarkServer_Deliver(b *testing.B) {
	for _, db := range testdb.Backends {
		b.Run(db.Name, func(b *testing.B) { benchDeliver(b, start(b, db.Open(b), mailin.Config{}, desk.DefaultConfig)) })
	}
}

func benchDeliver(b *testing.B, h *harness) {
	var templates [][]byte
	for _, name := range []string{"01-py-utf8-alternative.eml", "02-swaks-mixed-attachments.eml",
		"04-py-koi8r-subject-body.eml", "05-py-cp1251-body-rfc2231-name.eml", "08-py-outlook-reply-en.eml",
		"12-py-html-only.eml"} {
		raw := strings.ReplaceAll(strings.ReplaceAll(string(corpus(b, name)), "\r\n", "\n"), "\n", "\r\n")
		templates = append(templates, []byte(raw))
	}
	c, err := smtp.Dial(h.addr)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Quit()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		var raw []byte
		if i%4 == 3 { // a reply to the previous new ticket
			raw = []byte(strings.ReplaceAll(string(mail("bench@example.com", "Re: printer", fmt.Sprintf("bench-%d@example.com", i),
				fmt.Sprintf("bench-%d@example.com", i-1), "Thanks, works now.\n\n> old text\n> more")), "\n", "\r\n"))
		} else {
			id := fmt.Sprintf("Message-ID: <bench-%d@example.com>", i)
			raw = messageIDRE.ReplaceAll(templates[i%len(templates)], []byte(id))
		}
		deliver(b, c, raw)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	// CPU time of this process (client, listener, parser, desk and, for
	// SQLite, the database) per message: on a machine shared with other
	// work it says more than the wall clock.
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/msg")
	if n := h.count(b, "mail_messages"); n != i {
		b.Fatalf("%d messages recorded, want %d: some were not stored", n, i)
	}
	if n := h.count(b, "attachments"); n == 0 {
		b.Fatal("no attachment stored")
	}
}

func deliver(b *testing.B, c *smtp.Client, raw []byte) {
	if err := c.Mail("bench@example.com"); err != nil {
		b.Fatal(err)
	}
	if err := c.Rcpt("support@helpdesk.local"); err != nil {
		b.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Write(raw); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
}

// cpuTime is the user plus system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
