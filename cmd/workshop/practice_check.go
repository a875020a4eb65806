package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var practiceCheckCommand = &cli.Command{
	Name:      "check",
	Usage:     "check an exercise against its tests (the next one without an argument)",
	ArgsUsage: "[EXERCISE]",
	Action: func(c *cli.Context) error {
		ps, err := newPracticeSession()
		if err != nil {
			return err
		}
		ex, err := ps.exerciseArg(c)
		if err != nil {
			return err
		}
		if passed, err := ps.check(ex); err != nil || !passed {
			if err != nil {
				return err
			}
			return cli.Exit("", 1)
		}
		return nil
	},
}

// check checks ex and says what happened; it reports whether ex passed.
func (ps *practiceSession) check(ex *workshop.Exercise) (bool, error) {
	st, out := ps.env.Style, ps.env.Out
	fmt.Fprintf(out, "%s %s %s\n", st.Bold(ex.ID), ex.Func, st.Dim("in "+ex.LearnerFile()))
	if ex.Root && os.Geteuid() != 0 {
		fmt.Fprintf(out, "  its tests need root; check it with:\n    %s\n", workshop.SudoCommand("practice", "check", ex.ID))
		return false, nil
	}
	goBin, err := findGo()
	if err != nil {
		return false, err
	}
	fmt.Fprintf(out, "%s\n", st.Dim("go test -run '"+ex.TestPattern()+"' "+ex.Package()+", with your "+ex.Func+" in place of the reference's"))
	r, err := ps.pr.Check(ex, goBin)
	if err != nil {
		return false, err
	}
	workshop.PrintResults(out, r.Results, st)
	if !r.Passed {
		fmt.Fprintf(out, "%s %s is not done yet\n", st.Red("✗"), ex.ID)
		if r.Hint != "" {
			fmt.Fprintf(out, "  hint: %s\n", r.Hint)
		}
		fmt.Fprintf(out, "  more help: %s practice hint %s\n", os.Args[0], ex.ID)
		return false, nil
	}
	fmt.Fprintf(out, "%s %s passes: from now on `workshop run`, `workshop demo` and `workshop check` use your %s (they build bin/practice/ from your code)\n", st.Green("✓"), ex.ID, ex.Func)
	if next := ps.pr.Next(); next != nil {
		fmt.Fprintf(out, "next: %s (%s), in %s\n", next.ID, next.Func, next.LearnerFile())
	}
	return true, nil
}

var practiceWatchCommand = &cli.Command{
	Name:  "watch",
	Usage: "check the next exercise each time you save a file (Ctrl-C ends)",
	Action: func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		ps, err := newPracticeSession()
		if err != nil {
			return err
		}
		var last time.Time
		for {
			files, err := ps.pr.LearnerFiles()
			if err != nil {
				return err
			}
			newest := last
			for _, f := range files {
				if fi, err := os.Stat(filepath.Join(ps.pr.Repo, f)); err == nil && fi.ModTime().After(newest) {
					newest = fi.ModTime()
				}
			}
			if newest.After(last) {
				last = newest
				// Another command (a hint, a run) may have saved since.
				if p, err := workshop.LoadProgress(); err == nil {
					ps.p, ps.pr.Progress = p, p
				}
				ex := ps.pr.Next()
				if ex == nil {
					fmt.Fprintln(ps.env.Out, "every exercise you started has passed")
					return nil
				}
				if _, err := ps.check(ex); err != nil {
					fmt.Fprintln(ps.env.Out, ps.env.Style.Red(err.Error()))
				}
				fmt.Fprintln(ps.env.Out, ps.env.Style.Dim("watching "+strings.Join(files, ", ")+" (Ctrl-C ends)"))
			}
			time.Sleep(500 * time.Millisecond)
		}
	},
}
