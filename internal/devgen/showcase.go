package devgen

import (
	"context"
	"fmt"
	"strings"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
)

// Showcase builds, through the desk's own operations (so that every
// history entry is what real use writes), a small desk with every kind
// of record a page may have to show: tickets in every state, priority,
// hold reason and channel; rated and unrated; SLA targets met and
// breached; escalations to lines 2 and 3 and to a manager; comments and
// internal notes; attachments; links; scheduled and canceled calls;
// alert incidents; pages (on call), running and acknowledged; problems
// in every state with linked incidents (showcase_problem.go); imported
// ServiceNow incidents; restricted tickets; Russian and English
// requesters. The page smoke test renders every page over it.
//
// Background work (SLA sweeps, paging) is run by opts.RunDue, which the
// caller wires to internal/jobs and internal/pager (devgen does not
// depend on them).
func Showcase(ctx context.Context, d *desk.Desk, st *sqlstore.Store, opts ShowcaseOptions) (*ShowcaseDesk, error) {
	b := &showcase{ctx: ctx, d: d, st: st, opts: opts, out: &ShowcaseDesk{People: map[string]*desk.User{}}}
	steps := []func(){b.directory, b.catalogue, b.lifecycle, b.holds, b.priorities, b.channels,
		b.breached, b.escalations, b.extras, b.replies, b.restricted, b.alerts, b.paging, b.imported, b.writtenInEnglish, b.seeded,
		b.kb, b.diagnosis, b.majors, b.sso, b.security, b.triage, b.problems}
	for _, step := range steps {
		step()
		if b.err != nil {
			return nil, fmt.Errorf("showcase: %w", b.err)
		}
	}
	return b.out, nil
}

// ShowcaseOptions configures Showcase.
type ShowcaseOptions struct {
	Password string                          // every person's password
	RunDue   func(ctx context.Context) error // runs the background work due now
}

// ShowcaseDesk is what Showcase made.
type ShowcaseDesk struct {
	// People by role: requester_ru, requester_en, agent_l1, agent_l2,
	// agent_l3, manager, admin, security (a security group's member).
	People  map[string]*desk.User
	Tickets []ShowcaseTicket
	// English is every piece of English text the showcase wrote as data
	// (names, titles, comments, file names): pages in Russian show it as
	// it is.
	English []string
}

// ShowcaseTicket is one ticket and what kind of record it shows.
type ShowcaseTicket struct {
	Number      string
	Kind        string // e.g. "state/on_hold/awaiting_vendor", "alert", "servicenow"
	RequesterID int64
}

// showcase is the builder: each step stops at the first error.
type showcase struct {
	ctx    context.Context
	d      *desk.Desk
	st     *sqlstore.Store
	opts   ShowcaseOptions
	out    *ShowcaseDesk
	err    error
	groups [4]*desk.Group // by line; [0] unused
	cat    *desk.Category
	sub    *desk.Category
	svc    *desk.Service
	n      int // tickets made, for distinct titles
}

