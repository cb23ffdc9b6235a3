// Package deploy holds what runs Tierdesk outside `go run`: the systemd
// unit here, the Dockerfile at the root and tools/release.sh. Its tests
// check them against the rules the packaging promises.
package deploy_test

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/tierdesk/tierdesk/internal/testdb"
)

// staticBuild builds cmd/tierdesk with CGO_ENABLED=0 into dir.
func staticBuild(t *testing.T, dir string, env ...string) string {
	t.Helper()
	bin := filepath.Join(dir, "tierdesk")
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-X main.version=v0.0.0-test", "-o", bin, "../cmd/tierdesk")
	cmd.Env = append(append(os.Environ(), "CGO_ENABLED=0"), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("static build: %v\n%s", err, out)
	}
	return bin
}

// TestStaticBinary_RunsWithoutLibc builds the static binary, checks that it
// asks for no dynamic loader and no shared library, and serves a desk from
// a chroot that holds nothing but the binary (no libc, no /etc, no
// zoneinfo, no CA certificates).
func TestStaticBinary_RunsWithoutLibc(t *testing.T) {
	root := t.TempDir()
	bin := staticBuild(t, root)
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Error("the binary names a dynamic loader (PT_INTERP)")
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		t.Errorf("the binary needs shared libraries: %v", libs)
	}
	f.Close()
	if os.Geteuid() != 0 {
		testdb.Unavailable(t, "chroot needs root")
	}
	cmd := exec.Command("/tierdesk", "serve", "--addr", "127.0.0.1:0", "--data", "/data")
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
	cmd.Dir, cmd.Env = "/", []string{}
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	addr := readAddr(t, stderr)
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/readyz in the chroot: %d", resp.StatusCode)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("the server in the chroot stopped with %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "data", "tierdesk.db")); err != nil {
		t.Errorf("no desk written in the chroot: %v", err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || !strings.Contains(string(out), "v0.0.0-test") {
		t.Errorf("tierdesk version: %v %q", err, out)
	}
}

var addrRE = regexp.MustCompile(`addr=(127\.0\.0\.1:\d+)`)

func readAddr(t *testing.T, r interface{ Read([]byte) (int, error) }) string {
	t.Helper()
	lines := bufio.NewScanner(r)
	var log strings.Builder
	for lines.Scan() {
		log.WriteString(lines.Text() + "\n")
		if m := addrRE.FindStringSubmatch(lines.Text()); m != nil {
			go func() {
				for lines.Scan() {
				}
			}()
			return m[1]
		}
	}
	t.Fatalf("the server did not start:\n%s", log.String())
	return ""
}

// dockerStage is one FROM … of a Dockerfile with its instructions.
type dockerStage struct {
	from  string
	lines []string
}

func readDockerfile(t *testing.T) []dockerStage {
	t.Helper()
	b, err := os.ReadFile("../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var stages []dockerStage
	text := strings.ReplaceAll(string(b), "\\\n", " ")
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(strings.ToUpper(line), "FROM ") {
			stages = append(stages, dockerStage{from: line})
			continue
		}
		if len(stages) > 0 {
			stages[len(stages)-1].lines = append(stages[len(stages)-1].lines, line)
		}
	}
	return stages
}

// TestDockerfile_Rules checks the Dockerfile's promises: a static build in
// a build stage; a final image from scratch holding only the binary, CA
// certificates and its empty /data and /tmp; a non-root user; /data as the
// volume. There is no Docker daemon on the test machines, so the image is
// built only where one answers.
func TestDockerfile_Rules(t *testing.T) {
	stages := readDockerfile(t)
	if len(stages) < 2 {
		t.Fatalf("not a multi-stage build: %d stages", len(stages))
	}
	build, final := stages[0], stages[len(stages)-1]
	if !strings.Contains(strings.Join(build.lines, "\n"), "CGO_ENABLED=0 go build") {
		t.Error("the build stage does not build with CGO_ENABLED=0")
	}
	if final.from != "FROM scratch" {
		t.Errorf("the final stage is %q, want FROM scratch", final.from)
	}
	allowed := map[string]bool{"/etc/ssl/certs/ca-certificates.crt": true, "/tierdesk": true, "/data": true, "/tmp": true}
	has := map[string]bool{}
	for _, l := range final.lines {
		word, rest, _ := strings.Cut(l, " ")
		switch strings.ToUpper(word) {
		case "COPY":
			fields := strings.Fields(rest)
			dst := fields[len(fields)-1]
			if !allowed[dst] {
				t.Errorf("the final image gets %s; it should hold only the binary and CA certificates", dst)
			}
			has[dst] = true
		case "USER":
			if u := strings.Split(rest, ":")[0]; u == "0" || u == "root" {
				t.Errorf("the image runs as root: %s", l)
			}
			has["user"] = true
		case "VOLUME":
			has["volume "+rest] = true
		case "RUN":
			t.Errorf("the final stage runs a command (it has no shell): %s", l)
		}
	}
	for _, want := range []string{"/tierdesk", "/etc/ssl/certs/ca-certificates.crt", "user", "volume /data"} {
		if !has[want] {
			t.Errorf("the final stage lacks %s", want)
		}
	}
	if exec.Command("docker", "info").Run() != nil {
		t.Log("no Docker daemon here: the image itself was not built")
		return
	}
	out, err := exec.Command("docker", "build", "-q", "..").CombinedOutput()
	if err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
}

// TestSystemdUnit_Sandboxed checks the unit's sandboxing and has
// systemd-analyze verify it (with ExecStart pointing at a built binary).
func TestSystemdUnit_Sandboxed(t *testing.T) {
	unit, err := os.ReadFile("tierdesk.service")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=tierdesk", "NoNewPrivileges=yes",
		"PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n", "TIERDESK_DATA=/var/lib/tierdesk"} {
		if !bytes.Contains(unit, []byte(want)) {
			t.Errorf("the unit lacks %q", want)
		}
	}
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		testdb.Unavailable(t, "systemd-analyze is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "tierdesk")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	copyUnit := filepath.Join(dir, "tierdesk.service")
	os.WriteFile(copyUnit, bytes.ReplaceAll(unit, []byte("/usr/local/bin/tierdesk"), []byte(bin)), 0o644)
	out, err := exec.Command("systemd-analyze", "verify", copyUnit).CombinedOutput()
	// verify also reports the host's own units it pulls in (network-online,
	// postgresql); only lines about ours count.
	var ours []string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "tierdesk.service") {
			ours = append(ours, l)
		}
	}
	if len(ours) > 0 {
		t.Errorf("systemd-analyze verify (%v):\n%s", err, strings.Join(ours, "\n"))
	}
	t.Logf("systemd-analyze verify: %v %s", err, out)
}

