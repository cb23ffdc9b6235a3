package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	// The spec check decodes multipart request bodies' file parts as bytes.
	openapi3filter.RegisterBodyDecoder("application/pdf", openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.FileBodyDecoder)
}

type upload struct {
	name, contentType string
	content           []byte
}

// multipartBody builds a multipart/form-data body of files and fields; the
// request is checked against the spec like a JSON one.
func multipartBody(t *testing.T, files []upload, fields map[string]string) reqOpt {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, strings.ReplaceAll(f.name, `"`, `\"`)))
		h.Set("Content-Type", f.contentType)
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.content)
	}
	mw.Close()
	return func(r *request) {
		r.raw, r.rawSet = buf.Bytes(), true
		r.header.Set("Content-Type", mw.FormDataContentType())
	}
}

type attachmentListJSON struct {
	Attachments []attachmentJSON `json:"attachments"`
}

// TestAttachments_UploadListDownload: a requester and an agent attach
// files; the requester never sees the work note's; downloads are
// attachments with the real name in filename* and an inert Content-Type.
func TestAttachments_UploadListDownload(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Report broken"))
	pdf := []byte("%PDF-1.4\n% отчёт\n")
	r := e.alice.do("POST", ticketURL(tk, "/attachments"), nil,
		multipartBody(t, []upload{{`..\..\Отчёт "март".pdf`, "application/pdf", pdf}}, nil)).want(t, http.StatusCreated)
	if r.header.Get("ETag") == "" {
		t.Error("upload answered without the ticket's new ETag")
	}
	up := decode[attachmentListJSON](t, r).Attachments
	sum := sha256.Sum256(pdf)
	if len(up) != 1 || up[0].FileName != "Отчёт _март_.pdf" || up[0].ContentType != "application/pdf" ||
		up[0].Size != int64(len(pdf)) || up[0].SHA256 != hex.EncodeToString(sum[:]) || !up[0].Public ||
		up[0].UploadedBy == nil || up[0].UploadedBy.ID != e.alice.userID {
		t.Fatalf("uploaded %+v", up)
	}
	r = e.agent.do("POST", ticketURL(tk, "/attachments"), nil, multipartBody(t,
		[]upload{{"dump.html", "text/html", []byte("<script>alert(1)</script>")}, {"noname", "application/octet-stream", []byte("\x89PNG\r\n\x1a\n\x00\x00")}},
		map[string]string{"internal": "true", "body": "Logs from the server"})).want(t, http.StatusCreated)
	internal := decode[attachmentListJSON](t, r).Attachments
	if len(internal) != 2 || internal[0].Public || internal[1].ContentType != "image/png" {
		t.Fatalf("internal upload %+v", internal)
	}

	mine := decode[attachmentListJSON](t, e.alice.get(ticketURL(tk, "/attachments")).want(t, http.StatusOK)).Attachments
	if len(mine) != 1 || mine[0].ID != up[0].ID {
		t.Errorf("requester sees %+v, want only her file", mine)
	}
	all := decode[attachmentListJSON](t, e.agent.get(ticketURL(tk, "/attachments")).want(t, http.StatusOK)).Attachments
	if len(all) != 3 {
		t.Errorf("agent sees %d files, want 3", len(all))
	}

	d := e.alice.get(up[0].URL).want(t, http.StatusOK)
	if !bytes.Equal(d.body, pdf) {
		t.Errorf("downloaded %q", d.body)
	}
	wantHeader := map[string]string{
		"Content-Type":           "application/pdf",
		"Content-Disposition":    `attachment; filename="_____ ______.pdf"; filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%20_%D0%BC%D0%B0%D1%80%D1%82_.pdf`,
		"X-Content-Type-Options": "nosniff",
	}
	for k, v := range wantHeader {
		if got := d.header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	html := e.agent.get(internal[0].URL).want(t, http.StatusOK)
	if ct := html.header.Get("Content-Type"); ct != "application/octet-stream" {
		t.Errorf("HTML served as %q, want application/octet-stream", ct)
	}
	if csp := html.header.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") {
		t.Errorf("CSP %q", csp)
	}
	problemOf(t, e.alice.get(internal[0].URL).want(t, http.StatusNotFound))
	problemOf(t, e.bob.get(up[0].URL).want(t, http.StatusNotFound))
	problemOf(t, e.bob.get(ticketURL(tk, "/attachments")).want(t, http.StatusNotFound))
	problemOf(t, e.anon.get(up[0].URL).want(t, http.StatusUnauthorized))
	problemOf(t, e.alice.get("/api/v1/attachments/99999").want(t, http.StatusNotFound))

	mineEvents := decode[struct {
		Events []eventJSON `json:"events"`
	}](t, e.alice.get(ticketURL(tk, "/events")).want(t, http.StatusOK)).Events
	if last := mineEvents[len(mineEvents)-1]; len(last.Attachments) != 1 || last.Attachments[0].ID != up[0].ID {
		t.Errorf("requester's timeline: last entry %q has files %+v, want only hers", last.Body, last.Attachments)
	}
	events := decode[struct {
		Events []eventJSON `json:"events"`
	}](t, e.agent.get(ticketURL(tk, "/events")).want(t, http.StatusOK)).Events
	var bodies []string
	for _, ev := range events[1:] {
		bodies = append(bodies, fmt.Sprintf("%s %v %s files=%d", ev.Kind, ev.Public, ev.Body, len(ev.Attachments)))
	}
	want := []string{"comment true Attached Отчёт _март_.pdf (22 B). files=1", "work_note false Logs from the server files=2"}
	if strings.Join(bodies, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(bodies, "\n"), strings.Join(want, "\n"))
	}
}

