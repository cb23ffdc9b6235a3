package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/evidence"
)

// Evidence of security cases and its chain of custody (issue 14,
// internal/evidence): the case's evidence with the form to register more,
// an item's page with its chain of custody, hand-over, transfer,
// verification and a second upload, and the download. Only the case's
// members find any of it (the evidence service decides); opening an item
// and downloading its file are custody entries.
func init() {
	registerArea("evidence", func(s *server) {
		if s.opts.Evidence == nil {
			return
		}
		s.get("/tickets/{ref}/evidence", staffOnly, s.evidenceList)
		s.post("/tickets/{ref}/evidence", staffOnly, s.evidenceAdd)
		s.get("/evidence/{id}", staffOnly, s.evidenceItem)
		s.get("/evidence/{id}/file", staffOnly, s.evidenceDownload)
		s.post("/evidence/{id}/handover", staffOnly, s.evidenceHandOver)
		s.post("/evidence/{id}/transfer", staffOnly, s.evidenceTransfer)
		s.post("/evidence/{id}/verify", staffOnly, s.evidenceVerify)
		s.post("/evidence/{id}/file", staffOnly, s.evidenceUpload)
	})
}

// evidencePanel is the ticket page's summary of a security case's
// evidence.
type evidencePanel struct {
	Items []*evidence.Item
	// Custody is what was done with them (collected, viewed, downloaded,
	// moved, handed over, verified), oldest first: the case's timeline of
	// its evidence, shown to case members only like the page itself.
	Custody []evidence.CaseEntry
}

// evidenceTicketPanel is the panel for a security case the viewer is a
// member of; nil for any other ticket.
func (s *server) evidenceTicketPanel(rq *request, t *desk.Ticket) (*evidencePanel, error) {
	if s.opts.Evidence == nil || !t.Security {
		return nil, nil
	}
	items, err := s.opts.Evidence.Items(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	custody, err := s.opts.Evidence.CaseCustody(rq.ctx, t.Number)
	if err != nil {
		return nil, err
	}
	return &evidencePanel{Items: items, Custody: custody}, nil
}

type evidenceListView struct {
	Ticket *desk.Ticket
	Items  []*evidence.Item
	Max    int64
}

func (s *server) evidenceList(rq *request) error {
	return s.renderEvidenceList(rq, http.StatusOK, nil, nil)
}

func (s *server) renderEvidenceList(rq *request, status int, form url.Values, errs map[string]string) error {
	t, err := s.desk.Ticket(rq.ctx, rq.ref())
	if err != nil {
		return err
	}
	items, err := s.opts.Evidence.Items(rq.ctx, t.Number)
	if err != nil {
		return err
	}
	v := evidenceListView{Ticket: t, Items: items, Max: s.opts.Evidence.MaxBytes()}
	return rq.renderForm(status, "evidence_list", v, form, errs)
}

// evidenceAdd registers an item: a file, or a reference when no file is
// chosen. A refused form comes back with its values and why (the file
// must be chosen again: browsers never keep one).
func (s *server) evidenceAdd(rq *request) error {
	f := rq.r.PostForm
	in := evidence.AddInput{Title: f.Get("title"), Description: f.Get("description"), SHA256: f.Get("sha256"),
		Location: f.Get("location"), CollectedBy: f.Get("collected_by"), CollectedFrom: f.Get("collected_from"),
		Address: s.opts.Proxies.Client(rq.r)}
	errs := map[string]string{}
	if v := strings.TrimSpace(f.Get("collected_at")); v != "" {
		at, err := time.ParseInLocation("2006-01-02T15:04", v, rq.loc)
		if err != nil {
			errs["collected_at"] = rq.lang.T("evidence.bad_time")
		}
		in.CollectedAt = at
	}
	file, fe, err := s.evidenceFile(rq)
	if err != nil {
		return err
	}
	for k, v := range fe {
		errs[k] = v
	}
	if len(errs) > 0 {
		return s.renderEvidenceList(rq, http.StatusUnprocessableEntity, f, errs)
	}
	in.File = file
	it, err := s.opts.Evidence.Add(rq.ctx, rq.ref(), in)
	if fe := evidenceFieldErrors(rq, err); fe != nil {
		return s.renderEvidenceList(rq, http.StatusUnprocessableEntity, f, fe)
	}
	if err != nil {
		return err
	}
	return rq.redirect("/evidence/" + strconv.FormatInt(it.ID, 10) + "?done=evidence_added")
}

// evidenceFile reads the form's one "file" input (nil when none was
// chosen); one over the limit is a field error before the service sees it.
func (s *server) evidenceFile(rq *request) (*evidence.FileInput, map[string]string, error) {
	if rq.r.MultipartForm == nil || len(rq.r.MultipartForm.File["file"]) == 0 {
		return nil, nil, nil
	}
	fh := rq.r.MultipartForm.File["file"][0]
	max := s.opts.Evidence.MaxBytes()
	if fh.Size > max {
		return nil, map[string]string{"file": rq.lang.T("file.too_big", fh.Filename, sizeText(rq.lang, max))}, nil
	}
	b, err := readPart(fh, max)
	if err != nil {
		return nil, nil, err
	}
	return &evidence.FileInput{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Content: b}, nil, nil
}

// evidenceFieldErrors words the service's field errors, with the
// evidence's own words for an empty file and a digest that does not match.
func evidenceFieldErrors(rq *request, err error) map[string]string {
	fe := fieldErrors(rq, err)
	var de *desk.Error
	if fe == nil || !errors.As(err, &de) {
		return fe
	}
	for _, f := range de.Fields {
		switch f.Rule {
		case desk.RuleMismatch:
			fe[f.Field] = rq.lang.T("evidence.mismatch")
		case desk.RuleTooSmall:
			fe[f.Field] = rq.lang.T("evidence.empty")
		}
	}
	return fe
}

type evidenceItemView struct {
	Ticket     *desk.Ticket
	Item       *evidence.Item
	Chain      []*evidence.Custody
	Candidates []desk.Ref // case members it may be handed over to
	Max        int64
}

func (s *server) evidenceID(rq *request) (int64, error) {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, desk.Errorf(desk.ENOTFOUND, "no evidence %q", rq.r.PathValue("id"))
	}
	return id, nil
}

