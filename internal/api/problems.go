package api

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	prb "github.com/tierdesk/tierdesk/internal/problem"
)

type problemJSON struct {
	ID              int64           `json:"id"`
	Number          string          `json:"number"`
	Title           string          `json:"title"`
	Description     string          `json:"description"`
	RootCause       string          `json:"root_cause"`
	Impact          desk.Level      `json:"impact"`
	State           prb.State       `json:"state"`
	Group           *desk.Ref       `json:"group"`
	Category        *desk.Ref       `json:"category"`
	Service         *desk.Ref       `json:"service"`
	Workaround      string          `json:"workaround"`
	WorkaroundAt    *string         `json:"workaround_at"`
	Fix             string          `json:"fix"`
	References      []prb.Reference `json:"references"`
	CreatedBy       *desk.Ref       `json:"created_by"`
	Incidents       int             `json:"incidents"`
	FirstIncidentAt *string         `json:"first_incident_at"`
	Version         int             `json:"version"`
	CreatedAt       string          `json:"created_at"`
	UpdatedAt       string          `json:"updated_at"`
	KnownErrorAt    *string         `json:"known_error_at"`
	ResolvedAt      *string         `json:"resolved_at"`
	ClosedAt        *string         `json:"closed_at"`
	Moves           []prb.State     `json:"allowed_states"`
}

func problemView(p *prb.Problem) problemJSON {
	v := problemJSON{ID: p.ID, Number: p.Number(), Title: p.Title, Description: p.Description, RootCause: p.RootCause,
		Impact: p.Impact, State: p.State, Group: p.Group, Category: p.Category, Service: p.Service, Workaround: p.Workaround,
		WorkaroundAt: optTime(p.WorkaroundAt), Fix: p.Fix, References: p.References, CreatedBy: p.CreatedBy,
		Incidents: p.Incidents, FirstIncidentAt: optTime(p.FirstIncidentAt), Version: p.Version,
		CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt), KnownErrorAt: optTime(p.KnownErrorAt),
		ResolvedAt: optTime(p.ResolvedAt), ClosedAt: optTime(p.ClosedAt), Moves: prb.Moves(p.State)}
	if v.References == nil {
		v.References = []prb.Reference{}
	}
	if v.Moves == nil {
		v.Moves = []prb.State{}
	}
	return v
}

func (s *server) requireProblems() error {
	if s.opts.Problems == nil {
		return httpError(http.StatusNotFound, "this server has no problem management")
	}
	return nil
}

func (s *server) writeProblem(w http.ResponseWriter, status int, p *prb.Problem) {
	setETag(w, p.Version)
	writeJSON(w, status, problemView(p))
}

// problemRef is the path's problem: an id or a number.
func (s *server) problemRef(r *http.Request) (string, error) {
	if err := s.requireProblems(); err != nil {
		return "", err
	}
	ref := r.PathValue("pid")
	if _, err := prb.ParseRef(ref); err != nil {
		return "", err
	}
	return ref, nil
}

// listProblems lists problems, newest first: by state, owner group, or
// text in the number or title.
func (s *server) listProblems(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireProblems(); err != nil {
		return err
	}
	q := newQuery(r, "state", "group_id", "q", "limit", "cursor")
	var states []prb.State
	for _, v := range q.list("state") {
		if !slices.Contains(prb.States, prb.State(v)) {
			q.fail("state", desk.RuleOneOf, desk.Params{"allowed": "new, investigating, known_error, resolved, closed"},
				"must be new, investigating, known_error, resolved or closed")
		}
		states = append(states, prb.State(v))
	}
	var group int64
	if id := q.id("group_id", nil); id != nil {
		group = *id
	}
	limit := q.limit()
	if err := q.err(); err != nil {
		return err
	}
	page, err := s.opts.Problems.List(r.Context(), prb.Filter{States: states, GroupID: group, Text: q.str("q"),
		Cursor: q.str("cursor"), Limit: limit})
	if err != nil {
		return err
	}
	items := make([]problemJSON, 0, len(page.Problems))
	for _, p := range page.Problems {
		items = append(items, problemView(p))
	}
	writeJSON(w, http.StatusOK, map[string]any{"problems": items, "next_cursor": cursorJSON(page.Next)})
	return nil
}

// problemBody creates a problem, or (with from_ticket) one from an incident.
type problemBody struct {
	Title       string          `json:"title"`
	Description string          `json:"description"`
	RootCause   string          `json:"root_cause"`
	Impact      desk.Level      `json:"impact"`
	GroupID     int64           `json:"group_id"`
	CategoryID  int64           `json:"category_id"`
	ServiceID   int64           `json:"service_id"`
	References  []prb.Reference `json:"references"`
	FromTicket  string          `json:"from_ticket"`
}

