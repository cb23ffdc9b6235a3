package langcheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// reasonFields are the fields whose text readers see as a reason the desk
// gave: a ticket event's and a page's Reason, a major incident timeline
// entry's Text. The desk must set them from a reason code
// (desk.ReasonText, said, because), never as English it writes itself:
// the reader's language words the code (internal/reasons), while English
// text would reach Russian pages and mail as it is (issue 18).
var reasonFields = map[string]string{"Event": "Reason", "Page": "Reason", "Entry": "Text"}

// knownFreeText are literals given to a reason field on purpose, by file.
var knownFreeText = map[string][]string{
	// A status-page subscriber's Reason is a code the pages word.
	"internal/statuspage/subscribe.go": {`"request"`, `"bounces"`},
}

// TestNoFreeTextReasons reads the desk's Go source (tests aside) and fails
// where a reason field is given English the code writes itself: a string
// literal, a fmt.Sprintf, a concatenation with a literal, or a variable
// holding one of these, as the major-incident sweep once wrote "major
// incident %s: public update missed".
func TestNoFreeTextReasons(t *testing.T) {
	root := "../.."
	checked := 0
	err := filepath.WalkDir(filepath.Join(root, "internal"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if strings.HasPrefix(rel, "internal/devgen/") || strings.HasPrefix(rel, "internal/store/storetest/") {
			return nil // people's reasons (in Russian on purpose), and the store suite's sample rows
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		checked++
		for _, bad := range freeTextReasons(f) {
			if slices.Contains(knownFreeText[rel], bad.text) {
				continue
			}
			t.Errorf("%s:%d: %s is free text %s: give a reason code (desk.ReasonCode) and word it in internal/reasons",
				rel, fset.Position(bad.pos).Line, bad.field, bad.text)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 300 {
		t.Fatalf("read %d files: the source was not found", checked)
	}
}

type freeText struct {
	pos   token.Pos
	field string
	text  string
}

// freeTextReasons finds in f the reason fields set to free text: in a
// composite literal of a reason type, or by assignment to the field (an
// Entry's Text only in package major, where Entry is the timeline's).
func freeTextReasons(f *ast.File) []freeText {
	vars := map[string]ast.Expr{} // identifiers assigned free text anywhere in the file
	ast.Inspect(f, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == len(as.Rhs) {
			for i, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && isFreeText(as.Rhs[i], nil) {
					vars[id.Name] = as.Rhs[i]
				}
			}
		}
		return true
	})
	var out []freeText
	report := func(pos token.Pos, field string, v ast.Expr) {
		if isFreeText(v, vars) {
			out = append(out, freeText{pos, field, shortExpr(v, vars)})
		}
	}
	check := func(lit *ast.CompositeLit, typ string) {
		field, ok := reasonFields[typ]
		if !ok {
			return
		}
		for _, el := range lit.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				if k, ok := kv.Key.(*ast.Ident); ok && k.Name == field {
					report(kv.Pos(), typ+"."+field, kv.Value)
				}
			}
		}
	}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			check(n, typeName(n.Type))
			if arr, ok := n.Type.(*ast.ArrayType); ok { // []Entry{{…}}: the elements' type is elided
				for _, el := range n.Elts {
					if lit, ok := el.(*ast.CompositeLit); ok && lit.Type == nil {
						check(lit, typeName(arr.Elt))
					}
				}
			}
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				sel, ok := l.(*ast.SelectorExpr)
				if !ok || i >= len(n.Rhs) {
					continue
				}
				if sel.Sel.Name == "Reason" || sel.Sel.Name == "Text" && f.Name.Name == "major" {
					report(n.Pos(), sel.Sel.Name, n.Rhs[i])
				}
			}
		}
		return true
	})
	return out
}

// isFreeText: a string literal, fmt.Sprintf, a concatenation with either,
// or (with vars) a variable assigned one of these.
func isFreeText(e ast.Expr, vars map[string]ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Kind == token.STRING && e.Value != `""`
	case *ast.CallExpr:
		if sel, ok := e.Fun.(*ast.SelectorExpr); ok {
			if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "fmt" && sel.Sel.Name == "Sprintf" {
				return true
			}
		}
	case *ast.BinaryExpr:
		return e.Op == token.ADD && (isFreeText(e.X, vars) || isFreeText(e.Y, vars))
	case *ast.ParenExpr:
		return isFreeText(e.X, vars)
	case *ast.Ident:
		_, ok := vars[e.Name]
		return ok
	}
	return false
}

func shortExpr(e ast.Expr, vars map[string]ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		return e.Value
	case *ast.Ident:
		if v, ok := vars[e.Name]; ok {
			return e.Name + " = " + shortExpr(v, nil)
		}
	case *ast.CallExpr:
		if len(e.Args) > 0 {
			return "fmt.Sprintf(" + shortExpr(e.Args[0], nil) + ", …)"
		}
	case *ast.BinaryExpr:
		return shortExpr(e.X, vars) + " + " + shortExpr(e.Y, vars)
	}
	return strconv.Quote("…")
}

// typeName is the last name of a composite literal's type: desk.Page → Page.
func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return e.Sel.Name
	}
	return ""
}