// evidenceItem opens an item: the view is recorded, and shown last in its
// chain of custody.
func (s *server) evidenceItem(rq *request) error {
	return s.renderEvidenceItem(rq, http.StatusOK, nil, nil)
}

func (s *server) renderEvidenceItem(rq *request, status int, form url.Values, errs map[string]string) error {
	id, err := s.evidenceID(rq)
	if err != nil {
		return err
	}
	it, chain, err := s.opts.Evidence.Item(rq.ctx, id, s.opts.Proxies.Client(rq.r))
	if err != nil {
		return err
	}
	t, err := s.desk.Ticket(rq.ctx, strconv.FormatInt(it.TicketID, 10))
	if err != nil {
		return err
	}
	v := evidenceItemView{Ticket: t, Item: it, Chain: chain, Max: s.opts.Evidence.MaxBytes()}
	if v.Candidates, err = s.custodians(rq, t, it); err != nil {
		return err
	}
	return rq.renderForm(status, "evidence_item", v, form, errs)
}

// custodians are the case's members besides the current custodian: its
// group's members and the people named on it.
func (s *server) custodians(rq *request, t *desk.Ticket, it *evidence.Item) ([]desk.Ref, error) {
	members, err := s.desk.GroupMembers(rq.ctx, t.Group.ID)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	if it.Custodian != nil {
		seen[it.Custodian.ID] = true
	}
	var out []desk.Ref
	add := func(id int64, name string) {
		if !seen[id] {
			seen[id] = true
			out = append(out, desk.Ref{ID: id, Name: name})
		}
	}
	for _, m := range members {
		if m.Active {
			add(m.ID, m.Name)
		}
	}
	for _, m := range t.SecurityMembers {
		add(m.UserID, m.Name)
	}
	return out, nil
}

