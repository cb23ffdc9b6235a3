package main

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/tierdesk/tierdesk/internal/testbin"
)

// TestServe_IMAP starts `tierdesk serve --imap-mailbox` against a real IMAP
// server on localhost: mail put in the mailbox becomes an e-mail ticket
// that the API shows, and is flagged \Seen.
func TestServe_IMAP(t *testing.T) {
	const user, password = "support@helpdesk.local", "imap pass w0rd"
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{InsecureAuth: true,
		Caps: imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}},
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	c, err := imapclient.DialInsecure(ln.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		t.Fatal(err)
	}
	msg := "From: Olga <olga@example.ru>\r\nTo: support@helpdesk.local\r\nSubject: VPN drops every hour\r\n" +
		"Message-ID: <serve-imap-1@example.ru>\r\n\r\nThe VPN disconnects every hour.\r\n"
	app := c.Append("INBOX", int64(len(msg)), nil)
	app.Write([]byte(msg))
	app.Close()
	if _, err := app.Wait(); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	pwFile := filepath.Join(data, "imap-password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mailbox := "imap+plain://" + user + "@" + ln.Addr().String() + "/INBOX?poll=1s&password-file=" + pwFile
	e := startServer(t, []string{"--data", data, "--imap-mailbox", mailbox})
	e.dbArgs = []string{"--data", data}
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	var tk map[string]any
	for deadline := time.Now().Add(30 * time.Second); ; {
		var status int
		if status, tk = e.api(admin, "GET", "/tickets/INC-000001", nil); status == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ticket from the polled mailbox after 30s: %d %v", status, tk)
		}
		time.Sleep(100 * time.Millisecond)
	}
	want(t, tk, "title", "VPN drops every hour")
	want(t, tk, "channel", "email")
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	unseen, err := c.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(unseen.AllUIDs()); n != 0 {
		t.Errorf("%d messages still unseen after the ticket was stored", n)
	}
}

// TestServe_IMAPFlagsChecked: a bad mailbox URL is a usage error (exit 2)
// that never echoes a password.
func TestServe_IMAPFlagsChecked(t *testing.T) {
	bin := testbin.Build(t)
	for _, mailbox := range []string{
		"imaps://user:hunter2@imap.example.com/INBOX",
		"pop3://user@imap.example.com/INBOX?password-env=HOME",
		"imaps://imap.example.com/INBOX?password-env=HOME",
		"imaps://user@imap.example.com/INBOX",
		"imap+plain://user@imap.example.com/INBOX?password-env=HOME",
		"imaps://user@imap.example.com/INBOX?password-env=HOME&after=archive",
		"imaps://user@imap.example.com/INBOX?password-env=HOME&after=move:",
		"imaps://user@imap.example.com/INBOX?password-env=HOME&poll=often",
		"imaps://user@imap.example.com/INBOX?password-env=HOME&colour=red",
	} {
		cmd := exec.Command(bin, "serve", "--database", "postgres://127.0.0.1:1/x", "--imap-mailbox", mailbox)
		cmd.Env = testbin.CleanEnv()
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", mailbox, code, out)
		}
		if strings.Contains(string(out), "hunter2") {
			t.Errorf("%s: the password is echoed:\n%s", mailbox, out)
		}
	}
}
