package metrics_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/tierdesk/tierdesk/internal/metrics"
)

const deployDir = "../../deploy"

// exported lists the names of every metric the exporter can serve (with
// _bucket, _sum and _count for histograms), from the registry's
// descriptions, so that figures that appear only later (a backup) count.
func exported(t *testing.T) map[string]bool {
	t.Helper()
	m := metrics.New(metrics.Sources{}, nil)
	ch := make(chan *prometheus.Desc, 256)
	go func() {
		m.Registry().Describe(ch)
		close(ch)
	}()
	names := map[string]bool{}
	fq := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		if n := fq.FindStringSubmatch(d.String()); n != nil {
			for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
				names[n[1]+suffix] = true
			}
		}
	}
	return names
}

var metricName = regexp.MustCompile(`\btierdesk_[a-z0-9_]+`)

// TestDeploy_RulesAndDashboardNameExportedMetrics checks that the alerting
// rules and every query of the Grafana dashboard name metrics the
// exporter serves (a renamed metric would leave a panel empty and an alert
// silent).
func TestDeploy_RulesAndDashboardNameExportedMetrics(t *testing.T) {
	names := exported(t)
	rules, err := os.ReadFile(filepath.Join(deployDir, "prometheus", "tierdesk-rules.yml"))
	must(t, err)
	comments := regexp.MustCompile(`(?m)^\s*#.*$`)
	for _, n := range metricName.FindAllString(comments.ReplaceAllString(string(rules), ""), -1) {
		if !names[n] {
			t.Errorf("the rules name %s, which is not exported", n)
		}
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	b, err := os.ReadFile(filepath.Join(deployDir, "grafana", "tierdesk-dashboard.json"))
	must(t, err)
	must(t, json.Unmarshal(b, &dash))
	queries := 0
	for _, p := range dash.Panels {
		for _, q := range p.Targets {
			queries++
			found := metricName.FindAllString(q.Expr, -1)
			if len(found) == 0 {
				t.Errorf("panel %q: query %q names no tierdesk metric", p.Title, q.Expr)
			}
			for _, n := range found {
				if !names[n] {
					t.Errorf("panel %q names %s, which is not exported", p.Title, n)
				}
			}
		}
	}
	if queries < 20 {
		t.Errorf("the dashboard has %d queries; expected the panels of README's list", queries)
	}
}

// TestDeploy_PromtoolRules checks the alerting rules and runs their unit
// tests with promtool (.ci/run installs it; without it the test skips,
// except under CI=true).
func TestDeploy_PromtoolRules(t *testing.T) {
	promtool := findPromtool(t)
	dir := filepath.Join(deployDir, "prometheus")
	for _, args := range [][]string{{"check", "rules", "tierdesk-rules.yml"}, {"test", "rules", "tierdesk-rules.test.yml"}} {
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func findPromtool(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("promtool"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "promtool")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("promtool is missing (CI=true): .ci/run installs it from Debian's prometheus package")
	}
	t.Skip("promtool not found in PATH or GOPATH/bin (apt-get install prometheus, or go install github.com/prometheus/prometheus/cmd/promtool@v0.316.0)")
	return ""
}
