package tutorial_test

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/minibox-dev/minibox/chapters"

	"github.com/minibox-dev/minibox/internal/testutil"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/minibox-dev/minibox/tutorial"
)

// The tutorial is code: every ```console block of every page runs here, in
// page order, from the repository's top directory, and each command must
// print what the page shows (see workshop.MatchOutput for the "..." rule).
// A last output line "[exit N]" says the command exits with status N.
func TestEveryCommandPrintsWhatThePageShows(t *testing.T) {
	testutil.RequireRoot(t)
	pages := parsePages(t)
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// A scratch MINIBOX_ROOT and state directory: the learner's own are
	// not touched.
	scratch := t.TempDir()
	// A container with a user namespace runs as an unprivileged uid, which
	// must be able to reach its rootfs under scratch.
	for _, d := range []string{filepath.Dir(scratch), scratch} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	env := append(learnerEnv(),
		"MINIBOX_ROOT="+filepath.Join(scratch, "lib"),
		"MINIBOX_RUN="+filepath.Join(scratch, "run"),
		"XDG_STATE_HOME="+filepath.Join(scratch, "state"),
		"NO_COLOR=1",
		// The pages show the reference running, whatever exercises a
		// developer of the workshop has started in this tree.
		"MINIBOX_REFERENCE=1",
	)
	for _, page := range pages {
		t.Run(page.File, func(t *testing.T) {
			for _, block := range page.Blocks {
				for _, c := range block.Commands {
					runShown(t, page.File, repo, env, c)
				}
			}
		})
	}
}

// learnerEnv is this process's environment as a learner's shell would have
// it: without what an outer `make test` passes down (make[1] would print
// "Entering directory").
func learnerEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES":
			continue
		}
		env = append(env, kv)
	}
	return env
}

var exitLine = regexp.MustCompile(`^\[exit (\d+)\]$`)

func runShown(t *testing.T, page, dir string, env []string, c workshop.Command) {
	t.Helper()
	want := c.Want
	wantCode := 0
	if n := len(want); n > 0 {
		if m := exitLine.FindStringSubmatch(strings.TrimSpace(want[n-1])); m != nil {
			wantCode, _ = strconv.Atoi(m[1])
			want = want[:n-1]
		}
	}
	// We run as root: sudo, as the page shows it for a learner, is a no-op.
	cmd := exec.Command("bash", "-c", "sudo() { \"$@\"; }\n"+c.Cmd)
	cmd.Dir, cmd.Env = dir, env
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s:%d: %s: %v", page, c.Line, c.Cmd, err)
	}
	if code != wantCode {
		t.Errorf("%s:%d: $ %s\nexited %d, the page shows %d; it printed:\n%s", page, c.Line, c.Cmd, code, wantCode, out)
		return
	}
	if !workshop.MatchOutput(want, string(out)) {
		t.Errorf("%s:%d: $ %s\nprinted:\n%s\nthe page shows:\n%s", page, c.Line, c.Cmd, indent(string(out)), indent(strings.Join(want, "\n")))
	}
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n    ")
}

func parsePages(t *testing.T) []*workshop.Page {
	t.Helper()
	names, err := fs.Glob(tutorial.Pages, "*.md")
	if err != nil {
		t.Fatal(err)
	}
	var pages []*workshop.Page
	for _, name := range names {
		text, err := fs.ReadFile(tutorial.Pages, name)
		if err != nil {
			t.Fatal(err)
		}
		p, err := workshop.ParsePage(name, string(text))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	return pages
}

// TestStepsAndPagesAgree fails when the steps and the tutorial drift apart:
// every step has its section (workshop.Load checks numbers and IDs), and
// every step's section shows the command that runs it.
func TestStepsAndPagesAgree(t *testing.T) {
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Steps()) == 0 {
		t.Fatal("no steps loaded")
	}
	for _, st := range w.Steps() {
		runs := fmt.Sprintf("workshop run %s", st.Number)
		if !strings.Contains(st.Section.Body, runs) {
			t.Errorf("%s: the section of step %s (%s) does not show `%s`", st.Chapter.Page.File, st.Number, st.ID, runs)
		}
	}
}
