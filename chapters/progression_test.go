// Package chapters_test enforces the workshop's order: a chapter may build
// on the chapters before it, never on a later one, so a learner can stop
// after any chapter with everything so far working.
package chapters_test

import (
	"go/parser"
	"go/token"
	"io/fs"
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
	chapters, steps := 0, 0
	for _, d := range dirs {
		m := chapterDir.FindStringSubmatch(d.Name())
		if !d.IsDir() || m == nil {
			continue
		}
		chapters++
		n, _ := strconv.Atoi(m[1])
		for file, paths := range imports(t, d.Name()) {
			isSteps := strings.Contains(filepath.ToSlash(file), "/steps/")
			if isSteps {
				steps++
			}
			for _, path := range paths {
				if problem := checkImport(n, isSteps, path); problem != "" {
					t.Errorf("%s imports %s: %s", file, path, problem)
				}
			}
		}
	}
	if chapters == 0 || steps == 0 {
		t.Fatalf("found %d chapter directories and %d steps files: is the test running in chapters/?", chapters, steps)
	}
}

// checkImport says what is wrong with chapter n importing path, or "".
// steps says whether the importer is the chapter's steps (NN-*/steps/),
// which may also use the step engine and earlier chapters' steps.
func checkImport(n int, steps bool, path string) string {
	rest, ok := strings.CutPrefix(path, module)
	if !ok {
		return "" // the standard library and outside modules are fine
	}
	if strings.HasPrefix(rest, "internal/testutil") {
		return "" // shared test helpers
	}
	if steps && rest == "internal/workshop" {
		return "" // the step engine
	}
	// Chapter 0, the setup, checks the machine (internal/doctor, which
	// uses chapter 1's busybox lookup) and shows a jailed process before
	// chapter 1 explains it: the one page that looks ahead.
	if steps && n == 0 && (rest == "internal/doctor" || strings.HasPrefix(rest, "chapters/01-")) {
		return ""
	}
	dep, ok := strings.CutPrefix(rest, "chapters/")
	if !ok {
		if rest == "internal/workshop" {
			return "a chapter's code runs without the workshop; only its steps/ use the engine"
		}
		return "a chapter builds only on earlier chapters, not on " + rest
	}
	parts := strings.SplitN(dep, "/", 2)
	m := chapterDir.FindStringSubmatch(parts[0])
	if m == nil {
		return "not a chapter"
	}
	k, _ := strconv.Atoi(m[1])
	if len(parts) == 2 && !steps {
		return "a chapter's code does not use steps, its own or another chapter's"
	}
	// k == n is a chapter's external tests (package x_test), or its
	// steps, importing it.
	if k > n {
		return "a chapter may import only earlier chapters"
	}
	return ""
}

func TestCheckImport(t *testing.T) {
	tests := []struct {
		n     int
		steps bool
		path  string
		ok    bool
	}{
		{2, false, "os", true},
		{2, false, "golang.org/x/sys/unix", true},
		{2, false, module + "chapters/01-chroot", true},
		{2, false, module + "internal/testutil", true},
		{2, false, module + "chapters/02-namespaces", true},
		{2, false, module + "chapters/03-cgroups", false},
		{1, false, module + "chapters/03-cgroups", false},
		{1, false, module + "internal/workshop", false},
		{3, false, module + "cmd/minibox", false},
		{3, false, module + "chapters/01-chroot/steps", false},
		{3, true, module + "internal/workshop", true},
		{3, true, module + "chapters/03-cgroups", true},
		{3, true, module + "chapters/01-chroot/steps", true},
		{3, true, module + "chapters/04-images/steps", false},
		{3, true, module + "chapters/04-images", false},
		{3, true, module + "internal/doctor", false},
		{0, true, module + "internal/doctor", true},
		{0, true, module + "chapters/01-chroot", true},
		{0, true, module + "chapters/02-namespaces", false},
	}
	for _, tt := range tests {
		if got := checkImport(tt.n, tt.steps, tt.path) == ""; got != tt.ok {
			t.Errorf("chapter %d (steps %v) importing %s: allowed = %v, want %v", tt.n, tt.steps, tt.path, got, tt.ok)
		}
	}
}

// imports maps each Go file under dir (tests included, and the steps/
// folder) to its import paths.
func imports(t *testing.T, dir string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(dir, func(f string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(f, ".go") {
			return err
		}
		ast, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range ast.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[f] = append(out[f], p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
