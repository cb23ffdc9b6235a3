package api

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// spec checks live traffic against the embedded OpenAPI document and
// records which operations and statuses the tests exercised.
var spec = mustLoadSpec()

type specState struct {
	doc    *openapi3.T
	router routers.Router
	mu     sync.Mutex
	seen   map[string]bool // "operationId status"
}

func mustLoadSpec() *specState {
	// The review's Markdown export (getReview?format=markdown) is text.
	openapi3filter.RegisterBodyDecoder("text/markdown", openapi3filter.FileBodyDecoder)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiJSON)
	if err != nil {
		panic(fmt.Sprintf("load openapi.json: %v", err))
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		panic(fmt.Sprintf("route openapi.json: %v", err))
	}
	return &specState{doc: doc, router: router, seen: map[string]bool{}}
}

// checker validates the request now (unless skipReq) and returns a function
// that validates its response. Requests to paths or methods the document
// does not have get no checks: they exist to test 404 and 405.
func (s *specState) checker(t *testing.T, req *http.Request, body []byte, skipReq bool) func(*response) {
	t.Helper()
	probe := req.Clone(context.Background())
	probe.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := s.router.FindRoute(probe)
	if err != nil {
		return func(*response) {}
	}
	in := &openapi3filter.RequestValidationInput{Request: probe, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if !skipReq {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: request does not match the OpenAPI document: %v", req.Method, req.URL.Path, err)
		}
	}
	return func(r *response) {
		t.Helper()
		s.validateResponse(t, in, r)
	}
}

func (s *specState) validateResponse(t *testing.T, in *openapi3filter.RequestValidationInput, r *response) {
	t.Helper()
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: r.status, Header: r.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(r.body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: %d response does not match the OpenAPI document: %v\nbody: %s",
			in.Request.Method, in.Request.URL.Path, r.status, err, r.body)
	}
	s.mu.Lock()
	s.seen[fmt.Sprintf("%s %d", in.Route.Operation.OperationID, r.status)] = true
	s.mu.Unlock()
}

// TestMain runs the tests, then — on a full run (no -run, no -skip) — fails when some
// operation of the document was never exercised with a success status:
// the document may describe only what the tests have seen working.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && flag.Lookup("test.skip").Value.String() == "" {
		if missing := spec.unexercised(); len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: operations of openapi.json never answered 2xx in tests:\n  %s\n",
				strings.Join(missing, "\n  "))
			code = 1
		}
	}
	os.Exit(code)
}

func (s *specState) unexercised() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var missing []string
	for path, item := range s.doc.Paths.Map() {
		for method, op := range item.Operations() {
			ok := false
			for key := range s.seen {
				id, status, _ := strings.Cut(key, " ")
				ok = ok || (id == op.OperationID && strings.HasPrefix(status, "2"))
			}
			if !ok {
				missing = append(missing, method+" "+path+" ("+op.OperationID+")")
			}
		}
	}
	sort.Strings(missing)
	return missing
}

func TestOpenAPI_DocumentIsValid(t *testing.T) {
	if got := spec.doc.OpenAPI; got != "3.1.0" {
		t.Errorf("openapi = %q, want 3.1.0", got)
	}
	if err := spec.doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
}

// TestOpenAPI_DescribesEveryRoute keeps routes.go and the document in step:
// every route is documented, every documented operation is routed.
func TestOpenAPI_DescribesEveryRoute(t *testing.T) {
	var routed, documented []string
	for _, rt := range (&server{}).routeTable() {
		routed = append(routed, rt.method+" "+rt.path)
		op := spec.doc.Paths.Find(rt.path)
		if op == nil || op.GetOperation(rt.method) == nil {
			continue
		}
		public := op.GetOperation(rt.method).Security != nil && len(*op.GetOperation(rt.method).Security) == 0
		if public != rt.public {
			t.Errorf("%s %s: public in routes.go = %v, without security in openapi.json = %v", rt.method, rt.path, rt.public, public)
		}
	}
	for path, item := range spec.doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	slices.Sort(routed)
	slices.Sort(documented)
	if !slices.Equal(routed, documented) {
		t.Errorf("routes.go and openapi.json differ:\nrouted:     %v\ndocumented: %v", routed, documented)
	}
}

func TestOpenAPI_Served(t *testing.T) {
	e := newEnv(t)
	r := e.anon.get("/api/v1/openapi.json").want(t, http.StatusOK)
	if !bytes.Equal(r.body, openapiJSON) {
		t.Errorf("served document differs from the embedded one")
	}
	doc, err := openapi3.NewLoader().LoadFromData(r.body)
	if err != nil {
		t.Fatalf("load served document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("served document invalid: %v", err)
	}
}
