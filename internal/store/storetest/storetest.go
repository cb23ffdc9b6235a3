// Package storetest is the one behavioural test suite every desk.Store
// implementation runs (internal/store/sqlite and internal/store/postgres),
// against a real database: numbering, optimistic concurrency, idempotency,
// filters and keyset paging, search, history and the directory.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/tierdesk/tierdesk/internal/desk"
)

// Opener returns a fresh, migrated, empty store for one test; the test's
// cleanup closes it.
type Opener func(t *testing.T) desk.Store

// Run runs the whole suite, each test on its own store and in parallel.
func Run(t *testing.T, open Opener) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Opener)
	}{
		{"Tickets", testTickets},
		{"Concurrency", testConcurrency},
		{"Idempotency", testIdempotency},
		{"CreateConcurrent", testCreateConcurrent},
		{"CreateNumberBlocks", testCreateNumberBlocks},
		{"ListTickets", testListTickets},
		{"Paging", testPaging},
		{"Search", testSearch},
		{"SearchStems", testSearchStems},
		{"Similar", testSimilar},
		{"Triage", testTriage},
		{"Events", testEvents},
		{"Users", testUsers},
		{"RequesterLookup", testRequesterLookup},
		{"UserSave", testUserSave},
		{"RequesterTags", testRequesterTags},
		{"Tokens", testTokens},
		{"Groups", testGroups},
		{"Categories", testCategories},
		{"Services", testServices},
		{"Matrix", testMatrix},
		{"SLA", testSLA},
		{"ExternalImport", testExternalImport},
		{"Timers", testTimers},
		{"Report", testReport},
		{"Mail", testMail},
		{"Attachments", testAttachments},
		{"MailRate", testMailRate},
		{"Integrations", testIntegrations},
		{"Alerts", testAlerts},
		{"AlertsConcurrent", testAlertsConcurrent},
		{"Sessions", testSessions},
		{"SLAStatus", testSLAStatus},
		{"Links", testLinks},
		{"Merge", testMerge},
		{"Ratings", testRatings},
		{"SavedFilters", testSavedFilters},
		{"Dashboard", testDashboard},
		{"RatingCounts", testRatingCounts},
		{"PromiseCounts", testPromiseCounts},
		{"Schedules", testSchedules},
		{"EscalationPolicies", testEscalationPolicies},
		{"Pages", testPages},
		{"NotifyWrites", testNotifyWrites},
		{"Preferences", testPreferences},
		{"Recipients", testRecipients},
		{"Calls", testCalls},
		{"GroupQueueCounts", testGroupQueueCounts},
		{"DashboardMix", testDashboardMix},
		{"DashboardConcurrent", testDashboardConcurrent},
		{"MajorIncidents", testMajor},
		{"StatusPage", testStatusPage},
		{"Knowledge", testKnowledge},
		{"Problems", testProblems},
		{"BreachCases", testBreachCases},
		{"BreachNotices", testBreachNotices},
		{"Evidence", testEvidence},
		{"Playbooks", testPlaybooks},
		{"Diagnosis", testDiagnosis},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, open)
		})
	}
}

// cmpOpts treat nil and empty slices alike: stores need not tell them
// apart. An event's unexported fields carry what the desk passes from a
// change to its notices in memory (line 1's diagnosis answers) and are
// never stored, so a store is not asked to return them.
var cmpOpts = []cmp.Option{cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(desk.Event{})}

// diff fails the test with a (-want +got) diff when want and got differ.
func diff(t *testing.T, what string, want, got any) {
	t.Helper()
	if d := cmp.Diff(want, got, cmpOpts...); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", what, d)
	}
}

// must fails the test at once on err.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// wantCode checks that err carries the desk error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := desk.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// wantField checks that err is a desk error of code naming field.
func wantField(t *testing.T, what string, err error, code, field string) {
	t.Helper()
	wantCode(t, what, err, code)
	var e *desk.Error
	if !errors.As(err, &e) {
		return
	}
	for _, f := range e.Fields {
		if f.Field == field {
			return
		}
	}
	t.Errorf("%s: error %v names fields %v, want %q", what, err, e.Fields, field)
}

// base is the time the fixtures' tickets are created around.
var base = time.Date(2026, 3, 2, 9, 0, 0, 123456000, time.UTC)

func ctx(t *testing.T) context.Context { return t.Context() }

func ptr[T any](v T) *T { return &v }
