package main

import (
	"net"
	"net/smtp"
	"strings"
	"testing"
)

// TestServe_SMTP starts `tierdesk serve --smtp-addr` and delivers a message
// over SMTP: it becomes an e-mail ticket that the API shows.
func TestServe_SMTP(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr := l.Addr().String()
	l.Close()
	data := t.TempDir()
	e := startServer(t, []string{"--data", data, "--smtp-addr", smtpAddr, "--smtp-max-bytes", "100000"})
	e.dbArgs = []string{"--data", data} // for the CLI, which has no SMTP flags
	admin := e.addUser("--email", "admin@example.com", "--name", "Ada Admin", "--role", "admin")
	msg := "From: Ivan <ivan@example.ru>\r\nTo: support@helpdesk.local\r\nSubject: Printer jammed\r\n" +
		"Message-ID: <serve-1@example.ru>\r\n\r\nThe printer on floor 3 is jammed.\r\n"
	if err := smtp.SendMail(smtpAddr, nil, "ivan@example.ru", []string{"support@helpdesk.local"}, []byte(msg)); err != nil {
		t.Fatalf("send: %v", err)
	}
	status, tk := e.api(admin, "GET", "/tickets/INC-000001", nil)
	if status != 200 {
		t.Fatalf("ticket: %d %v", status, tk)
	}
	want(t, tk, "title", "Printer jammed")
	want(t, tk, "channel", "email")
	big := strings.Repeat(strings.Repeat("x", 998)+"\r\n", 200)
	err = smtp.SendMail(smtpAddr, nil, "ivan@example.ru", []string{"support@helpdesk.local"}, []byte(msg+big+"\r\n"))
	if err == nil || !strings.Contains(err.Error(), "552") {
		t.Errorf("oversize: %v, want 552", err)
	}
}
