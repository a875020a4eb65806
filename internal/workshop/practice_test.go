package workshop

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// practiceRepo is a repository with one chapter file holding two
// exercises, and a Practice on it with its progress in a temporary file.
func practiceRepo(t *testing.T) (*Practice, string) {
	t.Helper()
	repo := t.TempDir()
	dir := filepath.Join(repo, "chapters", "01-x")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ref := `package x

import "fmt"

// Version is not an exercise.
const Version = 1

// one is the first.
//
//workshop:exercise x.one
func one() error {
	return fmt.Errorf("one")
}

// two is the second.
//
//workshop:exercise x.two
func two() (int, error) {
	return 2, nil
}
`
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(ref), 0o644); err != nil {
		t.Fatal(err)
	}
	exs := []*Exercise{
		{ID: "x.one", Todo: "Write one.", Marker: Marker{ID: "x.one", File: "chapters/01-x/x.go", Func: "one"}, Chapter: 1, Dir: "chapters/01-x"},
		{ID: "x.two", Todo: "Write two.", Marker: Marker{ID: "x.two", File: "chapters/01-x/x.go", Func: "two"}, Chapter: 1, Dir: "chapters/01-x"},
	}
	p := &Progress{Version: 1, Passed: map[string]time.Time{}, path: filepath.Join(repo, "progress.json"), uid: os.Geteuid(), gid: os.Getgid()}
	return &Practice{Repo: repo, Exercises: exs, Progress: p}, repo
}

func TestPracticeOverlayTakesOnlyTheLearnersBodies(t *testing.T) {
	pr, repo := practiceRepo(t)
	if _, _, err := pr.Start(1); err != nil {
		t.Fatal(err)
	}
	one := pr.Exercises[0]
	mine := filepath.Join(repo, one.LearnerFile())
	src, _ := os.ReadFile(mine)
	written, err := ReplaceBodies(src, map[string]string{"one": "\n\treturn nil // mine\n"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(mine, written, 0o644)
	// A pull fixes the reference after the learner's copy was made.
	ref := filepath.Join(repo, one.File)
	refSrc, _ := os.ReadFile(ref)
	os.WriteFile(ref, []byte(strings.Replace(string(refSrc), "const Version = 1", "const Version = 2", 1)), 0o644)

	dir := t.TempDir()
	path, err := pr.Overlay(dir, one)
	if err != nil {
		t.Fatal(err)
	}
	var o struct{ Replace map[string]string }
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &o); err != nil {
		t.Fatal(err)
	}
	gen, ok := o.Replace[ref]
	if !ok || len(o.Replace) != 1 {
		t.Fatalf("overlay %v, want the reference %s replaced", o.Replace, ref)
	}
	out, _ := os.ReadFile(gen)
	for _, want := range []string{
		"return nil // mine",   // the learner's body of the exercise checked
		"const Version = 2",    // the reference as it is now
		"return 2, nil",        // the reference of the exercise not passed
		"//line " + mine + ":", // errors in the learner's body name their file
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the built file lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "not written yet") {
		t.Errorf("the built file has a stub of an exercise not being checked:\n%s", out)
	}
}

func TestPracticePassCountsForTheBodyThatPassed(t *testing.T) {
	pr, repo := practiceRepo(t)
	if _, _, err := pr.Start(1); err != nil {
		t.Fatal(err)
	}
	one := pr.Exercises[0]
	if pr.Passed(one) {
		t.Fatal("a stub counts as passed")
	}
	sum, err := pr.bodySum(one)
	if err != nil {
		t.Fatal(err)
	}
	e := pr.Progress.Exercise(one.ID)
	e.Passed, e.Body = time.Now(), sum
	if !pr.Passed(one) || len(pr.Used()) != 1 {
		t.Fatalf("the body that passed does not count: Passed %v, Used %v", pr.Passed(one), pr.Used())
	}
	mine := filepath.Join(repo, one.LearnerFile())
	src, _ := os.ReadFile(mine)
	edited, _ := ReplaceBodies(src, map[string]string{"one": "\n\treturn nil\n"}, nil)
	os.WriteFile(mine, edited, 0o644)
	if pr.Passed(one) || pr.Next() != one {
		t.Errorf("an edited body still counts as passed")
	}
	if err := pr.Reset(one); err != nil {
		t.Fatal(err)
	}
	if kept, err := os.ReadFile(mine + ".before-reset"); err != nil || !strings.Contains(string(kept), "return nil") {
		t.Errorf("reset kept no copy of the learner's file: %v", err)
	}
}

func TestPracticeNamesAFileThatDoesNotParse(t *testing.T) {
	pr, repo := practiceRepo(t)
	if _, _, err := pr.Start(1); err != nil {
		t.Fatal(err)
	}
	one := pr.Exercises[0]
	mine := filepath.Join(repo, one.LearnerFile())
	os.WriteFile(mine, []byte("package x\n\nfunc one() error {\n\treturn nil +\n}\n"), 0o644)
	_, err := pr.Overlay(t.TempDir(), one)
	if err == nil || !strings.Contains(err.Error(), "chapters/01-x/_practice/x.go:5") {
		t.Errorf("Overlay of a file that does not parse = %v, want its name and line", err)
	}
}
