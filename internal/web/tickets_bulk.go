package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Bulk actions on the tickets selected on the Tickets page: assign, move to
// another group, set the category, link to a parent, comment, and merge
// duplicates into one. Each ticket goes through the desk's own rules for
// the action (who may, the state machine, the version the page showed), so
// some may be refused while others change; the page lists the outcome of
// each.

func init() {
	registerArea("tickets_bulk", func(s *server) {
		s.post("/tickets/bulk", staffOnly, s.ticketsBulk)
	})
}

// bulkActions are the actions in the order the page offers them.
var bulkActions = []string{"assign", "group", "category", "parent", "comment", "merge"}

// bulkResult is what a bulk action did, ticket by ticket.
type bulkResult struct {
	Action string
	Into   string // merge: the surviving ticket
	Lines  []bulkLine
	Done   int
}

type bulkLine struct {
	Number string
	Err    string // the refusal in the user's words; "" when done
}

// selected reads the "t" values, "NUMBER:VERSION" as the page showed them.
func selected(rq *request) []desk.TicketRef {
	var out []desk.TicketRef
	for _, v := range rq.r.PostForm["t"] {
		ref, ver, _ := strings.Cut(v, ":")
		n, _ := strconv.Atoi(ver)
		if ref = strings.TrimSpace(ref); ref != "" && !slices.ContainsFunc(out, func(r desk.TicketRef) bool { return r.Ref == ref }) {
			out = append(out, desk.TicketRef{Ref: ref, Version: n})
		}
	}
	return out
}

func (s *server) ticketsBulk(rq *request) error {
	back, err := url.ParseQuery(rq.r.PostFormValue("back"))
	if err != nil {
		back = url.Values{}
	}
	v, err := s.ticketsContext(rq)
	if err != nil {
		return err
	}
	refs, action := selected(rq), rq.r.PostFormValue("action")
	errs := s.checkBulk(rq, refs, action)
	if len(errs) == 0 {
		res, err := s.runBulk(rq, refs, action)
		if fe := fieldErrors(rq, err); fe != nil {
			errs = fe
		} else if err != nil && desk.ErrorCode(err) == desk.ECONFLICT {
			errs = map[string]string{"into": rq.errorText(err)}
		} else if err != nil {
			return err
		}
		v.Bulk = res
	}
	form := url.Values{}
	for k, vs := range back {
		form[k] = vs
	}
	for k, vs := range rq.r.PostForm {
		if k != "csrf" && k != "back" {
			form[k] = vs
		}
	}
	if id := back.Get("filter"); id != "" {
		if err := s.loadCurrentFilter(rq, v, id, back); err != nil {
			return err
		}
	}
	if spec, ferrs := s.readFilter(rq, back, v); len(ferrs) == 0 {
		s.runFilter(rq, v, spec, "")
	}
	if len(errs) > 0 {
		form.Set("form", "bulk")
		return rq.renderForm(422, "tickets", v, form, errs)
	}
	return rq.renderForm(200, "tickets", v, form, nil)
}

// checkBulk checks what the page can before any ticket changes: a
// selection, a known action, the action's own input.
func (s *server) checkBulk(rq *request, refs []desk.TicketRef, action string) map[string]string {
	errs := map[string]string{}
	need := func(field string) {
		if strings.TrimSpace(rq.r.PostFormValue(field)) == "" {
			errs[field], _ = rq.lang.ruleText(desk.RuleRequired, nil)
		}
	}
	if len(refs) == 0 {
		errs["t"] = rq.lang.T("tickets.bulk.none")
	}
	switch action {
	case "assign":
		need("assignee")
	case "group":
		need("group")
		need("reason")
	case "category":
		need("category")
	case "parent":
		need("parent")
	case "comment":
		need("body")
	case "merge":
		need("into")
		if len(refs) > 0 && len(refs) < 2 {
			errs["t"] = rq.lang.T("tickets.bulk.merge_two")
		}
	default:
		errs["action"], _ = rq.lang.ruleText(desk.RuleOneOf, desk.Params{"allowed": bulkActions})
	}
	return errs
}

