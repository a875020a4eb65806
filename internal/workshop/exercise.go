package workshop

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Exercise is a function of the reference code that the learner writes in
// practice mode. Its place in the code is its marker (source.go); what is
// said about it lives with the chapter's steps.
type Exercise struct {
	ID      string   // "ns.hostname", as in the code's //workshop:exercise line
	Step    string   // the step whose work it does, "ns.uts"
	Minutes int      // about how long it takes a learner
	Todo    string   // what to write, with which syscall, and why: the stub's TODO
	Hints   []string // tiered: a nudge, then the syscall and its man page, then the shape of the code
	// HintsIf are hints aimed at a failure: the first whose pattern matches
	// what the tests printed is shown with the failure.
	HintsIf []FailureHint
	Tests   []string // the chapter's tests that check it: "TestUTS"
	Root    bool     // its tests need root

	// Filled in by LoadExercises.
	Marker
	Chapter int
	Dir     string // the chapter's directory, relative to the repository: "chapters/02-namespaces"
}

// FailureHint is a hint for a failure whose output matches Output, a
// regular expression.
type FailureHint struct {
	Output string
	Hint   string
}

// Package is the exercise's package as go test names it: "./chapters/02-namespaces".
func (ex *Exercise) Package() string { return "./" + ex.Dir }

// TestPattern is the -run pattern of the exercise's tests.
func (ex *Exercise) TestPattern() string {
	return "^(" + strings.Join(ex.Tests, "|") + ")$"
}

// HintFor returns the hint aimed at output, or "".
func (ex *Exercise) HintFor(output string) string {
	for _, h := range ex.HintsIf {
		if regexp.MustCompile(h.Output).MatchString(output) {
			return h.Hint
		}
	}
	return ""
}

// LoadExercises joins the chapters' exercises with their markers in the
// reference code under repo, and checks that the two agree: every marker
// has its exercise and every exercise its marker, its step, a TODO, a hint
// and tests that exist. They come back in learning order: by chapter, then
// as each chapter lists them.
func LoadExercises(repo string, w *Workshop, chapters []ChapterSteps) ([]*Exercise, error) {
	var all []*Exercise
	for _, c := range chapters {
		if c.Exercises == nil {
			continue
		}
		exs := c.Exercises()
		dirs, err := filepath.Glob(filepath.Join(repo, "chapters", fmt.Sprintf("%02d-*", c.Number)))
		if err != nil {
			return nil, err
		}
		if len(dirs) != 1 {
			return nil, fmt.Errorf("chapter %d has exercises but no one directory chapters/%02d-*", c.Number, c.Number)
		}
		dir, _ := filepath.Rel(repo, dirs[0])
		markers, tests, err := scanChapter(repo, dir)
		if err != nil {
			return nil, err
		}
		for _, ex := range exs {
			m, ok := markers[ex.ID]
			if !ok {
				return nil, fmt.Errorf("exercise %s has no marker: add the line %q to the doc comment of its function in %s", ex.ID, markerPrefix+ex.ID, dir)
			}
			delete(markers, ex.ID)
			ex.Marker, ex.Chapter, ex.Dir = m, c.Number, dir
			if err := ex.check(w, tests); err != nil {
				return nil, err
			}
			all = append(all, ex)
		}
		if len(markers) > 0 {
			ids := make([]string, 0, len(markers))
			for id := range markers {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			m := markers[ids[0]]
			return nil, fmt.Errorf("%s: function %s is marked as exercise %s, which chapter %d's steps do not list", m.File, m.Func, m.ID, c.Number)
		}
	}
	seen := map[string]bool{}
	for _, ex := range all {
		if seen[ex.ID] {
			return nil, fmt.Errorf("exercise %s is listed twice", ex.ID)
		}
		seen[ex.ID] = true
	}
	return all, nil
}

// check says what is missing from ex.
func (ex *Exercise) check(w *Workshop, tests map[string]bool) error {
	if w != nil {
		if st, err := w.Find(ex.Step); err != nil || st.Chapter.Number != ex.Chapter {
			return fmt.Errorf("exercise %s: no step %q in chapter %d", ex.ID, ex.Step, ex.Chapter)
		}
	}
	switch {
	case strings.TrimSpace(ex.Todo) == "":
		return fmt.Errorf("exercise %s has no TODO text", ex.ID)
	case len(ex.Hints) == 0:
		return fmt.Errorf("exercise %s has no hint", ex.ID)
	case len(ex.Tests) == 0:
		return fmt.Errorf("exercise %s names no test that checks it", ex.ID)
	case ex.Minutes <= 0:
		return fmt.Errorf("exercise %s has no estimate of its minutes", ex.ID)
	}
	for _, t := range ex.Tests {
		if !tests[t] {
			return fmt.Errorf("exercise %s: no test %s in %s", ex.ID, t, ex.Dir)
		}
	}
	for _, h := range ex.HintsIf {
		if _, err := regexp.Compile(h.Output); err != nil {
			return fmt.Errorf("exercise %s: hint pattern %q: %w", ex.ID, h.Output, err)
		}
	}
	return nil
}

var testFunc = regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)

// scanChapter reads the Go files of a chapter's directory (not its steps):
// the markers in its code, by exercise ID, and the names of its tests.
func scanChapter(repo, dir string) (map[string]Marker, map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(repo, dir, "*.go"))
	if err != nil {
		return nil, nil, err
	}
	sort.Strings(files)
	markers := map[string]Marker{}
	tests := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, err
		}
		rel, _ := filepath.Rel(repo, f)
		if strings.HasSuffix(f, "_test.go") {
			for _, m := range testFunc.FindAllSubmatch(src, -1) {
				tests[string(m[1])] = true
			}
			continue
		}
		ms, err := FindMarkers(rel, src)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			if prev, dup := markers[m.ID]; dup {
				return nil, nil, fmt.Errorf("exercise %s is marked twice: %s and %s", m.ID, prev.File, m.File)
			}
			markers[m.ID] = m
		}
	}
	return markers, tests, nil
}