func (s *server) createProblem(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireProblems(); err != nil {
		return err
	}
	var b problemBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	in := prb.Input{Title: b.Title, Description: b.Description, RootCause: b.RootCause, Impact: b.Impact,
		GroupID: b.GroupID, CategoryID: b.CategoryID, ServiceID: b.ServiceID, References: b.References}
	var p *prb.Problem
	if b.FromTicket != "" {
		res, err := s.opts.Problems.CreateFromIncident(r.Context(), b.FromTicket, in)
		if err != nil {
			return err
		}
		p = res.Problem
	} else {
		var err error
		if p, err = s.opts.Problems.Create(r.Context(), in); err != nil {
			return err
		}
	}
	w.Header().Set("Location", "/api/v1/problems/"+strconv.FormatInt(p.ID, 10))
	s.writeProblem(w, http.StatusCreated, p)
	return nil
}

func (s *server) getProblem(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	p, err := s.opts.Problems.Problem(r.Context(), ref)
	if err != nil {
		return err
	}
	s.writeProblem(w, http.StatusOK, p)
	return nil
}

type problemPatchBody struct {
	Title       optional[string]          `json:"title"`
	Description optional[string]          `json:"description"`
	RootCause   optional[string]          `json:"root_cause"`
	Impact      optional[desk.Level]      `json:"impact"`
	GroupID     optional[int64]           `json:"group_id"`
	CategoryID  optional[int64]           `json:"category_id"`
	ServiceID   optional[int64]           `json:"service_id"`
	Fix         optional[string]          `json:"fix"`
	References  optional[[]prb.Reference] `json:"references"`
}

// patchProblem changes a problem's fields; If-Match names the version
// edited (412 when another change came first). A null category or
// service clears it.
func (s *server) patchProblem(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	var b problemPatchBody
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	var fp fieldProblems
	p := prb.Patch{Title: optStr(b.Title, "title", &fp), Description: optStr(b.Description, "description", &fp),
		RootCause: optStr(b.RootCause, "root_cause", &fp), Fix: optStr(b.Fix, "fix", &fp)}
	if b.Impact.Set {
		p.Impact = &b.Impact.Value
	}
	if b.GroupID.Set && !b.GroupID.Null {
		p.GroupID = &b.GroupID.Value
	}
	p.CategoryID, p.ServiceID = clearID(b.CategoryID), clearID(b.ServiceID)
	if b.References.Set {
		p.References = &b.References.Value
	}
	if err := fp.err(); err != nil {
		return err
	}
	if p.IfVersion, err = s.problemIfVersion(r, ref); err != nil {
		return err
	}
	got, err := s.opts.Problems.Update(r.Context(), ref, p)
	if err != nil {
		return err
	}
	s.writeProblem(w, http.StatusOK, got)
	return nil
}

func optStr(o optional[string], field string, fp *fieldProblems) *string {
	if !o.Set {
		return nil
	}
	if o.Null {
		if field == "title" {
			fp.fail(field, desk.RuleRequired, nil, "must not be null")
			return nil
		}
		return new(string)
	}
	return &o.Value
}

// clearable is an optional id where null clears (-1 for the service).
func clearID(o optional[int64]) *int64 {
	if !o.Set {
		return nil
	}
	v := o.Value
	if o.Null || v == 0 {
		v = -1
	}
	return &v
}

// problemIfVersion is If-Match as a problem version (0: none).
func (s *server) problemIfVersion(r *http.Request, ref string) (int, error) {
	return matchVersion(r, func() (int, string, error) {
		p, err := s.opts.Problems.Problem(r.Context(), ref)
		if err != nil {
			return 0, "", err
		}
		return p.Version, "problem " + p.Number(), nil
	})
}

