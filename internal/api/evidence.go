package api

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
)

// Evidence of security cases and its chain of custody (issue 14,
// internal/evidence). Only the case's members find any of it; every view
// and download is recorded before it is answered.

type evidenceJSON struct {
	ID            int64     `json:"id"`
	TicketID      int64     `json:"ticket_id"`
	Kind          string    `json:"kind"`
	Title         string    `json:"title"`
	Description   string    `json:"description"`
	FileName      string    `json:"file_name"`
	ContentType   string    `json:"content_type"`
	Size          int64     `json:"size"`
	SHA256        string    `json:"sha256"`
	Location      string    `json:"location"`
	CollectedBy   string    `json:"collected_by"`
	CollectedAt   string    `json:"collected_at"`
	CollectedFrom string    `json:"collected_from"`
	Custodian     *desk.Ref `json:"custodian"`
	CustodianName string    `json:"custodian_name"`
	HasFile       bool      `json:"has_file"`
	CreatedBy     *desk.Ref `json:"created_by"`
	CreatedAt     string    `json:"created_at"`
	Version       int       `json:"version"`
	URL           string    `json:"url"`
	FileURL       *string   `json:"file_url"`
}

type custodyJSON struct {
	ID      int64     `json:"id"`
	At      string    `json:"at"`
	Actor   *desk.Ref `json:"actor"`
	Action  string    `json:"action"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	Note    string    `json:"note"`
	SHA256  string    `json:"sha256"`
	Address string    `json:"address"`
}

func evidenceView(it *evidence.Item) evidenceJSON {
	url := "/api/v1/evidence/" + strconv.FormatInt(it.ID, 10)
	v := evidenceJSON{ID: it.ID, TicketID: it.TicketID, Kind: string(it.Kind), Title: it.Title, Description: it.Description,
		FileName: it.FileName, ContentType: it.ContentType, Size: it.Size, SHA256: it.SHA256, Location: it.Location,
		CollectedBy: it.CollectedBy, CollectedAt: rfc3339(it.CollectedAt), CollectedFrom: it.CollectedFrom,
		Custodian: it.Custodian, CustodianName: it.Holder(), HasFile: it.HasFile, CreatedBy: it.CreatedBy,
		CreatedAt: rfc3339(it.CreatedAt), Version: it.Version, URL: url}
	if it.HasFile {
		f := url + "/file"
		v.FileURL = &f
	}
	return v
}

func custodyView(c *evidence.Custody) custodyJSON {
	return custodyJSON{ID: c.ID, At: rfc3339(c.At), Actor: c.Actor, Action: string(c.Action), From: c.From, To: c.To,
		Note: c.Note, SHA256: c.SHA256, Address: c.Address}
}

func (s *server) requireEvidence() error {
	if s.opts.Evidence == nil {
		return httpError(http.StatusNotFound, "this server keeps no evidence")
	}
	return nil
}

// listEvidence lists a security case's evidence (case members).
func (s *server) listEvidence(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireEvidence(); err != nil {
		return err
	}
	items, err := s.opts.Evidence.Items(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := struct {
		Items []evidenceJSON `json:"evidence"`
	}{Items: make([]evidenceJSON, len(items))}
	for i, it := range items {
		out.Items[i] = evidenceView(it)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// getEvidence opens an item with its chain of custody; the view is its
// last entry.
func (s *server) getEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := s.evidenceID(r)
	if err != nil {
		return err
	}
	it, chain, err := s.opts.Evidence.Item(r.Context(), id, s.opts.Proxies.Client(r))
	if err != nil {
		return err
	}
	out := struct {
		evidenceJSON
		Custody []custodyJSON `json:"custody"`
	}{evidenceJSON: evidenceView(it), Custody: make([]custodyJSON, len(chain))}
	for i, c := range chain {
		out.Custody[i] = custodyView(c)
	}
	setETag(w, it.Version)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *server) evidenceID(r *http.Request) (int64, error) {
	if err := s.requireEvidence(); err != nil {
		return 0, err
	}
	return pathID(r, "eid", "evidence")
}

// downloadEvidence sends an item's file as a download only (see
// downloadAttachment), after recording the download.
func (s *server) downloadEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := s.evidenceID(r)
	if err != nil {
		return err
	}
	it, b, err := s.opts.Evidence.Download(r.Context(), id, s.opts.Proxies.Client(r))
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", contentDisposition(it.FileName))
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
	h.Set("ETag", `"`+it.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// addEvidenceBody is a reference registered as JSON (a file comes as
// multipart/form-data with the same fields and a "file" part).
type addEvidenceBody struct {
	Title         string `json:"title"`
	Description   string `json:"description"`
	SHA256        string `json:"sha256"`
	Location      string `json:"location"`
	CollectedBy   string `json:"collected_by"`
	CollectedAt   string `json:"collected_at"`
	CollectedFrom string `json:"collected_from"`
}

// addEvidence registers an item on a security case: multipart/form-data
// with a "file" part, or JSON for a reference to evidence kept elsewhere.
func (s *server) addEvidence(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireEvidence(); err != nil {
		return err
	}
	var b addEvidenceBody
	var file *evidence.FileInput
	var err error
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		file, err = s.evidenceForm(w, r, &b)
	} else {
		err = s.decodeJSON(w, r, &b)
	}
	if err != nil {
		return err
	}
	in := evidence.AddInput{Title: b.Title, Description: b.Description, File: file, SHA256: b.SHA256, Location: b.Location,
		CollectedBy: b.CollectedBy, CollectedFrom: b.CollectedFrom, Address: s.opts.Proxies.Client(r)}
	if b.CollectedAt != "" {
		if in.CollectedAt, err = time.Parse(time.RFC3339, b.CollectedAt); err != nil {
			return fieldProblem("collected_at", desk.RuleInvalidFmt, desk.Params{"format": "timestamp"}, "must be an RFC 3339 timestamp")
		}
	}
	it, err := s.opts.Evidence.Add(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	setETag(w, it.Version)
	writeJSON(w, http.StatusCreated, evidenceView(it))
	return nil
}

// evidenceForm reads a multipart body: the fields into b, the one file
// part (413 over the limit before it is read to its end).
func (s *server) evidenceForm(w http.ResponseWriter, r *http.Request, b *addEvidenceBody) (*evidence.FileInput, error) {
	fields := map[string]*string{"title": &b.Title, "description": &b.Description, "sha256": &b.SHA256,
		"location": &b.Location, "collected_by": &b.CollectedBy, "collected_at": &b.CollectedAt, "collected_from": &b.CollectedFrom}
	var file *evidence.FileInput
	err := s.eachPart(w, r, func(p *multipart.Part, max int64) error {
		if p.FormName() == "file" {
			if file != nil {
				return fieldProblem("file", desk.RuleTooMany, desk.Params{"max": 1}, "one file per item")
			}
			f, err := readEvidencePart(p, max)
			file = f
			return err
		}
		dst, ok := fields[p.FormName()]
		if !ok {
			return &transportError{status: http.StatusBadRequest, detail: "unknown form field " + strconv.Quote(p.FormName()),
				fields: []desk.FieldError{desk.Invalid(p.FormName(), desk.RuleUnknownField, nil, "unknown field")}}
		}
		v, err := io.ReadAll(io.LimitReader(p, 64<<10))
		*dst = string(v)
		return err
	})
	return file, err
}

// eachPart calls fn with each part of a multipart/form-data body bounded
// by the evidence size limit.
func (s *server) eachPart(w http.ResponseWriter, r *http.Request, fn func(p *multipart.Part, max int64) error) error {
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || params["boundary"] == "" {
		return httpError(http.StatusUnsupportedMediaType, "send the file as multipart/form-data")
	}
	max := s.opts.Evidence.MaxBytes()
	total := max + uploadOverhead
	if r.ContentLength > total {
		return httpError(http.StatusRequestEntityTooLarge, "the upload is larger than %d bytes", total)
	}
	mr := multipart.NewReader(http.MaxBytesReader(w, r.Body, total), params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return uploadError(err, total)
		}
		err = fn(p, max)
		p.Close()
		if err != nil {
			return err
		}
	}
}

