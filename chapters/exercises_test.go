package chapters_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minibox-dev/minibox/chapters"
	"github.com/minibox-dev/minibox/internal/testutil"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/minibox-dev/minibox/tutorial"
)

// repo is the repository: this test runs in chapters/.
const repo = ".."

func loadExercises(t *testing.T) []*workshop.Exercise {
	t.Helper()
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := workshop.LoadExercises(repo, w, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	if len(exs) == 0 {
		t.Fatal("no exercises")
	}
	return exs
}

// TestExercisesAgreeWithTheCode: every marker in the code has its
// exercise and every exercise its marker, step, TODO, hints and tests
// (LoadExercises checks them); the stub of each parses, names its
// exercise, and gives back the reference when the reference body is put
// back in, so stubs are the reference minus the exercise, nothing else.
func TestExercisesAgreeWithTheCode(t *testing.T) {
	pr := &workshop.Practice{Repo: repo, Exercises: loadExercises(t)}
	for _, ex := range pr.Exercises {
		t.Run(ex.ID, func(t *testing.T) {
			ref, err := os.ReadFile(filepath.Join(repo, ex.File))
			if err != nil {
				t.Fatal(err)
			}
			stub, err := pr.StubFile(ex.File, []*workshop.Exercise{ex})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(stub, []byte("exercise "+ex.ID+" is not written yet")) || !bytes.Contains(stub, []byte("TODO("+ex.ID+")")) {
				t.Errorf("the stub of %s does not name it:\n%s", ex.ID, stub)
			}
			body, err := workshop.FuncBody(ref, ex.Func)
			if err != nil {
				t.Fatal(err)
			}
			known, _ := workshop.Imports(ref)
			back, err := workshop.ReplaceBodies(stub, map[string]string{ex.Func: body}, known)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(back, ref) {
				t.Errorf("%s with the reference body put back in its stub is not the reference: is %s gofmt'ed, its imports in goimports' order?\n%s",
					ex.File, ex.File, workshop.LineDiff(string(ref), string(back)))
			}
		})
	}
}

// TestExercisesAreHonest proves each exercise in the workshop's own
// terms: with its stub in place the whole tree builds and vets, and the
// exercise's tests fail naming it; with the reference they pass. It
// builds the tree once per exercise, so it runs when asked for
// (MINIBOX_PROVE_EXERCISES=1, as `make test` and CI do).
func TestExercisesAreHonest(t *testing.T) {
	if os.Getenv("MINIBOX_PROVE_EXERCISES") == "" {
		t.Skip("set MINIBOX_PROVE_EXERCISES=1 to prove every exercise (it builds the tree once per exercise); `make test` does")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	pr := &workshop.Practice{Repo: repo, Exercises: loadExercises(t)}
	for _, ex := range pr.Exercises {
		t.Run(ex.ID, func(t *testing.T) {
			if ex.Root {
				testutil.RequireRoot(t)
			}
			stub, err := pr.StubFile(ex.File, []*workshop.Exercise{ex})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			stubPath := filepath.Join(dir, filepath.Base(ex.File))
			if err := os.WriteFile(stubPath, stub, 0o644); err != nil {
				t.Fatal(err)
			}
			abs, err := filepath.Abs(filepath.Join(repo, ex.File))
			if err != nil {
				t.Fatal(err)
			}
			overlay := filepath.Join(dir, "overlay.json")
			data, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: stubPath}})
			if err := os.WriteFile(overlay, data, 0o644); err != nil {
				t.Fatal(err)
			}
			goCmd := func(args ...string) (string, error) {
				cmd := exec.Command(goBin, args...)
				cmd.Dir = repo
				out, err := cmd.CombinedOutput()
				return string(out), err
			}
			if out, err := goCmd("build", "-overlay", overlay, "./..."); err != nil {
				t.Fatalf("the tree does not build with the stub of %s: %v\n%s", ex.ID, err, out)
			}
			if out, err := goCmd("vet", "-overlay", overlay, ex.Package()); err != nil {
				t.Fatalf("go vet fails with the stub of %s: %v\n%s", ex.ID, err, out)
			}
			out, err := goCmd("test", "-count=1", "-overlay", overlay, "-run", ex.TestPattern(), ex.Package())
			switch {
			case err == nil:
				t.Errorf("%s's tests pass on its stub: the exercise checks nothing\n%s", ex.ID, out)
			case !strings.Contains(out, "exercise "+ex.ID+" is not written yet"):
				t.Errorf("%s's tests fail on its stub, but not naming it (a failure elsewhere?):\n%s", ex.ID, out)
			case strings.Contains(out, "panic: ") && !strings.Contains(out, "panic: exercise "+ex.ID):
				t.Errorf("%s's stub makes something else panic:\n%s", ex.ID, out)
			}
			out, err = goCmd("test", "-count=1", "-v", "-run", ex.TestPattern(), ex.Package())
			if err != nil {
				t.Errorf("%s's tests fail on the reference: %v\n%s", ex.ID, err, out)
			}
			if strings.Contains(out, "--- SKIP") {
				t.Errorf("%s's tests skip on the reference, proving nothing:\n%s", ex.ID, out)
			}
		})
	}
}

// TestEveryStepHasAnExercise: from chapter 1 on, the learner writes the
// work of every step (chapter 0 checks the machine).
func TestEveryStepHasAnExercise(t *testing.T) {
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	has := map[string]bool{}
	for _, ex := range loadExercises(t) {
		has[ex.Step] = true
	}
	for _, st := range w.Steps() {
		if st.Chapter.Number > 0 && !has[st.ID] {
			t.Errorf("step %s (%s) has no exercise", st.Number, st.ID)
		}
	}
}
