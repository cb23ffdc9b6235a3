package web

import (
	"net/url"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/problem"
)

// The forms of a problem's page: edit its fields, move its state, publish
// or update the workaround (optionally public to the requesters), resolve
// it (optionally with every open linked incident), link and unlink
// incidents. Each checks the version the page showed, so two people
// editing the same problem never overwrite each other.

// problemEdit saves the problem's fields.
func (s *server) problemEdit(rq *request) error {
	return s.problemAction(rq, "edit", "problem_saved", func(version int) (string, error) {
		f := rq.r.PostForm
		in, errs := problemInput(rq, f)
		if len(errs) > 0 {
			return "", formErrors(errs, "new.")
		}
		refs := in.References
		if refs == nil {
			refs = []problem.Reference{}
		}
		fix := f.Get("fix")
		p := problem.Patch{Title: &in.Title, Description: &in.Description, RootCause: &in.RootCause, Impact: &in.Impact,
			GroupID: &in.GroupID, CategoryID: clearable(in.CategoryID), ServiceID: clearable(in.ServiceID),
			References: &refs, IfVersion: version}
		if f.Has("fix") {
			p.Fix = &fix
		}
		_, err := s.opts.Problems.Update(rq.ctx, rq.ref(), p)
		return "", err
	})
}

// clearable is a category or service id of the edit form: none clears it.
func clearable(id int64) *int64 {
	if id == 0 {
		id = -1
	}
	return &id
}

// formErrors turns the web layer's own field errors (keyed "new.field")
// into a desk validation error for the form's fields.
func formErrors(errs map[string]string, prefix string) error {
	var fe []desk.FieldError
	for k, msg := range errs {
		fe = append(fe, desk.FieldError{Field: strings.TrimPrefix(k, prefix), Message: msg})
	}
	return desk.InvalidFields(fe...)
}

// problemState moves the problem to the state of the button pressed.
func (s *server) problemState(rq *request) error {
	return s.problemAction(rq, "state", "problem_moved", func(version int) (string, error) {
		to := problem.State(rq.r.PostFormValue("to"))
		_, err := s.opts.Problems.Move(rq.ctx, rq.ref(), to, version)
		return "", err
	})
}

// problemWorkaround publishes or updates the workaround: the problem
// becomes a known error and every open linked incident gets it as an
// internal note, and as a public comment to its requester when chosen.
func (s *server) problemWorkaround(rq *request) error {
	return s.problemAction(rq, "workaround", "problem_workaround", func(version int) (string, error) {
		f := rq.r.PostForm
		_, _, err := s.opts.Problems.PublishWorkaround(rq.ctx, rq.ref(), problem.WorkaroundInput{Text: f.Get("workaround"),
			Public: f.Get("public") == "1", IfVersion: version})
		return "", err
	})
}

// problemResolve resolves the problem with its permanent fix and, when
// chosen, every open linked incident in one step.
func (s *server) problemResolve(rq *request) error {
	return s.problemAction(rq, "resolve", "problem_resolved", func(version int) (string, error) {
		f := rq.r.PostForm
		_, _, err := s.opts.Problems.Resolve(rq.ctx, rq.ref(), problem.ResolveInput{Fix: f.Get("fix"),
			Incidents: f.Get("incidents") == "1", Code: desk.ResolutionCode(f.Get("resolution_code")), IfVersion: version})
		return "", err
	})
}

// problemLink links the incidents typed (numbers separated by spaces,
// commas or lines); each that cannot be linked is said with its reason.
func (s *server) problemLink(rq *request) error {
	return s.problemAction(rq, "link", "problem_linked", func(int) (string, error) {
		refs := childRefs(url.Values{"more": {rq.r.PostFormValue("tickets")}})
		res, err := s.opts.Problems.Link(rq.ctx, rq.ref(), refs)
		if err != nil {
			return "", err
		}
		if len(res.Skipped) > 0 {
			return "", skippedError(rq, res.Skipped)
		}
		return "", nil
	})
}

// skippedError says which incidents were not linked and why, as an error
// of the form's tickets field (the others are linked).
func skippedError(rq *request, skipped []problem.Skipped) error {
	var b strings.Builder
	b.WriteString(rq.lang.T("problem.link.skipped"))
	for i, sk := range skipped {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" " + sk.Ticket + " (" + rq.lang.enum("problem.skip", sk.Code) + ")")
	}
	return desk.InvalidFields(desk.FieldError{Field: "tickets", Message: b.String()})
}

// problemUnlink removes an incident's link.
func (s *server) problemUnlink(rq *request) error {
	return s.problemAction(rq, "unlink", "problem_unlinked", func(int) (string, error) {
		return "", s.opts.Problems.Unlink(rq.ctx, rq.ref(), rq.r.PostFormValue("ticket"))
	})
}