// runBulk applies action to each ticket; an error is returned only when
// the action as a whole is refused (a merge into a closed ticket).
func (s *server) runBulk(rq *request, refs []desk.TicketRef, action string) (*bulkResult, error) {
	res := &bulkResult{Action: action}
	if action == "merge" {
		return s.bulkMerge(rq, refs, res)
	}
	one, err := s.bulkStep(rq, action)
	if err != nil {
		return nil, err
	}
	for _, r := range refs {
		res.add(rq, r.Ref, one(r))
	}
	return res, nil
}

func (res *bulkResult) add(rq *request, ref string, err error) {
	line := bulkLine{Number: ref}
	if err != nil {
		line.Err = rq.errorText(err)
		if fe := fieldErrors(rq, err); len(fe) > 0 {
			for _, m := range fe {
				line.Err = m
			}
		}
	} else {
		res.Done++
	}
	res.Lines = append(res.Lines, line)
}

// bulkStep is the desk call of action for one ticket.
func (s *server) bulkStep(rq *request, action string) (func(desk.TicketRef) error, error) {
	f := rq.r.PostFormValue
	id := func(name string) int64 { n, _ := strconv.ParseInt(f(name), 10, 64); return n }
	switch action {
	case "assign":
		who := id("assignee")
		if f("assignee") == "me" {
			who = rq.user.ID
		}
		return func(r desk.TicketRef) error {
			_, err := s.desk.UpdateTicket(rq.ctx, r.Ref, desk.TicketPatch{AssigneeID: &who, IfVersion: r.Version})
			return err
		}, nil
	case "group":
		g := id("group")
		return func(r desk.TicketRef) error {
			_, err := s.desk.UpdateTicket(rq.ctx, r.Ref, desk.TicketPatch{GroupID: &g, Reason: f("reason"), IfVersion: r.Version})
			return err
		}, nil
	case "category":
		cat, sub, err := s.categoryPair(rq, id("category"))
		if err != nil {
			return nil, err
		}
		return func(r desk.TicketRef) error {
			_, err := s.desk.UpdateTicket(rq.ctx, r.Ref, desk.TicketPatch{CategoryID: &cat, SubcategoryID: &sub, IfVersion: r.Version})
			return err
		}, nil
	case "parent":
		return func(r desk.TicketRef) error {
			_, err := s.desk.LinkTickets(rq.ctx, r.Ref, desk.LinkInput{Kind: desk.LinkChildOf, Ticket: strings.TrimSpace(f("parent"))})
			return err
		}, nil
	}
	internal := f("internal") != ""
	return func(r desk.TicketRef) error {
		_, _, err := s.desk.Comment(rq.ctx, r.Ref, desk.CommentInput{Body: f("body"), Internal: internal})
		return err
	}, nil
}

// categoryPair turns the chosen category into category and subcategory.
func (s *server) categoryPair(rq *request, id int64) (cat, sub int64, err error) {
	cats, err := s.desk.Categories(rq.ctx)
	if err != nil {
		return 0, 0, err
	}
	for _, c := range cats {
		if c.ID == id {
			if c.ParentID != 0 {
				return c.ParentID, c.ID, nil
			}
			return c.ID, 0, nil
		}
	}
	return 0, 0, desk.InvalidFields(desk.Invalid("category", desk.RuleUnknown, nil, "no category %d", id))
}

// bulkMerge merges the selected tickets into the one named "into" (one of
// them, or any other ticket).
func (s *server) bulkMerge(rq *request, refs []desk.TicketRef, res *bulkResult) (*bulkResult, error) {
	into := strings.TrimSpace(rq.r.PostFormValue("into"))
	var dups []desk.TicketRef
	for _, r := range refs {
		if !strings.EqualFold(r.Ref, into) {
			dups = append(dups, r)
		}
	}
	t, out, err := s.desk.MergeTickets(rq.ctx, desk.MergeInput{Into: into, Duplicates: dups})
	if desk.ErrorCode(err) == desk.ENOTFOUND {
		return nil, desk.InvalidFields(desk.Invalid("into", desk.RuleUnknown, nil, "no ticket %q", into))
	}
	if err != nil {
		return nil, err
	}
	res.Into = t.Number
	for _, o := range out {
		res.add(rq, o.Ref, o.Err)
	}
	return res, nil
}
