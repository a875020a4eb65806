// Package chapters_test enforces the workshop's order: a chapter may build
// on the chapters before it, never on a later one, so a learner can stop
// after any chapter with everything so far working.
package chapters_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/minibox-dev/minibox/"

var chapterDir = regexp.MustCompile(`^(\d\d)-[a-z0-9-]+$`)

func TestChaptersImportOnlyEarlierChapters(t *testing.T) {
	dirs, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	chapters := 0
	for _, d := range dirs {
		m := chapterDir.FindStringSubmatch(d.Name())
		if !d.IsDir() || m == nil {
			continue
		}
		chapters++
		n, _ := strconv.Atoi(m[1])
		for path, file := range imports(t, d.Name()) {
			if problem := checkImport(n, path); problem != "" {
				t.Errorf("%s imports %s: %s", file, path, problem)
			}
		}
	}
	if chapters == 0 {
		t.Fatal("found no chapter directories: is the test running in chapters/?")
	}
}

// checkImport says what is wrong with chapter n importing path, or "".
func checkImport(n int, path string) string {
	rest, ok := strings.CutPrefix(path, module)
	if !ok {
		return "" // the standard library and outside modules are fine
	}
	if strings.HasPrefix(rest, "internal/testutil") {
		return "" // shared test helpers
	}
	dep, ok := strings.CutPrefix(rest, "chapters/")
	if !ok {
		return "a chapter builds only on earlier chapters, not on " + rest
	}
	m := chapterDir.FindStringSubmatch(strings.SplitN(dep, "/", 2)[0])
	if m == nil {
		return "not a chapter"
	}
	// k == n is a chapter's external tests (package x_test) importing it.
	if k, _ := strconv.Atoi(m[1]); k > n {
		return "a chapter may import only earlier chapters"
	}
	return ""
}

func TestCheckImport(t *testing.T) {
	tests := []struct {
		n    int
		path string
		ok   bool
	}{
		{2, "os", true},
		{2, "golang.org/x/sys/unix", true},
		{2, module + "chapters/01-chroot", true},
		{2, module + "internal/testutil", true},
		{2, module + "chapters/02-namespaces", true},
		{2, module + "chapters/03-cgroups", false},
		{1, module + "chapters/03-cgroups", false},
		{1, module + "internal/workshop", false},
		{3, module + "cmd/minibox", false},
	}
	for _, tt := range tests {
		if got := checkImport(tt.n, tt.path) == ""; got != tt.ok {
			t.Errorf("chapter %d importing %s: allowed = %v, want %v", tt.n, tt.path, got, tt.ok)
		}
	}
}

// imports maps each import path of the Go files in dir (tests included) to
// a file that imports it.
func imports(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[p] = f
		}
	}
	return out
}