// TestRelease_BuildsBothPlatforms runs tools/release.sh for linux/amd64 and
// linux/arm64 and checks each archive's binary: static, the right machine,
// stamped with the version. Two cold cross builds take minutes on the
// test machines, so it runs when TIERDESK_TEST_RELEASE=1.
func TestRelease_BuildsBothPlatforms(t *testing.T) {
	if os.Getenv("TIERDESK_TEST_RELEASE") != "1" {
		t.Skip("set TIERDESK_TEST_RELEASE=1 to build the release archives")
	}
	out := t.TempDir()
	cmd := exec.Command("../tools/release.sh", "v9.9.9-test", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("release.sh: %v\n%s", err, b)
	}
	sums, _ := os.ReadFile(filepath.Join(out, "SHA256SUMS"))
	for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
		name := fmt.Sprintf("tierdesk-v9.9.9-test-linux-%s", arch)
		if !bytes.Contains(sums, []byte(name+".tar.gz")) {
			t.Errorf("SHA256SUMS lacks %s", name)
		}
		x := exec.Command("tar", "-xzf", filepath.Join(out, name+".tar.gz"), "-C", out)
		if b, err := x.CombinedOutput(); err != nil {
			t.Fatalf("untar %s: %v %s", name, err, b)
		}
		f, err := elf.Open(filepath.Join(out, name, "tierdesk"))
		if err != nil {
			t.Fatal(err)
		}
		if f.Machine != machine {
			t.Errorf("%s: machine %v", name, f.Machine)
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("%s needs %v", name, libs)
		}
		f.Close()
		if _, err := os.Stat(filepath.Join(out, name, "tierdesk.service")); err != nil {
			t.Errorf("%s lacks the systemd unit", name)
		}
	}
	v, err := exec.Command(filepath.Join(out, "tierdesk-v9.9.9-test-linux-amd64", "tierdesk"), "version").Output()
	if err != nil || !strings.Contains(string(v), "v9.9.9-test") {
		t.Errorf("version: %v %s", err, v)
	}
}
