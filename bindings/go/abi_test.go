package invitekit

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// abiExcluded are exported functions the binding deliberately does not call,
// each with the reason. Keep this list short.
var abiExcluded = map[string]string{
	// Bindings never call global cleanup (common.h: it only drops a reference,
	// and a Go program has no safe point to call it).
	"ik_global_cleanup": "init is once per process; cleanup is never called",
	// The C objects are freed before a call returns: Error.Header and
	// Response.Header search the headers copied with ik_*_header_count/_at.
	"ik_error_header":    "Error.Header searches the copied headers (ik_error_header_count/_at)",
	"ik_response_header": "Response.Header searches the copied headers (ik_response_header_count/_at)",
	"ik_error_field":     "Error.Field searches the fields copied with ik_error_field_count/_at",
	// The completion takes the error (ik_op_take_error) and copies it into the
	// *Error that Op.Wait returns; a borrowed view of it is never needed.
	"ik_op_error": "the completion takes the error with ik_op_take_error and copies it",
	// The iterator reads whole pages (ik_pager_next_page) in one crossing and
	// delivers their items from Go; the per-item pager calls would cost one
	// crossing and one owned C item per item.
	"ik_pager_next_openai_invite":     "the iterator reads whole pages (ik_pager_next_page, ikgo_iter_next_page)",
	"ik_pager_next_twilio_invite":     "the iterator reads whole pages (ik_pager_next_page, ikgo_iter_next_page)",
	"ik_pager_next_twilio_user":       "the iterator reads whole pages (ik_pager_next_page, ikgo_iter_next_page)",
	"ik_pager_next_fastly_invitation": "the iterator reads whole pages (ik_pager_next_page, ikgo_iter_next_page)",
}

var (
	goCallRe = regexp.MustCompile(`\bC\.(ik_[A-Za-z0-9_]+)`)
	cIdentRe = regexp.MustCompile(`\b(ik_[A-Za-z0-9_]+)\b`)
)

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (this test reads the contract in tests/abi/ of the source tree)", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, sc.Text())
		}
	}
	return out
}

// packageSources returns the non-test Go files and the C shim of the package.
func packageSources(t *testing.T) (goSrc, cSrc map[string]string) {
	t.Helper()
	goSrc, cSrc = map[string]string{}, map[string]string{}
	files, _ := filepath.Glob("*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		switch {
		case strings.HasSuffix(f, "_test.go"):
		case strings.HasSuffix(f, ".go"):
			goSrc[f] = string(b)
		case strings.HasSuffix(f, ".c") || strings.HasSuffix(f, ".h"):
			cSrc[f] = string(b)
		}
	}
	return
}

// TestEveryABIFunctionIsReachable fails on any function of
// tests/abi/symbols.txt that the package neither calls (as C.ik_x in Go, or
// from the fused readers in shim.c) nor lists in abiExcluded, and on stale
// exclusions.
func TestEveryABIFunctionIsReachable(t *testing.T) {
	symbols := readLines(t, filepath.Join("..", "..", "tests", "abi", "symbols.txt"))
	goSrc, cSrc := packageSources(t)
	used := map[string]string{}
	for f, src := range goSrc {
		for _, m := range goCallRe.FindAllStringSubmatch(src, -1) {
			used[m[1]] = f
		}
	}
	for f, src := range cSrc {
		for _, m := range cIdentRe.FindAllStringSubmatch(src, -1) {
			if _, ok := used[m[1]]; !ok {
				used[m[1]] = f
			}
		}
	}
	known := map[string]bool{}
	var missing []string
	for _, s := range symbols {
		s = strings.TrimSpace(s)
		known[s] = true
		_, u := used[s]
		_, ex := abiExcluded[s]
		switch {
		case u && ex:
			t.Errorf("%s is excluded but used in %s: drop the exclusion", s, used[s])
		case !u && !ex:
			missing = append(missing, s)
		}
	}
	sort.Strings(missing)
	for _, s := range missing {
		t.Errorf("%s (tests/abi/symbols.txt) is neither wrapped nor excluded", s)
	}
	for s := range abiExcluded {
		if !known[s] {
			t.Errorf("exclusion %s is not an exported function", s)
		}
	}
	t.Logf("%d exported functions: %d reachable, %d excluded", len(symbols), len(symbols)-len(abiExcluded)-len(missing), len(abiExcluded))
}

type cFunc struct {
	ret    string
	params []string
}

