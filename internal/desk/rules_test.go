package desk

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// ruleArg is where the rule goes in each function that builds a field
// error or a refusal, in the packages that produce them.
var ruleArg = map[string]int{"Invalid": 1, "Refusef": 1, "fieldErr": 1, "fieldProblem": 1, "fail": 1, "invalid": 1}

// ruleConsts reads the Rule constants declared in rules.go: name → value.
func ruleConsts(t *testing.T) map[string]Rule {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "rules.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Rule{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			v, _ := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			out[vs.Names[0].Name] = Rule(v)
		}
	}
	return out
}

// TestRules_Listed: Rules lists every rule constant, once.
func TestRules_Listed(t *testing.T) {
	consts := ruleConsts(t)
	for name, r := range consts {
		if !slices.Contains(Rules, r) {
			t.Errorf("%s (%q) is not in Rules", name, r)
		}
	}
	if len(Rules) != len(consts) {
		t.Errorf("Rules has %d entries, rules.go declares %d", len(Rules), len(consts))
	}
}

// TestRules_EveryErrorNamesOne reads the code that builds field errors
// (desk, the API, the store, the alert intake) and checks that each one
// is built with a declared rule constant: no FieldError literal without a
// rule, no rule given as a bare string. With TestRules_Listed, Rules is
// then every rule a client can meet, which the web's catalogue test
// checks messages for.
func TestRules_EveryErrorNamesOne(t *testing.T) {
	consts := ruleConsts(t)
	var files []string
	for _, dir := range []string{".", "../api", "../store/sqlstore", "../alertin"} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, m...)
	}
	calls := 0
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CompositeLit:
				if isFieldError(n.Type) && len(n.Elts) > 0 && !hasKey(n, "Rule") {
					t.Errorf("%s: a FieldError without a rule (use Invalid)", fset.Position(n.Pos()))
				}
			case *ast.CallExpr:
				i, ok := ruleArg[calleeName(n)]
				if name := calleeName(n); name == "fieldError" {
					i, ok = 1, true
					if strings.Contains(path, "sqlstore") {
						i = 2
					}
				} else if sel, isSel := n.Fun.(*ast.SelectorExpr); isSel && name == "add" && isIdent(sel.X, "v") {
					i, ok = 1, true
				}
				if !ok || len(n.Args) <= i {
					return true
				}
				calls++
				// The wrappers pass their own parameter on; their callers are checked.
				if r := ruleName(n.Args[i]); r != "rule" && consts[r] == "" {
					t.Errorf("%s: %s is given the rule %s, not a declared rule constant", fset.Position(n.Pos()), calleeName(n), r)
				}
			}
			return true
		})
	}
	if calls < 150 {
		t.Errorf("only %d calls building errors found: the scan is missing some", calls)
	}
}

func calleeName(c *ast.CallExpr) string {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func isFieldError(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "FieldError"
	case *ast.SelectorExpr:
		return e.Sel.Name == "FieldError"
	}
	return false
}

func hasKey(c *ast.CompositeLit, key string) bool {
	for _, e := range c.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, key) {
			return true
		}
	}
	return false
}

// ruleName is the constant's name of a rule argument (RuleX or desk.RuleX).
func ruleName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return "(an expression)"
}
