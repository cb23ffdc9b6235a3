package audit_test

import (
	"context"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/audit"
	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/diagnosis"
	"github.com/tierdesk/tierdesk/internal/knowledge"
	"github.com/tierdesk/tierdesk/internal/store/sqlstore"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// TestStore_EveryWriteAudited walks every kind of write the desk makes and
// expects each to append its own entry, by the actor who made it, in the
// transaction of the write; then no entry holds a password, a token, a
// session token or their hashes.
func TestStore_EveryWriteAudited(t *testing.T) {
	for _, b := range testdb.Backends {
		t.Run(b.Name, func(t *testing.T) {
			s := b.Open(t)
			d := desk.New(s, desk.SystemClock{}, desk.DefaultConfig)
			w := newWriter(t, s)
			admin := w.user("admin@example.com")
			admin.Role = desk.RoleAdmin
			if err := s.UpdateUser(bg, admin, nil); err != nil {
				t.Fatal(err)
			}
			as := desk.WithActor(bg, admin)
			kn := knowledge.New(s, d, desk.SystemClock{})
			var secrets []string
			var tk *desk.Ticket
			var token string
			var tokID int64
			var art *knowledge.Article
			var sla desk.SLAPolicy
			dx := diagnosis.New(s, d, desk.SystemClock{})
			cat := desk.Category{Name: "Walking printers"}
			var list *diagnosis.Checklist
			steps := []struct {
				kind string
				do   func() error
			}{
				{"user.create", func() error { w.user("walk@example.com"); return nil }},
				{"user.update", func() error { return s.UpdateUser(as, admin, nil) }},
				{"user.password", func() error {
					secrets = append(secrets, "correct horse battery staple")
					return d.SetPassword(as, admin.ID, "correct horse battery staple")
				}},
				{"auth.signin", func() error {
					sess, _, err := d.SignIn(bg, admin.Email, "correct horse battery staple", "192.0.2.1")
					secrets = append(secrets, sess, hex.EncodeToString(desk.HashToken(sess)))
					return err
				}},
				{"auth.failure", func() error {
					secrets = append(secrets, "wrong-horse-secret")
					_, _, err := d.SignIn(bg, admin.Email, "wrong-horse-secret", "")
					if desk.ErrorCode(err) != desk.EUNAUTHENTICATED {
						return err
					}
					return nil
				}},
				{"auth.signout", func() error {
					sess, _, err := d.SignIn(bg, admin.Email, "correct horse battery staple", "")
					if err != nil {
						return err
					}
					secrets = append(secrets, sess)
					return d.SignOut(bg, sess)
				}},
				{"token.create", func() error {
					var err error
					var tok *desk.Token
					token, tok, err = d.IssueToken(as, admin.ID, "walk")
					if tok != nil {
						tokID = tok.ID
					}
					secrets = append(secrets, token, hex.EncodeToString(desk.HashToken(token)))
					return err
				}},
				{"token.delete", func() error { return s.DeleteToken(as, admin.ID, tokID) }},
				{"ticket.create", func() error { tk = w.ticket("walk"); return nil }},
				{"ticket.update", func() error {
					_, _, err := d.Comment(desk.WithActor(bg, admin), tk.Number, desk.CommentInput{Body: "looking"})
					return err
				}},
				{"group.create", func() error { return s.CreateGroup(as, &desk.Group{Name: "Walkers", Line: desk.Line2, Active: true}) }},
				{"group.member", func() error {
					g, _ := s.DefaultGroup(bg)
					return s.SetGroupMember(as, g.ID, admin.ID, true)
				}},
				{"permission.set", func() error { return s.SetPermission(as, admin.ID, "knowledge.edit", true) }},
				{"setting.matrix", func() error {
					m, err := s.GetMatrix(bg)
					if err != nil {
						return err
					}
					return s.SetMatrix(as, m)
				}},
				{"category.create", func() error { return s.CreateCategory(as, &desk.Category{Name: "Walks"}) }},
				{"service.create", func() error { return s.CreateService(as, &desk.Service{Name: "Walking"}) }},
				{"calendar.save", func() error {
					return s.PutCalendar(as, &desk.CalendarSpec{Name: "walk", Location: time.UTC})
				}},
				{"sla.create", func() error {
					sla = desk.SLAPolicy{Name: "Walk", Position: 1, Calendar: "24x7", Response: time.Hour, Resolution: 2 * time.Hour, Active: true}
					return s.CreateSLAPolicy(as, &sla)
				}},
				{"sla.update", func() error { sla.Name = "Walk more"; return s.UpdateSLAPolicy(as, &sla) }},
				{"sla.delete", func() error { return s.DeleteSLAPolicy(as, sla.ID) }},
				{"article.create", func() error {
					var err error
					art, err = kn.Create(as, knowledge.Input{Translations: []knowledge.Translation{{Lang: "en", Title: "Walking", Body: "Step by step."}}})
					return err
				}},
				{"article.update", func() error {
					_, err := kn.SetState(as, art.ID, knowledge.Published, art.Version, "")
					return err
				}},
				{"category.create", func() error { return s.CreateCategory(as, &cat) }},
				{"checklist.create", func() error {
					list = &diagnosis.Checklist{Category: desk.Ref{ID: cat.ID}, Items: []diagnosis.Item{
						{Question: map[string]string{"en": "Plugged in?"}, Kind: diagnosis.YesNo}}}
					return dx.Create(as, list)
				}},
				{"checklist.update", func() error { return dx.Save(as, list, list.Version) }},
				{"checklist.delete", func() error { return dx.Delete(as, list.ID) }},
				{"setting.diagnosis", func() error { return dx.SetMode(as, diagnosis.Require) }},
				{"user.preferences", func() error {
					return s.PutPreferences(as, &desk.Preferences{UserID: admin.ID, Language: "ru", TimeZone: "UTC", UpdatedAt: time.Now()})
				}},
			}
			for _, st := range steps {
				if err := st.do(); err != nil {
					t.Fatalf("%s: %v", st.kind, err)
				}
				last := lastEntry(t, s)
				if last.Kind != st.kind {
					t.Errorf("after the %s write the newest entry is %s %s", st.kind, last.Kind, last.Subject)
				}
			}
			r := verify(t, s, nil)
			if !r.OK() {
				t.Fatalf("chain after the walk: %v", r.Broken)
			}
			noSecrets(t, s, secrets)
		})
	}
}

func lastEntry(t *testing.T, s *sqlstore.Store) *audit.Entry {
	t.Helper()
	if _, err := s.SealAudit(bg); err != nil {
		t.Fatal(err)
	}
	p, err := s.ListAudit(bg, audit.Filter{Limit: 1})
	if err != nil || len(p.Entries) == 0 {
		t.Fatalf("no entry: %v", err)
	}
	return p.Entries[0]
}

// noSecrets fails if any entry's text holds one of secrets.
func noSecrets(t *testing.T, s *sqlstore.Store, secrets []string) {
	t.Helper()
	rows, err := s.DB().QueryContext(context.Background(), "SELECT seq, kind, subject, detail FROM audit_log")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var seq int64
		var kind, subject, detail string
		if err := rows.Scan(&seq, &kind, &subject, &detail); err != nil {
			t.Fatal(err)
		}
		n++
		for _, sec := range secrets {
			if sec != "" && strings.Contains(kind+subject+detail, sec) {
				t.Errorf("entry %d (%s) holds a secret: %s %s", seq, kind, subject, detail)
			}
		}
	}
	if n == 0 || len(secrets) < 6 {
		t.Fatalf("%d entries, %d secrets: nothing was checked", n, len(secrets))
	}
}
