package web

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

func init() {
	registerArea("attachments", func(s *server) {
		s.get("/attachments/{id}", signedIn, s.download)
	})
}

// uploadLimit bounds a multipart form: a few files at the per-file limit,
// or one evidence file, plus the text fields.
func (s *server) uploadLimit() int64 {
	n := 4 * s.desk.AttachmentMaxBytes()
	if s.opts.Evidence != nil {
		n = max(n, s.opts.Evidence.MaxBytes())
	}
	return n + s.opts.MaxFormBytes
}

// formFiles reads the files of a multipart form's "file" inputs. A file
// over the limit is a field error; desk checks again.
func (s *server) formFiles(rq *request) ([]desk.FileInput, map[string]string, error) {
	if rq.r.MultipartForm == nil || len(rq.r.MultipartForm.File["file"]) == 0 {
		return nil, nil, nil
	}
	max := s.desk.AttachmentMaxBytes()
	var files []desk.FileInput
	for _, fh := range rq.r.MultipartForm.File["file"] {
		if fh.Size > max {
			return nil, map[string]string{"file": rq.lang.T("file.too_big", fh.Filename, sizeText(rq.lang, max))}, nil
		}
		b, err := readPart(fh, max)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, desk.FileInput{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Content: b})
	}
	return files, nil, nil
}

func readPart(fh *multipart.FileHeader, max int64) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, max+1))
}

// download serves a file the user may see (desk decides) as an
// attachment, never rendered in our origin: Content-Disposition:
// attachment, nosniff, and a sandboxing policy in case a browser ignores
// both.
func (s *server) download(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil {
		return rq.errorPage(http.StatusNotFound)
	}
	a, err := s.desk.Attachment(rq.ctx, id)
	if err != nil {
		return err
	}
	h := rq.w.Header()
	ct := a.ContentType
	if ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript") {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.FileName}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(a.Content)))
	_, err = rq.w.Write(a.Content)
	return err
}

// sizeText says a size in the language's units.
func sizeText(l *lang, n int64) string {
	switch {
	case n >= 1<<20:
		return l.T("size.mb", strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64))
	case n >= 1<<10:
		return l.T("size.kb", (n+(1<<9))>>10)
	}
	return l.N("size.bytes", int(n))
}
