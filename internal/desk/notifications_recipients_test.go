package desk_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tierdesk/tierdesk/internal/desk"
	"github.com/tierdesk/tierdesk/internal/testdb"
)

// countingStore counts how a desk reads the people it notifies.
type countingStore struct {
	desk.Store
	recipients, users, prefs atomic.Int64
}

func (s *countingStore) Recipients(ctx context.Context, ids []int64) (map[int64]desk.Recipient, error) {
	s.recipients.Add(1)
	return s.Store.Recipients(ctx, ids)
}

func (s *countingStore) GetUser(ctx context.Context, id int64) (*desk.User, error) {
	s.users.Add(1)
	return s.Store.GetUser(ctx, id)
}

func (s *countingStore) GetPreferences(ctx context.Context, id int64) (*desk.Preferences, error) {
	s.prefs.Add(1)
	return s.Store.GetPreferences(ctx, id)
}

// TestNotifications_GroupReadAtOnce: a ticket routed to the group of ten
// tells every active member who has not turned group assignments off,
// and the members are read at once (one read of recipients for the
// group, one for the requester), not a user and a preferences row each.
func TestNotifications_GroupReadAtOnce(t *testing.T) {
	ctx := context.Background()
	st := &countingStore{Store: testdb.SQLite(t)}
	d := desk.New(st, testdb.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)), desk.DefaultConfig)
	adminUser, _, err := d.Bootstrap(ctx, desk.UserInput{Email: "admin@example.com", Name: "Ada", Role: desk.RoleAdmin}, false)
	if err != nil {
		t.Fatal(err)
	}
	admin := desk.WithActor(ctx, adminUser)
	groups, err := d.Groups(admin) // the default group, which takes the ticket
	if err != nil || len(groups) != 1 {
		t.Fatalf("groups %v, %v", groups, err)
	}
	g := groups[0]
	var want []string
	for i := range 10 {
		u, err := d.CreateUser(admin, desk.UserInput{Email: fmt.Sprintf("m%d@example.com", i), Name: fmt.Sprint("M", i),
			Role: desk.RoleAgent, Groups: []int64{g.ID}})
		if err != nil {
			t.Fatal(err)
		}
		switch i {
		case 3: // left the desk
			off := false
			if _, err := d.UpdateUser(admin, u.ID, desk.UserPatch{Active: &off}); err != nil {
				t.Fatal(err)
			}
		case 6: // turned group assignments off
			if _, err := d.SetUserPreferences(desk.WithActor(ctx, u), u.ID, desk.PreferencesPatch{
				Notifications: map[desk.OutboxKind]bool{desk.OutboxGroupAssigned: false}}); err != nil {
				t.Fatal(err)
			}
		default:
			want = append(want, fmt.Sprintf("group_assigned → %d", u.ID))
		}
	}
	requester, _, err := d.Bootstrap(ctx, desk.UserInput{Email: "sam@example.com", Name: "Sam", Role: desk.RoleRequester}, false)
	if err != nil {
		t.Fatal(err)
	}
	st.recipients.Store(0)
	st.users.Store(0)
	st.prefs.Store(0)
	tk, _, err := d.CreateTicket(desk.WithActor(ctx, requester), desk.NewTicket{Type: desk.TypeIncident, Title: "Jammed",
		Channel: desk.ChannelPortal}, "")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Group.ID != g.ID {
		t.Fatalf("routed to group %d, want %d", tk.Group.ID, g.ID)
	}
	if r, u, p := st.recipients.Load(), st.users.Load(), st.prefs.Load(); r != 2 || u != 0 || p != 0 {
		t.Errorf("creating read recipients %d times, users %d, preferences %d; want 2, 0, 0", r, u, p)
	}
	page, err := d.Outbox(admin, desk.OutboxQueued, "", desk.MaxPageSize)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range page.Messages {
		if m.Kind == desk.OutboxGroupAssigned {
			got = append(got, fmt.Sprintf("%s → %d", m.Kind, m.UserID))
		}
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("told %q, want %q", got, want)
	}
}