func loadFunctions(t *testing.T) map[string]cFunc {
	fns := map[string]cFunc{}
	for _, l := range readLines(t, filepath.Join("..", "..", "tests", "abi", "functions.txt")) {
		parts := strings.Split(l, "\t")
		if len(parts) != 3 {
			t.Fatalf("functions.txt: bad line %q", l)
		}
		var params []string
		if p := strings.TrimSpace(parts[2]); p != "void" && p != "" {
			for _, x := range strings.Split(p, ",") {
				params = append(params, strings.TrimSpace(x))
			}
		}
		fns[parts[0]] = cFunc{ret: strings.TrimSpace(parts[1]), params: params}
	}
	return fns
}

// callArgs returns the argument count of each call "name(" in src, found by
// matching parentheses (strings and nested calls are skipped).
func callArgs(src string, re *regexp.Regexp) map[string][]int {
	out := map[string][]int{}
	for _, loc := range re.FindAllStringSubmatchIndex(src, -1) {
		name := src[loc[2]:loc[3]]
		i := loc[1]
		if i >= len(src) || src[i] != '(' {
			continue // a reference, not a call
		}
		depth, args, nonEmpty := 0, 0, false
		inStr := byte(0)
	scan:
		for j := i; j < len(src); j++ {
			ch := src[j]
			if inStr != 0 {
				if ch == '\\' {
					j++
				} else if ch == inStr {
					inStr = 0
				}
				continue
			}
			switch ch {
			case '"', '\'', '`':
				inStr = ch
				nonEmpty = true
			case '(', '[', '{':
				depth++
				if depth > 1 {
					nonEmpty = true
				}
			case ')', ']', '}':
				depth--
				if depth == 0 {
					break scan
				}
			case ',':
				if depth == 1 {
					args++
				}
			case ' ', '\t', '\n', '\r':
			default:
				if depth >= 1 {
					nonEmpty = true
				}
			}
		}
		if nonEmpty {
			args++
		}
		out[name] = append(out[name], args)
	}
	return out
}

// TestCallsMatchFunctionSignatures checks every call of a C function in the
// package against tests/abi/functions.txt: the function exists there and is
// called with its number of parameters, in the Go sources (C.ik_x(...)) and in
// the C shim (ik_x(...)). The C compiler already checks the shim's types
// against the headers; this test ties both to the frozen contract.
func TestCallsMatchFunctionSignatures(t *testing.T) {
	fns := loadFunctions(t)
	types := headerTypes(t)
	goSrc, cSrc := packageSources(t)
	checked := 0
	check := func(file string, calls map[string][]int) {
		for name, arities := range calls {
			if types[name] {
				continue // a conversion to a C type, e.g. C.ik_status(s)
			}
			f, ok := fns[name]
			if !ok {
				t.Errorf("%s calls %s, which is not in tests/abi/functions.txt", file, name)
				continue
			}
			for _, n := range arities {
				checked++
				if n != len(f.params) {
					t.Errorf("%s calls %s with %d arguments; functions.txt says %d (%s)", file, name, n, len(f.params), strings.Join(f.params, ", "))
				}
			}
		}
	}
	for f, src := range goSrc {
		check(f, callArgs(src, goCallRe))
	}
	cCallRe := regexp.MustCompile(`\b(ik_[a-z0-9_]+)`)
	for f, src := range cSrc {
		if strings.HasSuffix(f, ".h") {
			continue // declarations of the shim only
		}
		calls := callArgs(src, cCallRe)
		for name := range calls {
			if _, isFn := fns[name]; !isFn && !strings.HasPrefix(name, "ik_") {
				delete(calls, name)
			}
		}
		check(f, calls)
	}
	if checked < 100 {
		t.Fatalf("only %d calls checked: the parser is broken", checked)
	}
	t.Logf("%d calls checked against functions.txt", checked)
}

// headerTypes returns the ik_ type names declared by the public headers.
func headerTypes(t *testing.T) map[string]bool {
	re := regexp.MustCompile(`(?m)(?:typedef\s+[^;{]*?\b(ik_[a-z0-9_]+)\s*;|typedef\s+[^;{(]*\(\s*\*\s*(ik_[a-z0-9_]+)\s*\)|^\}\s*(ik_[a-z0-9_]+)\s*;)`)
	files, _ := filepath.Glob(filepath.Join("..", "..", "include", "invitekit", "*.h"))
	types := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			for _, g := range m[1:] {
				if g != "" {
					types[g] = true
				}
			}
		}
	}
	if !types["ik_status"] || !types["ik_call_options"] {
		t.Fatalf("header types not found: %v", types)
	}
	return types
}