// moveProblem changes a problem's state: {"state": "investigating"}.
func (s *server) moveProblem(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	var b struct {
		State prb.State `json:"state"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	if !slices.Contains(prb.States, b.State) {
		return fieldProblem("state", desk.RuleOneOf, desk.Params{"allowed": "new, investigating, known_error, resolved, closed"},
			"must be new, investigating, known_error, resolved or closed")
	}
	v, err := s.problemIfVersion(r, ref)
	if err != nil {
		return err
	}
	p, err := s.opts.Problems.Move(r.Context(), ref, b.State, v)
	if err != nil {
		return err
	}
	s.writeProblem(w, http.StatusOK, p)
	return nil
}

type broadcastJSON struct {
	ID             int64             `json:"id"`
	Kind           prb.BroadcastKind `json:"kind"`
	Public         bool              `json:"public"`
	ResolutionCode string            `json:"resolution_code,omitempty"`
	Done           int               `json:"done"`
	Skipped        int               `json:"skipped"`
	Batches        int               `json:"batches"`
	MaxTxMillis    float64           `json:"max_transaction_ms"`
	CreatedAt      string            `json:"created_at"`
	FinishedAt     *string           `json:"finished_at"`
}

func broadcastView(b *prb.Broadcast) *broadcastJSON {
	if b == nil {
		return nil
	}
	return &broadcastJSON{ID: b.ID, Kind: b.Kind, Public: b.Public, ResolutionCode: string(b.ResolutionCode), Done: b.Done,
		Skipped: b.Skipped, Batches: b.Batches, MaxTxMillis: float64(b.MaxTx.Microseconds()) / 1000,
		CreatedAt: rfc3339(b.CreatedAt), FinishedAt: optTime(b.FinishedAt)}
}

// publishWorkaround records the workaround and queues its broadcast:
// {"text": "...", "public": true}. 202: the incidents are written in the
// background (GET .../broadcasts shows the progress).
func (s *server) publishWorkaround(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	var b struct {
		Text   string `json:"text"`
		Public bool   `json:"public"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	v, err := s.problemIfVersion(r, ref)
	if err != nil {
		return err
	}
	p, bc, err := s.opts.Problems.PublishWorkaround(r.Context(), ref, prb.WorkaroundInput{Text: b.Text, Public: b.Public, IfVersion: v})
	if err != nil {
		return err
	}
	setETag(w, p.Version)
	writeJSON(w, http.StatusAccepted, map[string]any{"problem": problemView(p), "broadcast": broadcastView(bc)})
	return nil
}

// resolveProblem resolves the problem, optionally every open incident:
// {"fix": "...", "resolve_incidents": true, "resolution_code": "solved"}.
func (s *server) resolveProblem(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	var b struct {
		Fix       string `json:"fix"`
		Incidents bool   `json:"resolve_incidents"`
		Code      string `json:"resolution_code"`
	}
	if err := s.decodeJSON(w, r, &b); err != nil {
		return err
	}
	v, err := s.problemIfVersion(r, ref)
	if err != nil {
		return err
	}
	p, bc, err := s.opts.Problems.Resolve(r.Context(), ref, prb.ResolveInput{Fix: b.Fix, Incidents: b.Incidents,
		Code: desk.ResolutionCode(b.Code), IfVersion: v})
	if err != nil {
		return err
	}
	status := http.StatusOK
	if bc != nil {
		status = http.StatusAccepted
	}
	setETag(w, p.Version)
	writeJSON(w, status, map[string]any{"problem": problemView(p), "broadcast": broadcastView(bc)})
	return nil
}

func (s *server) listBroadcasts(w http.ResponseWriter, r *http.Request) error {
	ref, err := s.problemRef(r)
	if err != nil {
		return err
	}
	bs, err := s.opts.Problems.Broadcasts(r.Context(), ref)
	if err != nil {
		return err
	}
	out := make([]*broadcastJSON, 0, len(bs))
	for _, b := range bs {
		out = append(out, broadcastView(b))
	}
	writeJSON(w, http.StatusOK, map[string]any{"broadcasts": out})
	return nil
}

// candidatesReport lists clusters of recent incidents with no problem:
// ?window=168h&min=3.
func (s *server) problemCandidates(w http.ResponseWriter, r *http.Request) error {
	if err := s.requireProblems(); err != nil {
		return err
	}
	q := newQuery(r, "window", "min")
	var window time.Duration
	if v := q.str("window"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			q.fail("window", desk.RuleInvalidFmt, desk.Params{"format": "duration"}, "must be a duration such as 168h")
		}
		window = d
	}
	minN := 0
	if v := q.str("min"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			q.fail("min", desk.RuleOutOfRange, desk.Params{"min": 2, "max": 1000}, "must be from 2 to 1000")
		}
		minN = n
	}
	if err := q.err(); err != nil {
		return err
	}
	cs, err := s.opts.Problems.Candidates(r.Context(), window, minN)
	if err != nil {
		return err
	}
	out := make([]map[string]any, 0, len(cs))
	for _, c := range cs {
		tickets := c.Tickets
		if tickets == nil {
			tickets = []string{}
		}
		out = append(out, map[string]any{"category": c.Category, "service": c.Service, "incidents": c.Incidents,
			"first_at": rfc3339(c.First), "last_at": rfc3339(c.Last), "tickets": tickets})
	}
	writeJSON(w, http.StatusOK, map[string]any{"candidates": out})
	return nil
}
