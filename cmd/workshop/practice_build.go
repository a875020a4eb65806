package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

// practiceEnv marks a workshop built from the learner's code, so that it
// does not build itself again.
const practiceEnv = "MINIBOX_PRACTICE_BUILD"

// runLearnersCode makes run and demo run the learner's code: once they
// have started practising, it builds the workshop from their code into
// bin/practice and runs that in this process's place. It returns only
// when there is nothing to build (or with --reference), or on an error.
func runLearnersCode(c *cli.Context) error {
	if os.Getenv(practiceEnv) != "" || os.Getenv("MINIBOX_REFERENCE") != "" || c.Bool("reference") {
		return nil
	}
	// Without root, every step of chapters 1 to 5 stops at once to print
	// its sudo command: nothing of the learner's would run.
	if os.Geteuid() != 0 {
		return nil
	}
	ps := practiceOrWarn()
	if ps == nil || !ps.pr.Active() {
		return nil
	}
	used := ps.pr.Used()
	if len(used) == 0 {
		fmt.Fprintln(ps.env.Out, ps.env.Style.Dim("(practice: none of your exercises has passed yet: the reference runs)"))
		return nil
	}
	goBin, err := findGo()
	if err != nil {
		return err
	}
	dir, err := ps.pr.Build(goBin)
	if err != nil {
		return fmt.Errorf("%w\n(fix your code, or run the reference: %s %s --reference ...)", err, os.Args[0], c.Command.Name)
	}
	fmt.Fprintf(ps.env.Out, "%s\n", ps.env.Style.Dim("(practice: your code runs for "+workshop.IDs(used)+"; the reference for the rest; "+c.Command.Name+" --reference runs only the reference)"))
	exe := filepath.Join(dir, "workshop")
	return syscall.Exec(exe, append([]string{os.Args[0]}, os.Args[1:]...), append(os.Environ(), practiceEnv+"=1"))
}

// practiceOrWarn opens practice mode, or says why it cannot and returns
// nil: then the reference runs. A workshop binary away from its source
// (no go.mod above it) has no practice to open, and says nothing.
func practiceOrWarn() *practiceSession {
	ps, err := newPracticeSession()
	if errors.Is(err, errNoRepo) {
		return nil
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "workshop: practice mode: %v; the reference runs\n", err)
		return nil
	}
	return ps
}

// practiceOverlay is the -overlay file that makes go test use the
// learner's code where their exercises passed, or "" when they practise
// nothing (or ask for the reference). done removes it.
func practiceOverlay(c *cli.Context, s *session) (overlay string, done func(), err error) {
	done = func() {}
	if os.Getenv("MINIBOX_REFERENCE") != "" || c.Bool("reference") {
		return "", done, nil
	}
	ps := practiceOrWarn()
	if ps == nil || !ps.pr.Active() {
		return "", done, nil
	}
	tmp, err := os.MkdirTemp("", "minibox-practice-")
	if err != nil {
		return "", done, err
	}
	done = func() { os.RemoveAll(tmp) }
	if overlay, err = ps.pr.Overlay(tmp, nil); err != nil {
		done()
		return "", func() {}, err
	}
	what := "none of your exercises has passed yet: the reference is tested"
	if used := ps.pr.Used(); len(used) > 0 {
		what = "your code is tested for " + workshop.IDs(used) + "; the reference for the rest"
	}
	fmt.Fprintf(s.env.Out, "%s\n", s.env.Style.Dim("(practice: "+what+"; check --reference tests only the reference)"))
	return overlay, done, nil
}

var referenceFlag = &cli.BoolFlag{Name: "reference", Usage: "run the reference code, not yours (practice mode; or set MINIBOX_REFERENCE=1)"}
