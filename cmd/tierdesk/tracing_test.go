package main

import (
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	collector "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/tierdesk/tierdesk/internal/testbin"
)

// otlpReceiver is an OTLP/HTTP trace endpoint that keeps what it receives.
type otlpReceiver struct {
	mu    sync.Mutex
	spans []*tracepb.Span
}

func (o *otlpReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req collector.ExportTraceServiceRequest
	if r.URL.Path != "/v1/traces" || proto.Unmarshal(body, &req) != nil {
		http.Error(w, "bad export", http.StatusBadRequest)
		return
	}
	o.mu.Lock()
	for _, rs := range req.ResourceSpans {
		for _, ss := range rs.ScopeSpans {
			o.spans = append(o.spans, ss.Spans...)
		}
	}
	o.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-protobuf")
	b, _ := proto.Marshal(&collector.ExportTraceServiceResponse{})
	w.Write(b)
}

// TestServe_Tracing follows a request that carries a traceparent through
// the served binary: its server span (named by the route) and the
// database calls under it reach an OTLP collector, and the access log
// names the trace.
func TestServe_Tracing(t *testing.T) {
	rcv := &otlpReceiver{}
	collectorSrv := httptest.NewServer(rcv)
	defer collectorSrv.Close()
	dataDir := t.TempDir()
	bin := testbin.Build(t)
	admin := strings.TrimSpace(lastLine(t, bin, "user", "add", "--data", dataDir, "--email", "lena@example.com",
		"--name", "Lena", "--group", "1", "--token"))

	srv := testbin.Start(t, bin, testbin.CleanEnv(), "--data", dataDir, "--otlp-endpoint", collectorSrv.URL)
	base := srv.Base

	traceID, parent := "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req, _ := http.NewRequest("POST", base+"/api/v1/tickets", strings.NewReader(
		`{"type":"incident","title":"VPN drops","channel":"phone","requester":{"email":"sam@example.com"},"impact":"low","urgency":"low"}`))
	req.Header.Set("Authorization", "Bearer "+admin)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Traceparent", "00-"+traceID+"-"+parent+"-01")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	srv.Stop() // flushes the batch of spans

	rcv.mu.Lock()
	defer rcv.mu.Unlock()
	var server *tracepb.Span
	db := map[string]int{}
	for _, s := range rcv.spans {
		if hex.EncodeToString(s.TraceId) != traceID {
			continue
		}
		switch {
		case s.Kind == tracepb.Span_SPAN_KIND_SERVER:
			server = s
		case s.Kind == tracepb.Span_SPAN_KIND_CLIENT:
			db[s.Name]++
		}
	}
	if server == nil || server.Name != "POST /api/v1/tickets" || hex.EncodeToString(server.ParentSpanId) != parent {
		t.Fatalf("server span of the traced request: %v (of %d spans)", server, len(rcv.spans))
	}
	if db["INSERT"] == 0 || db["COMMIT"] == 0 {
		t.Errorf("database spans under the request: %v, want INSERTs and a COMMIT", db)
	}
	if log := srv.Log(); !regexp.MustCompile(`msg="http request".*path=/api/v1/tickets status=201 .*trace_id=` + traceID).MatchString(log) {
		t.Errorf("the access log does not name the trace:\n%s", log)
	}
}

func lastLine(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = testbin.CleanEnv()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", strings.Join(args, " "), err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
