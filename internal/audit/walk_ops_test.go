package audit_test

import (
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/major"
	"github.com/tierdesk/tierdesk/internal/problem"
	"github.com/tierdesk/tierdesk/internal/sso"
	"github.com/tierdesk/tierdesk/internal/statuspage"
	"github.com/tierdesk/tierdesk/internal/testdb"
	"github.com/tierdesk/tierdesk/internal/triagedesk"
)

// TestStore_EveryWriteAudited_Operations walks the writes of on-call and
// paging, major incidents, the status page, problems, triage and sign-on
// settings: each appends its own entry by the actor who made it, and the
// contact method's and the webhook's secrets are in none.
func TestStore_EveryWriteAudited_Operations(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			w := newWriter(t, s)
			admin := w.user("ops-admin@example.com")
			as := desk.WithActor(bg, admin)
			now := time.Now().UTC().Truncate(time.Second)
			g, err := s.DefaultGroup(bg)
			if err != nil {
				t.Fatal(err)
			}
			svc := &desk.Service{Name: "Mail"}
			if err := s.CreateService(as, svc); err != nil {
				t.Fatal(err)
			}
			sched := &desk.StoredSchedule{Doc: desk.ScheduleDoc{Name: "Nights", Zone: "UTC"}}
			contact := &desk.ContactMethod{UserID: admin.ID, Kind: desk.ContactWebhook, Target: "https://hooks.example.com/x",
				Secret: "contact-secret-4711"}
			rule := &major.Rule{Name: "Mail down", ServiceID: svc.ID, OnP1: true, CommanderID: admin.ID, Enabled: true}
			comp := &statuspage.Component{Name: "Mail", Status: statuspage.Operational, CreatedAt: now, UpdatedAt: now}
			hook := &statuspage.Webhook{URL: "https://status.example.com/h", Secret: "hook-secret-0815", Active: true, CreatedAt: now}
			pr := &problem.Problem{Title: "Mail queue stalls", Impact: desk.LevelMedium, State: problem.StateNew,
				Group: &desk.Ref{ID: g.ID}, CreatedBy: &desk.Ref{ID: admin.ID}, Version: 1, CreatedAt: now, UpdatedAt: now}
			var tk *desk.Ticket
			ssoRule := &sso.Rule{Claim: "groups", Value: "it", Role: desk.RoleAgent}
			steps := []struct {
				kind string
				do   func() error
			}{
				{"schedule.create", func() error { return s.CreateSchedule(as, sched) }},
				{"schedule.update", func() error { sched.Doc.Name = "Nights and weekends"; return s.UpdateSchedule(as, sched) }},
				{"schedule.delete", func() error { return s.DeleteSchedule(as, sched.ID) }},
				{"escalation.save", func() error {
					return s.PutEscalationPolicy(as, &desk.EscalationPolicy{GroupID: g.ID, Name: "Page", Active: true,
						Steps: []desk.EscalationStep{{UserIDs: []int64{admin.ID}, Delay: 5 * time.Minute}}})
				}},
				{"escalation.delete", func() error { return s.DeleteEscalationPolicy(as, g.ID) }},
				{"contact.create", func() error { return s.CreateContactMethod(as, contact) }},
				{"contact.delete", func() error { return s.DeleteContactMethod(as, admin.ID, contact.ID) }},
				{"major.rule_create", func() error { return s.CreateRule(as, rule) }},
				{"major.rule_delete", func() error { return s.DeleteRule(as, rule.ID) }},
				{"status.component", func() error { return s.SaveComponent(as, comp) }},
				{"status.component_delete", func() error { return s.DeleteComponent(as, comp.ID, now) }},
				{"status.webhook_create", func() error { return s.CreateWebhook(as, hook) }},
				{"status.webhook_delete", func() error { return s.DeleteWebhook(as, hook.ID) }},
				{"problem.create", func() error { return s.CreateProblem(as, pr) }},
				{"problem.update", func() error { pr.RootCause = "A full disk"; return s.SaveProblem(as, pr) }},
				{"problem.link", func() error {
					tk = w.ticket("mail stuck")
					return s.LinkIncident(as, problem.Link{ProblemID: pr.ID, TicketID: tk.ID, LinkedAt: now, LinkedBy: admin.ID})
				}},
				{"problem.unlink", func() error { return s.UnlinkIncident(as, pr.ID, tk.ID) }},
				{"setting.triage", func() error {
					return s.SaveTriageSettings(as, triagedesk.Settings{AutoPercent: 90, RetrainEvery: 24 * time.Hour})
				}},
				{"triage.train", func() error { return s.RequestTriageTraining(as, now, admin.ID) }},
				{"sso.rule_create", func() error { return s.CreateSSORule(as, ssoRule) }},
				{"sso.rule_update", func() error { ssoRule.Value = "it-staff"; return s.UpdateSSORule(as, ssoRule) }},
				{"sso.rule_delete", func() error { return s.DeleteSSORule(as, ssoRule.ID) }},
				{"setting.sso", func() error { return s.SetSSOSettings(as, sso.Settings{StaffPasswordsOff: true}) }},
				{"sso.identity", func() error {
					return s.LinkSSOIdentity(as, "https://idp.example.com", "idp-subject-4711", admin.ID, now)
				}},
			}
			for _, st := range steps {
				if err := st.do(); err != nil {
					t.Fatalf("%s: %v", st.kind, err)
				}
				last := lastEntry(t, s)
				if last.Kind != st.kind || last.ActorID != admin.ID {
					t.Errorf("after the %s write the newest entry is %s %s by %d, want by %d", st.kind, last.Kind, last.Subject, last.ActorID, admin.ID)
				}
			}
			// A refused write leaves no entry: a stale problem save.
			before := lastEntry(t, s).Seq
			stale := *pr
			stale.Version--
			if err := s.SaveProblem(as, &stale); desk.ErrorCode(err) != desk.ESTALE {
				t.Fatalf("stale problem save: %v", err)
			}
			if after := lastEntry(t, s).Seq; after != before {
				t.Errorf("a refused problem save left entry %d", after)
			}
			if r := verify(t, s, nil); !r.OK() {
				t.Fatalf("chain after the walk: %v", r.Broken)
			}
			noSecrets(t, s, []string{"contact-secret-4711", "hook-secret-0815", "hooks.example.com", "status.example.com", "idp-subject-4711", "https://hooks.example.com/x"})
		})
	}
}