// evidenceDownload serves the file as a download only, never inline, after
// the download is recorded.
func (s *server) evidenceDownload(rq *request) error {
	id, err := s.evidenceID(rq)
	if err != nil {
		return err
	}
	it, b, err := s.opts.Evidence.Download(rq.ctx, id, s.opts.Proxies.Client(rq.r))
	if err != nil {
		return err
	}
	h := rq.w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": it.FileName}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	_, err = rq.w.Write(b)
	return err
}

// evidenceChange runs one change of an item from its page's form and
// answers with the page again: refused with the form and why, done with
// a confirmation.
func (s *server) evidenceChange(rq *request, change func(id int64, version int) (done string, err error)) error {
	id, err := s.evidenceID(rq)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(rq.r.PostFormValue("version"))
	done, err := change(id, version)
	if fe := evidenceFieldErrors(rq, err); fe != nil {
		return s.renderEvidenceItem(rq, http.StatusUnprocessableEntity, rq.r.PostForm, fe)
	}
	if desk.ErrorCode(err) == desk.ESTALE {
		return s.renderEvidenceItem(rq, http.StatusConflict, rq.r.PostForm, map[string]string{"": rq.lang.T("evidence.stale")})
	}
	if err != nil {
		return err
	}
	return rq.redirect("/evidence/" + strconv.FormatInt(id, 10) + "?done=" + done)
}

func (s *server) evidenceHandOver(rq *request) error {
	f := rq.r.PostForm
	return s.evidenceChange(rq, func(id int64, version int) (string, error) {
		_, err := s.opts.Evidence.HandOver(rq.ctx, id, evidence.HandOverInput{ToUserID: rq.formID("to_user"),
			ToName: f.Get("to_name"), Note: f.Get("note"), IfVersion: version, Address: s.opts.Proxies.Client(rq.r)})
		return "evidence_handed_over", err
	})
}

func (s *server) evidenceTransfer(rq *request) error {
	f := rq.r.PostForm
	return s.evidenceChange(rq, func(id int64, version int) (string, error) {
		_, err := s.opts.Evidence.Transfer(rq.ctx, id, evidence.TransferInput{Location: f.Get("location"),
			Note: f.Get("transfer_note"), IfVersion: version, Address: s.opts.Proxies.Client(rq.r)})
		return "evidence_transferred", renameField(err, "note", "transfer_note")
	})
}

func (s *server) evidenceVerify(rq *request) error {
	id, err := s.evidenceID(rq)
	if err != nil {
		return err
	}
	_, c, err := s.opts.Evidence.Verify(rq.ctx, id, s.opts.Proxies.Client(rq.r))
	if err != nil {
		return err
	}
	done := "evidence_verified"
	if c.Action == evidence.ActionVerifyFailed {
		done = "evidence_verify_failed"
	}
	return rq.redirect("/evidence/" + strconv.FormatInt(id, 10) + "?done=" + done)
}

// evidenceUpload takes the item's file again (see evidence.AddFile).
func (s *server) evidenceUpload(rq *request) error {
	file, fe, err := s.evidenceFile(rq)
	if err != nil {
		return err
	}
	if file == nil && fe == nil {
		fe = map[string]string{"file": rq.lang.T("evidence.choose_file")}
	}
	if fe != nil {
		return s.renderEvidenceItem(rq, http.StatusUnprocessableEntity, rq.r.PostForm, fe)
	}
	return s.evidenceChange(rq, func(id int64, version int) (string, error) {
		_, c, err := s.opts.Evidence.AddFile(rq.ctx, id, evidence.AddFileInput{File: *file, IfVersion: version,
			Address: s.opts.Proxies.Client(rq.r)})
		if err != nil {
			return "", err
		}
		return "evidence_" + string(c.Action), nil
	})
}

// renameField renames a field of a validation error to its form's name.
func renameField(err error, from, to string) error {
	var de *desk.Error
	if !errors.As(err, &de) {
		return err
	}
	for i := range de.Fields {
		if de.Fields[i].Field == from {
			de.Fields[i].Field = to
		}
	}
	return err
}