// TestAttachments_Refused: wrong media type, no file, a requester's work
// note, an unknown field, and a file over the limit (413 problem).
func TestAttachments_Refused(t *testing.T) {
	e := newEnv(t)
	tk := e.agent.createTicket(ticketIn("Upload checks"))
	url := ticketURL(tk, "/attachments")
	problemOf(t, e.alice.do("POST", url, map[string]any{"file": "x"}, invalid).want(t, http.StatusUnsupportedMediaType))
	p := problemOf(t, e.alice.do("POST", url, nil, multipartBody(t, nil, map[string]string{"body": "nothing"}), invalid).
		want(t, http.StatusUnprocessableEntity))
	if len(p.Errors) != 1 || p.Errors[0].Field != "file" {
		t.Errorf("errors %+v, want one on file", p.Errors)
	}
	small := []upload{{"a.txt", "text/plain", []byte("a")}}
	problemOf(t, e.alice.do("POST", url, nil, multipartBody(t, small, map[string]string{"internal": "true"})).want(t, http.StatusForbidden))
	problemOf(t, e.alice.do("POST", url, nil, multipartBody(t, small, map[string]string{"color": "red"}), invalid).want(t, http.StatusBadRequest))
	problemOf(t, e.alice.do("POST", url, nil, multipartBody(t, small, map[string]string{"internal": "maybe"}), invalid).want(t, http.StatusUnprocessableEntity))

	big := bytes.Repeat([]byte("x"), desk.DefaultAttachmentMaxBytes+1)
	p = problemOf(t, e.alice.do("POST", url, nil, multipartBody(t, []upload{{"big.txt", "text/plain", big}}, nil), invalid).
		want(t, http.StatusRequestEntityTooLarge))
	if !strings.Contains(p.Detail, "big.txt is larger than the limit") {
		t.Errorf("detail %q", p.Detail)
	}
	list := decode[attachmentListJSON](t, e.agent.get(url).want(t, http.StatusOK)).Attachments
	if len(list) != 0 {
		t.Errorf("refused uploads stored %d files", len(list))
	}
}

// TestContentDisposition covers names that need the ASCII stand-in.
func TestContentDisposition(t *testing.T) {
	for name, want := range map[string]string{
		"report.pdf":     `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`,
		"a b%.txt":       `attachment; filename="a b_.txt"; filename*=UTF-8''a%20b%25.txt`,
		"naïve café.doc": `attachment; filename="na_ve caf_.doc"; filename*=UTF-8''na%C3%AFve%20caf%C3%A9.doc`,
	} {
		if got := contentDisposition(name); got != want {
			t.Errorf("%q: %s, want %s", name, got, want)
		}
	}
}
