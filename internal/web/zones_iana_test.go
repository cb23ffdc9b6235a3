package web

import (
	"archive/zip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // as cmd/tierdesk: the zones load without /usr/share/zoneinfo
)

// TestIANAZones_LoadEmbedded: every zone the pages offer is in the zone
// data Go embeds with time/tzdata (built from $GOROOT/lib/time/zoneinfo.zip,
// so read from there to leave the machine's own zoneinfo out) and loads
// from it; the list is sorted after UTC, has no duplicates, and names the
// zones people look for.
func TestIANAZones_LoadEmbedded(t *testing.T) {
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Fatalf("Go's zone data: %v", err)
	}
	defer zr.Close()
	embedded := map[string]*zip.File{}
	for _, f := range zr.File {
		embedded[f.Name] = f
	}
	for _, name := range ianaZones {
		f, ok := embedded[name]
		if !ok {
			t.Errorf("%s is offered but not in Go's embedded zone data", name)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := time.LoadLocationFromTZData(name, data); err != nil {
			t.Errorf("%s does not load from the embedded data: %v", name, err)
		}
		if _, err := time.LoadLocation(name); err != nil {
			t.Errorf("time.LoadLocation(%s): %v", name, err)
		}
	}
	if ianaZones[0] != "UTC" || !slices.IsSorted(ianaZones[1:]) || len(slices.Compact(slices.Clone(ianaZones))) != len(ianaZones) {
		t.Error("the list is not UTC then sorted names without repeats")
	}
	for _, want := range []string{"Europe/Moscow", "Asia/Kolkata", "America/Argentina/Buenos_Aires", "Pacific/Chatham", "Asia/Kathmandu", "Etc/GMT-14"} {
		if !slices.Contains(ianaZones, want) {
			t.Errorf("the list lacks %s", want)
		}
	}
	if len(ianaZones) < 400 {
		t.Errorf("only %d zones offered; the tz database has over 400", len(ianaZones))
	}
}

// TestIANAZones_Generated: zones_iana.go is what zones_gen.go makes of the
// machine's tzdata.zi, when the machine has one of the same release (a
// newer tzdata package is a reason to run go generate, not a failure).
func TestIANAZones_Generated(t *testing.T) {
	zi, err := os.ReadFile("/usr/share/zoneinfo/tzdata.zi")
	if err != nil {
		t.Skip("no /usr/share/zoneinfo/tzdata.zi here (Debian's tzdata package)")
	}
	src, err := os.ReadFile("zones_iana.go")
	if err != nil {
		t.Fatal(err)
	}
	release := strings.Fields(strings.SplitN(string(zi), "\n", 2)[0]) // "# version 2025b"
	if len(release) < 3 || !strings.Contains(strings.SplitN(string(src), "\n", 2)[0], "tzdata.zi "+release[2]+";") {
		t.Skipf("tzdata.zi here is %v; zones_iana.go was made from another release", release)
	}
	var zones []string
	for _, line := range strings.Split(string(zi), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "Z" && f[1] != "Etc/UTC" {
			zones = append(zones, f[1])
		}
	}
	for _, z := range zones {
		if !slices.Contains(ianaZones, z) {
			t.Errorf("tzdata.zi's zone %s is not offered: run go generate ./internal/web", z)
		}
	}
	if len(ianaZones) != len(zones)+1 {
		t.Errorf("%d zones offered, tzdata.zi has %d and UTC", len(ianaZones), len(zones))
	}
}