func (b *showcase) fail(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

func (b *showcase) as(role string) context.Context {
	return desk.WithActor(b.ctx, b.out.People[role])
}

func (b *showcase) english(s ...string) { b.out.English = append(b.out.English, s...) }

func (b *showcase) directory() {
	sys := desk.AsSystem(b.ctx)
	def, err := b.st.DefaultGroup(b.ctx)
	b.fail(err)
	b.groups[1] = def
	for line, name := range map[desk.Line]string{desk.Line2: "Сеть и связь", desk.Line3: "Базы данных"} {
		g, err := b.d.CreateGroup(sys, desk.GroupInput{Name: name, Line: line})
		b.fail(err)
		b.groups[line] = g
	}
	if b.err != nil {
		return
	}
	people := []struct {
		key, name, email string
		role             desk.Role
		group            *desk.Group
	}{
		{"admin", "Анна Админова", "admin@showcase.example", desk.RoleAdmin, nil},
		{"manager", "Мария Руководова", "manager@showcase.example", desk.RoleManager, b.groups[1]},
		{"agent_l1", "Ольга Первова", "l1@showcase.example", desk.RoleAgent, b.groups[1]},
		{"agent_l2", "Николай Сетевой", "l2@showcase.example", desk.RoleAgent, b.groups[2]},
		{"agent_l3", "Вера Базова", "l3@showcase.example", desk.RoleAgent, b.groups[3]},
		{"requester_ru", "Иван Петров", "ivan@showcase.example", desk.RoleRequester, nil},
		{"requester_en", "John Smith", "john@showcase.example", desk.RoleRequester, nil},
	}
	b.english("John Smith")
	for _, p := range people {
		in := desk.UserInput{Email: p.email, Name: p.name, Role: p.role, Organization: "ООО «Ромашка»"}
		if p.group != nil {
			in.Groups = []int64{p.group.ID}
		}
		u, err := b.d.CreateUser(sys, in)
		b.fail(err)
		if err != nil {
			return
		}
		b.fail(b.d.SetPassword(sys, u.ID, b.opts.Password))
		b.out.People[p.key] = u
	}
	mgr := b.out.People["manager"].ID
	_, err = b.d.UpdateGroup(sys, def.ID, desk.GroupPatch{ManagerID: &mgr})
	b.fail(err)
	// Some people chose their grammatical gender, the others did not: the
	// timeline shows both wordings.
	for key, g := range map[string]desk.Gender{"agent_l1": desk.GenderFeminine, "agent_l2": desk.GenderMasculine,
		"requester_ru": desk.GenderMasculine} {
		_, err := b.d.SetUserPreferences(b.as("admin"), b.out.People[key].ID, desk.PreferencesPatch{Gender: &g})
		b.fail(err)
	}
}

func (b *showcase) catalogue() {
	admin := b.as("admin")
	var err error
	b.cat, err = b.d.CreateCategory(admin, desk.CategoryInput{Name: "Оборудование"})
	b.fail(err)
	if err == nil {
		b.sub, err = b.d.CreateCategory(admin, desk.CategoryInput{Name: "Принтеры", ParentID: b.cat.ID})
		b.fail(err)
	}
	b.svc, err = b.d.CreateService(admin, desk.ServiceInput{Name: "Электронная почта", Description: "Почта и календари сотрудников"})
	b.fail(err)
}

// ticket registers a ticket as actor (a staff key or a requester key);
// staff register for the Russian requester unless in names someone.
func (b *showcase) ticket(kind, actor string, in desk.NewTicket) *desk.Ticket {
	if b.err != nil {
		return nil
	}
	b.n++
	if in.Type == "" {
		in.Type = desk.TypeIncident
	}
	if in.Title == "" {
		in.Title = fmt.Sprintf("Не печатает принтер на %d этаже", b.n)
	}
	if in.Description == "" {
		in.Description = "После обновления драйвера принтер перестал печатать, очередь печати зависает."
	}
	if in.Channel == "" {
		in.Channel = desk.ChannelPhone
	}
	if in.Requester == (desk.PersonInput{}) && !strings.HasPrefix(actor, "requester") {
		in.Requester = desk.PersonInput{Email: b.out.People["requester_ru"].Email}
	}
	t, _, err := b.d.CreateTicket(b.as(actor), in, "")
	b.fail(err)
	if err != nil {
		return nil
	}
	b.out.Tickets = append(b.out.Tickets, ShowcaseTicket{Number: t.Number, Kind: kind, RequesterID: t.Requester.ID})
	return t
}

// move runs transitions on t as actor, stopping at the first error.
func (b *showcase) move(t *desk.Ticket, actor string, ins ...desk.TransitionInput) {
	for _, in := range ins {
		if b.err != nil || t == nil {
			return
		}
		_, err := b.d.Transition(b.as(actor), t.Number, in)
		b.fail(err)
	}
}

func (b *showcase) take(t *desk.Ticket, agent string) {
	id := b.out.People[agent].ID
	b.move(t, agent, desk.TransitionInput{To: desk.StateAssigned, AssigneeID: id},
		desk.TransitionInput{To: desk.StateInProgress, AssigneeID: id})
}

func resolve(notes string) desk.TransitionInput {
	return desk.TransitionInput{To: desk.StateResolved, ResolutionCode: desk.ResolutionCodes[0], ResolutionNotes: notes}
}

func (b *showcase) comment(t *desk.Ticket, actor, body string, internal bool) {
	if b.err != nil || t == nil {
		return
	}
	_, _, err := b.d.Comment(b.as(actor), t.Number, desk.CommentInput{Body: body, Internal: internal})
	b.fail(err)
}
