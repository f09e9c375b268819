package invitekit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestRaceGatedTestsRunWithoutRace: run-tests.sh runs every test once, built
// with -race, and then only NORACE_TESTS without -race. A test that checks
// something only when raceEnabled is false (VmRSS flatness) must be in
// NORACE_TESTS, or that check would never run.
func TestRaceGatedTestsRunWithoutRace(t *testing.T) {
	b, err := os.ReadFile("run-tests.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^NORACE_TESTS='([^']*)'$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("run-tests.sh: no NORACE_TESTS='...' line")
	}
	norace, err := regexp.Compile(string(m[1]))
	if err != nil {
		t.Fatalf("NORACE_TESTS: %v", err)
	}
	files, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	var gated, matched []string
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Test") {
				continue
			}
			if norace.MatchString(fn.Name.Name) {
				matched = append(matched, fn.Name.Name)
			}
			uses := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && id.Name == "raceEnabled" {
					uses = true
				}
				return !uses
			})
			if uses {
				gated = append(gated, fn.Name.Name)
				if !norace.MatchString(fn.Name.Name) {
					t.Errorf("%s uses raceEnabled but NORACE_TESTS in run-tests.sh does not match it", fn.Name.Name)
				}
			}
		}
	}
	sort.Strings(gated)
	sort.Strings(matched)
	if len(gated) == 0 || strings.Join(gated, ",") != strings.Join(matched, ",") {
		t.Errorf("NORACE_TESTS matches %v; the tests that use raceEnabled are %v", matched, gated)
	}
}