func readEvidencePart(p *multipart.Part, max int64) (*evidence.FileInput, error) {
	b, err := io.ReadAll(io.LimitReader(p, max+1))
	if err != nil {
		return nil, uploadError(err, max)
	}
	if int64(len(b)) > max {
		return nil, httpError(http.StatusRequestEntityTooLarge, "%s is larger than the limit of %d bytes for evidence",
			desk.SanitizeFileName(p.FileName(), ""), max)
	}
	return &evidence.FileInput{Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Content: b}, nil
}

// ifEvidenceVersion is the version If-Match names (0: none); several tags
// are refused, since reading the current version would be a view.
func ifEvidenceVersion(r *http.Request) (int, error) {
	return matchVersion(r, func() (int, string, error) {
		return 0, "", httpError(http.StatusBadRequest, "If-Match names several versions: send the one ETag you read")
	})
}

type handOverBody struct {
	ToUserID int64  `json:"to_user_id"`
	ToName   string `json:"to_name"`
	Note     string `json:"note"`
}

// handOverEvidence passes an item to another custodian.
func (s *server) handOverEvidence(w http.ResponseWriter, r *http.Request) error {
	var b handOverBody
	return s.evidenceChange(w, r, &b, func(id int64, version int) (*evidence.Item, error) {
		return s.opts.Evidence.HandOver(r.Context(), id, evidence.HandOverInput{ToUserID: b.ToUserID, ToName: b.ToName,
			Note: b.Note, IfVersion: version, Address: s.opts.Proxies.Client(r)})
	})
}

