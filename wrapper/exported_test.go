package wrapper

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoMutableExportedVariables (issue 15 item 7): no exported package-level variable that a
// caller could reassign for every other caller, such as a default policy or a time zone; a
// function gives the default. The sentinel errors are the one exception: errors.Is matches them
// by identity, as the standard library's io.EOF.
func TestNoMutableExportedVariables(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var found []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.VAR {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, id := range vs.Names {
					if !id.IsExported() {
						continue
					}
					if strings.HasPrefix(id.Name, "Err") && i < len(vs.Values) && isErrorsNew(vs.Values[i]) {
						continue
					}
					found = append(found, fset.Position(id.Pos()).String()+": "+id.Name)
				}
			}
		}
	}
	assert.Empty(t, found, "exported variables a caller could reassign")
}

// isErrorsNew reports whether e is errors.New(...).
func isErrorsNew(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "errors" && sel.Sel.Name == "New"
}

func TestDefaultsAreFreshValues(t *testing.T) {
	t.Parallel()
	p := DefaultRetryPolicy()
	p.MaxAttempts = 99
	assert.Equal(t, 3, DefaultRetryPolicy().MaxAttempts, "changing a copy changes no default")
	assert.Equal(t, 1, NoRetries().MaxAttempts)
	assert.Equal(t, "America/Chicago", Chicago().String())
}
