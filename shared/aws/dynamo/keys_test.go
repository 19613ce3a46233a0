package dynamo_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestEveryKeyIsBuiltInKeysGo keeps the single table's key layout in one
// file: a key prefix ("TKT#", "RES#", …) written anywhere else in the
// store is a key built beside the documented table.
func TestEveryKeyIsBuiltInKeysGo(t *testing.T) {
	prefix := regexp.MustCompile(`^[A-Z]{2,}#`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "keys.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil && prefix.MatchString(s) {
					t.Errorf("%s: key literal %q: build it in keys.go", fset.Position(lit.Pos()), s)
				}
			}
			return true
		})
	}
}
