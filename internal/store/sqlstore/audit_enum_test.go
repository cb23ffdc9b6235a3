package sqlstore_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// unaudited are the store's writes that append no audit entry, each with
// why: the desk's own bookkeeping (claims, leases, deliveries, counters,
// caches), which changes no record a person or a rule decided on. Any
// other write must reach Store.Audit.
var unaudited = map[string]string{
	"ClaimOutbox": "lease of outgoing mail", "OutboxSent": "delivery bookkeeping", "OutboxRetry": "delivery bookkeeping",
	"RequeueOutbox": "delivery retry (an operator's, from the ops CLI) of mail already audited with its change",
	"ClaimTimers":   "lease of durable timers", "ClaimPages": "lease of pages", "ClaimPageDeliveries": "lease of page deliveries",
	"PageDelivered": "delivery bookkeeping", "PageDeliveryRetry": "delivery bookkeeping",
	"ClaimHooks": "lease of status webhooks", "HookDone": "delivery bookkeeping",
	"ClaimBroadcast":      "lease of a problem broadcast (its batches write ticket events, audited)",
	"ClaimTriageTraining": "lease of the training job", "FinishTriageTraining": "job bookkeeping (the model saved is audited)",
	"CountRequest": "status page request counter", "ExpireRequestCounts": "expiry of the status page's request counters",
	"AddMailCount":      "mail rate counter",
	"RecordDeflection":  "an article read by a requester: a counter of use, no record changed",
	"LinkAlertIncident": "counts an alert group's incident (the ticket's creation is audited)",
	"TouchSession":      "session expiry bookkeeping", "DeleteExpiredSessions": "session expiry bookkeeping",
	"ClearLoginFailures": "rate limit counter",
	"SaveSSOLogin":       "a sign-in under way (state, nonce); the sign-in itself is audited",
	"ForgetSSOLogins":    "expiry of sign-ins under way", "TakeSSOLogin": "a sign-in under way, taken once",
	"Migrate": "schema migration", "MigrateTo": "schema migration", "ReindexSearch": "search index rebuild",
	"BulkLoad":       "benchmark and generator loading (no desk runs on it)",
	"RunAuditSealer": "the audit log's own sealer", "SealAudit": "the audit log's own sealer",
	"AnchorAudit": "the audit log's own anchor", "Audit": "is the audit",
	"PagingSecret":    "creates the paging link secret once",
	"KnownMigrations": "reads the migrations' versions; their SQL, which it does not run, holds writes",
}

var sqlWrite = regexp.MustCompile(`\b(INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM)\b`)

// storeGraph is the sqlstore package's functions and methods, what each
// refers to, and whether its own text holds a writing SQL statement.
type storeGraph struct {
	edges  map[string][]string
	writes map[string]bool
	byName map[string][]string // a method's name → the keys of methods of that name on any type
	store  []string            // the exported methods of *Store
	// imports are the package names of the file being scanned: a
	// selector on one (desk.OutboxSent) is no method of this package.
	imports map[string]bool
}

func parseStore(t *testing.T) *storeGraph {
	t.Helper()
	fset := token.NewFileSet()
	g := &storeGraph{edges: map[string][]string{}, writes: map[string]bool{}, byName: map[string][]string{}}
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	for _, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil {
				continue
			}
			k := recvType(fd) + "." + fd.Name.Name
			g.byName[fd.Name.Name] = append(g.byName[fd.Name.Name], k)
			if recvType(fd) == "Store" && fd.Name.IsExported() {
				g.store = append(g.store, fd.Name.Name)
			}
		}
	}
	for _, f := range files {
		g.imports = map[string]bool{}
		for _, im := range f.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			name := p[strings.LastIndexByte(p, '/')+1:]
			if im.Name != nil {
				name = im.Name.Name
			}
			g.imports[name] = true
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				k := d.Name.Name
				if d.Recv != nil {
					k = recvType(d) + "." + k
				}
				g.scan(k, d.Body)
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					if vs, ok := sp.(*ast.ValueSpec); ok {
						for i, n := range vs.Names {
							if i < len(vs.Values) {
								g.scan(n.Name, vs.Values[i])
							}
						}
					}
				}
			}
		}
	}
	sort.Strings(g.store)
	return g
}

func recvType(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok {
		t = ix.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return "?"
}

// scan records what node k's text refers to: package-level names, and
// methods by name (on any type, a generous reading: an edge too many can
// only hide a missing audit behind a same-named method that audits).
func (g *storeGraph) scan(k string, n ast.Node) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.BasicLit:
			if x.Kind == token.STRING {
				if v, err := strconv.Unquote(x.Value); err == nil && sqlWrite.MatchString(v) {
					g.writes[k] = true
				}
			}
		case *ast.Ident:
			g.edges[k] = append(g.edges[k], x.Name)
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok && g.imports[id.Name] {
				return false
			}
			g.edges[k] = append(g.edges[k], g.byName[x.Sel.Name]...)
		}
		return true
	})
}

// reaches reports whether k refers, through any chain, to a node for which
// hit holds.
func (g *storeGraph) reaches(k string, hit func(string) bool) bool {
	seen := map[string]bool{}
	stack := []string{k}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[n] {
			continue
		}
		seen[n] = true
		if hit(n) {
			return true
		}
		stack = append(stack, g.edges[n]...)
	}
	return false
}

// TestStore_EveryWriteAudits enumerates the exported methods of the store
// and fails for each that writes (an INSERT, UPDATE or DELETE in its own
// text or in anything it calls) without reaching Store.Audit, unless it is
// listed in unaudited with the reason. A new write method without an audit
// entry fails here until it audits or says why it need not.
func TestStore_EveryWriteAudits(t *testing.T) {
	g := parseStore(t)
	if len(g.store) < 200 {
		t.Fatalf("found %d store methods: the parse missed most of the package", len(g.store))
	}
	isWrite := func(n string) bool { return g.writes[n] }
	isAudit := func(n string) bool { return n == "Store.Audit" }
	methods := map[string]bool{}
	writes := 0
	for _, m := range g.store {
		methods[m] = true
		k := "Store." + m
		w, a := g.reaches(k, isWrite), k != "Store.Audit" && g.reaches(k, isAudit)
		if w {
			writes++
		}
		why, listed := unaudited[m]
		switch {
		case w && !a && !listed:
			t.Errorf("%s writes but appends no audit entry: audit it in its transaction (inAuditedTx, Store.Audit) or list it in unaudited with why", m)
		case listed && !w:
			t.Errorf("%s is listed as unaudited (%s) but writes nothing: take it off the list", m, why)
		case listed && a:
			t.Errorf("%s is listed as unaudited (%s) but audits: take it off the list", m, why)
		}
	}
	for m := range unaudited {
		if !methods[m] {
			t.Errorf("unaudited lists %s, which the store no longer has", m)
		}
	}
	if writes < 100 {
		t.Fatalf("only %d writing methods found: the SQL detection is broken", writes)
	}
}
