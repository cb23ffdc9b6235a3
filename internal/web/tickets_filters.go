package web

import (
	"net/url"
	"strconv"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Saved filters from the Tickets page: save the search shown under a name
// and share it with some of one's groups; the owner renames, reshares,
// saves the changed search into it, or deletes it. The desk decides who may
// (desk.CanChangeFilter).

func init() {
	registerArea("tickets_filters", func(s *server) {
		s.post("/ticket-filters", staffOnly, s.createTicketFilter)
		s.post("/ticket-filters/{id}", staffOnly, s.updateTicketFilter)
		s.post("/ticket-filters/{id}/delete", staffOnly, s.deleteTicketFilter)
	})
}

// postedFilter reads the search a filter form carries (its "query" field,
// the page's query string) and the name and groups.
func (s *server) postedFilter(rq *request, v *ticketsView) (desk.SavedFilterInput, url.Values, map[string]string) {
	q, err := url.ParseQuery(rq.r.PostFormValue("query"))
	if err != nil {
		q = url.Values{}
	}
	spec, errs := s.readFilter(rq, q, v)
	in := desk.SavedFilterInput{Name: rq.r.PostFormValue("name"), Filter: spec}
	for _, g := range rq.r.PostForm["shared_with"] {
		if id, err := strconv.ParseInt(g, 10, 64); err == nil {
			in.SharedWith = append(in.SharedWith, id)
		}
	}
	for _, k := range []string{"name", "shared_with", "form"} {
		q[k] = rq.r.PostForm[k]
	}
	return in, q, errs
}

// filterFormErrors renders the page again with the form's errors; the
// desk names the spec's fields "filter.x", shown at the top of the form.
func (s *server) filterFormErrors(rq *request, v *ticketsView, q url.Values, err error) error {
	errs := fieldErrors(rq, err)
	if errs == nil {
		if desk.ErrorCode(err) != desk.EINVALID && desk.ErrorCode(err) != desk.ECONFLICT {
			return err
		}
		errs = map[string]string{"": rq.errorText(err)}
	}
	if desk.ErrorCode(err) == desk.ECONFLICT && len(errs) == 1 {
		if _, ok := errs["name"]; !ok {
			errs = map[string]string{"name": rq.errorText(err)}
		}
	}
	for k, m := range errs {
		if k != "name" && k != "shared_with" && k != "" {
			errs["filter"] = m
		}
	}
	_ = s.runFilterQuietly(rq, v, q)
	return rq.renderForm(422, "tickets", v, q, errs)
}

// runFilterQuietly lists the search under a refused form, ignoring its own
// errors (the form's are shown).
func (s *server) runFilterQuietly(rq *request, v *ticketsView, q url.Values) error {
	spec, errs := s.readFilter(rq, q, v)
	if len(errs) > 0 {
		return nil
	}
	s.runFilter(rq, v, spec, "")
	return nil
}

func (s *server) createTicketFilter(rq *request) error {
	v, err := s.ticketsContext(rq)
	if err != nil {
		return err
	}
	in, q, errs := s.postedFilter(rq, v)
	if len(errs) > 0 {
		return rq.renderForm(422, "tickets", v, q, errs)
	}
	f, err := s.desk.CreateSavedFilter(rq.ctx, in)
	if err != nil {
		return s.filterFormErrors(rq, v, q, err)
	}
	return rq.redirect("/tickets?filter=" + strconv.FormatInt(f.ID, 10) + "&done=filter_saved")
}

// updateTicketFilter renames and reshares a filter; with "search" set it
// also replaces its search with the one the page shows.
func (s *server) updateTicketFilter(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return desk.Errorf(desk.ENOTFOUND, "no saved filter %q", rq.r.PathValue("id"))
	}
	cur, err := s.desk.SavedFilter(rq.ctx, id)
	if err != nil {
		return err
	}
	v, err := s.ticketsContext(rq)
	if err != nil {
		return err
	}
	v.Current, v.CanChange = cur, desk.CanChangeFilter(rq.user, cur)
	in, q, errs := s.postedFilter(rq, v)
	if len(errs) > 0 {
		return rq.renderForm(422, "tickets", v, q, errs)
	}
	if rq.r.PostFormValue("search") == "" {
		in.Filter = cur.Filter
	}
	if _, err := s.desk.UpdateSavedFilter(rq.ctx, id, in); err != nil {
		return s.filterFormErrors(rq, v, q, err)
	}
	return rq.redirect("/tickets?filter=" + strconv.FormatInt(id, 10) + "&done=filter_changed")
}

func (s *server) deleteTicketFilter(rq *request) error {
	id, err := strconv.ParseInt(rq.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return desk.Errorf(desk.ENOTFOUND, "no saved filter %q", rq.r.PathValue("id"))
	}
	if err := s.desk.DeleteSavedFilter(rq.ctx, id); err != nil {
		return err
	}
	return rq.redirect("/tickets?done=filter_deleted")
}