type transferBody struct {
	Location string `json:"location"`
	Note     string `json:"note"`
}

// transferEvidence records an item's move to another storage location.
func (s *server) transferEvidence(w http.ResponseWriter, r *http.Request) error {
	var b transferBody
	return s.evidenceChange(w, r, &b, func(id int64, version int) (*evidence.Item, error) {
		return s.opts.Evidence.Transfer(r.Context(), id, evidence.TransferInput{Location: b.Location, Note: b.Note,
			IfVersion: version, Address: s.opts.Proxies.Client(r)})
	})
}

func (s *server) evidenceChange(w http.ResponseWriter, r *http.Request, body any,
	change func(id int64, version int) (*evidence.Item, error)) error {
	id, err := s.evidenceID(r)
	if err != nil {
		return err
	}
	if err := s.decodeJSON(w, r, body); err != nil {
		return err
	}
	version, err := ifEvidenceVersion(r)
	if err != nil {
		return err
	}
	it, err := change(id, version)
	if err != nil {
		return err
	}
	setETag(w, it.Version)
	writeJSON(w, http.StatusOK, evidenceView(it))
	return nil
}

type custodyResult struct {
	Evidence evidenceJSON `json:"evidence"`
	Entry    custodyJSON  `json:"entry"`
	Matches  bool         `json:"matches"`
}

func writeCustodyResult(w http.ResponseWriter, status int, it *evidence.Item, c *evidence.Custody) {
	setETag(w, it.Version)
	writeJSON(w, status, custodyResult{Evidence: evidenceView(it), Entry: custodyView(c), Matches: c.Action != evidence.ActionVerifyFailed})
}

// verifyEvidence computes the stored file's SHA-256 again and records
// whether it matches.
func (s *server) verifyEvidence(w http.ResponseWriter, r *http.Request) error {
	id, err := s.evidenceID(r)
	if err != nil {
		return err
	}
	it, c, err := s.opts.Evidence.Verify(r.Context(), id, s.opts.Proxies.Client(r))
	if err != nil {
		return err
	}
	writeCustodyResult(w, http.StatusCreated, it, c)
	return nil
}

// uploadEvidenceFile takes an item's file again: a reference's file, or a
// copy checked against the recorded SHA-256 (a mismatch stores nothing).
func (s *server) uploadEvidenceFile(w http.ResponseWriter, r *http.Request) error {
	id, err := s.evidenceID(r)
	if err != nil {
		return err
	}
	var file *evidence.FileInput
	err = s.eachPart(w, r, func(p *multipart.Part, max int64) error {
		if p.FormName() != "file" || file != nil {
			return fieldProblem(p.FormName(), desk.RuleUnknownField, nil, "send one part named file")
		}
		file, err = readEvidencePart(p, max)
		return err
	})
	if err != nil {
		return err
	}
	if file == nil {
		return fieldProblem("file", desk.RuleRequired, nil, "send the file as a part named file")
	}
	version, err := ifEvidenceVersion(r)
	if err != nil {
		return err
	}
	it, c, err := s.opts.Evidence.AddFile(r.Context(), id, evidence.AddFileInput{File: *file, IfVersion: version,
		Address: s.opts.Proxies.Client(r)})
	if err != nil {
		return err
	}
	writeCustodyResult(w, http.StatusCreated, it, c)
	return nil
}
