package tutorial_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minibox-dev/minibox/chapters"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/minibox-dev/minibox/tutorial"
)

var update = flag.Bool("update", false, "rewrite the reference code that the pages show, from the code itself")

// TestPagesShowTheExercises: each exercise has its place in its step's
// section, marked <!-- exercise: ID -->, and the first ```go block after
// the mark is its reference function as the code has it, so the page
// cannot drift from the code. `go test ./tutorial -run
// TestPagesShowTheExercises -update` rewrites those blocks from the code.
func TestPagesShowTheExercises(t *testing.T) {
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	exs, err := workshop.LoadExercises("..", w, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{} // file → text, as updated
	for _, ex := range exs {
		st, err := w.Find(ex.Step)
		if err != nil {
			t.Fatal(err)
		}
		file := st.Chapter.Page.File
		if _, ok := pages[file]; !ok {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			pages[file] = string(data)
		}
		mark := "<!-- exercise: " + ex.ID + " -->"
		if !strings.Contains(st.Section.Body, mark) {
			t.Errorf("%s: the section of step %s (%s) has no %s: say there what to write, which syscall and why", file, st.Number, st.ID, mark)
			continue
		}
		ref, err := os.ReadFile(filepath.Join("..", ex.File))
		if err != nil {
			t.Fatal(err)
		}
		code, err := workshop.FuncSource(ref, ex.Func)
		if err != nil {
			t.Fatal(err)
		}
		text := pages[file]
		at := strings.Index(text, mark)
		open := strings.Index(text[at:], "\n```go\n")
		if open < 0 {
			t.Errorf("%s: no ```go block after %s for the reference", file, mark)
			continue
		}
		// The block's lines, up to its closing fence (it may have none).
		start := at + open + len("\n```go\n")
		end := strings.Index("\n"+text[start:], "\n```\n")
		if end > 0 {
			end-- // the newline before the fence is not the code's
		}
		if end < 0 {
			t.Errorf("%s: the ```go block after %s does not end", file, mark)
			continue
		}
		shown := text[start : start+end]
		if shown == code {
			continue
		}
		if *update {
			if end == 0 { // an empty block: the code needs its own newline
				code += "\n"
			}
			pages[file] = text[:start] + code + text[start+end:]
			continue
		}
		t.Errorf("%s shows %s's reference as it is not in %s (go test ./tutorial -run TestPagesShowTheExercises -update rewrites it):\n%s",
			file, ex.ID, ex.File, workshop.LineDiff(shown, code))
	}
	if *update {
		for file, text := range pages {
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
