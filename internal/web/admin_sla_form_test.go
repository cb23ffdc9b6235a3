package web

import (
	"testing"
	"time"
)

// TestParseTarget: the ways a person writes a target, in both languages,
// and what is refused (with which message).
func TestParseTarget(t *testing.T) {
	for _, tc := range []struct {
		in       string
		required bool
		want     time.Duration
		err      string
	}{
		{"4h 30m", true, 4*time.Hour + 30*time.Minute, ""},
		{" 4H30M ", true, 4*time.Hour + 30*time.Minute, ""},
		{"4 hours, 5 minutes", true, 4*time.Hour + 5*time.Minute, ""},
		{"4ч 30м", true, 4*time.Hour + 30*time.Minute, ""},
		{"2 часа 15 мин.", true, 2*time.Hour + 15*time.Minute, ""},
		{"45m", true, 45 * time.Minute, ""},
		{"90 min", true, 90 * time.Minute, ""},
		{"1:30", true, 90 * time.Minute, ""},
		{"10000h", true, 10000 * time.Hour, ""},
		{"", false, 0, ""},
		{"", true, 0, "admin.sla.err.target_required"},
		{"0m", true, 0, "admin.sla.err.target_required"},
		{"90", true, 0, "admin.sla.err.target"},
		{"1.5h", true, 0, "admin.sla.err.target"},
		{"4h 4h", true, 0, "admin.sla.err.target"},
		{"2d", true, 0, "admin.sla.err.target"},
		{"1:75", true, 0, "admin.sla.err.target"},
		{"-4h", true, 0, "admin.sla.err.target"},
		{"10000h 1m", true, 0, "admin.sla.err.target_long"},
		{"999999999h", true, 0, "admin.sla.err.target"},
	} {
		got, err := parseTarget(tc.in, tc.required)
		if got != tc.want || err != tc.err {
			t.Errorf("parseTarget(%q, %v) = %v, %q; want %v, %q", tc.in, tc.required, got, err, tc.want, tc.err)
		}
		if err == "" && got > 0 {
			if back, _ := parseTarget(targetInput(got), true); back != got {
				t.Errorf("%v written as %q reads back as %v", got, targetInput(got), back)
			}
		}
	}
}
