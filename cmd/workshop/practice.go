package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/minibox-dev/minibox/chapters"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var practiceCommand = &cli.Command{
	Name:  "practice",
	Usage: "write the runtime yourself: exercises, checks, hints",
	Description: "`workshop practice start 1` gives you chapter 1's exercises: copies of its files,\n" +
		"in chapters/01-chroot/_practice/, with the exercises' bodies left for you to write.\n" +
		"`workshop practice check` checks the next one; once it passes, `workshop run` and\n" +
		"`workshop demo` run your code, and bin/practice/minibox is built from it.",
	Subcommands: []*cli.Command{
		practiceStartCommand,
		practiceListCommand,
		practiceCheckCommand,
		practiceHintCommand,
		practiceSolutionCommand,
		practiceResetCommand,
		practiceWatchCommand,
	},
}

// practiceSession is what the practice commands work with.
type practiceSession struct {
	*session
	pr *workshop.Practice
}

func newPracticeSession() (*practiceSession, error) {
	s, err := newSession()
	if err != nil {
		return nil, err
	}
	repo, err := repoRoot()
	if err != nil {
		return nil, err
	}
	exs, err := workshop.LoadExercises(repo, s.w, chapters.Steps)
	if err != nil {
		return nil, err
	}
	return &practiceSession{session: s, pr: &workshop.Practice{Repo: repo, Exercises: exs, Progress: s.p}}, nil
}

// exerciseArg finds the exercise the command names, or, with none named,
// the next one to do.
func (ps *practiceSession) exerciseArg(c *cli.Context) (*workshop.Exercise, error) {
	switch c.NArg() {
	case 0:
		if ex := ps.pr.Next(); ex != nil {
			return ex, nil
		}
		if !ps.pr.Active() {
			return nil, errors.New("no exercise started: `workshop practice start 1` gives you chapter 1's")
		}
		return nil, errors.New("every exercise you started has passed: `workshop practice list` shows what is left to start")
	case 1:
		return ps.pr.Find(c.Args().First())
	}
	return nil, fmt.Errorf("%s takes one exercise at most, e.g. `workshop practice %s ns.hostname`", c.Command.Name, c.Command.Name)
}

// namedExercise opens a session and finds the one exercise the command
// names.
func namedExercise(c *cli.Context) (*practiceSession, *workshop.Exercise, error) {
	if c.NArg() != 1 {
		return nil, nil, fmt.Errorf("%s takes one exercise, e.g. `workshop practice %s ns.hostname`", c.Command.Name, c.Command.Name)
	}
	ps, err := newPracticeSession()
	if err != nil {
		return nil, nil, err
	}
	ex, err := ps.pr.Find(c.Args().First())
	return ps, ex, err
}

var practiceStartCommand = &cli.Command{
	Name:      "start",
	Usage:     "give you a chapter's exercises to write",
	ArgsUsage: "CHAPTER",
	Action: func(c *cli.Context) error {
		if c.NArg() != 1 {
			return errors.New("start takes a chapter number, e.g. `workshop practice start 1`")
		}
		n, err := strconv.Atoi(c.Args().First())
		if err != nil {
			return fmt.Errorf("start takes a chapter number, e.g. `workshop practice start 1`, not %q", c.Args().First())
		}
		ps, err := newPracticeSession()
		if err != nil {
			return err
		}
		written, kept, err := ps.pr.Start(n)
		out := ps.env.Out
		for _, f := range written {
			fmt.Fprintf(out, "  wrote %s\n", f)
		}
		for _, f := range kept {
			fmt.Fprintf(out, "  kept %s: it holds your work (`workshop practice reset EXERCISE` puts one stub back)\n", f)
		}
		if err != nil {
			return err
		}
		exs := ps.pr.ChapterExercises(n)
		fmt.Fprintf(out, "chapter %d: %d exercises, about %d minutes in all\n", n, len(exs), minutes(exs))
		for _, ex := range exs {
			fmt.Fprintf(out, "  %-22s %s, in %s\n", ex.ID, ex.Func, ex.LearnerFile())
		}
		if next := ps.pr.Next(); next != nil {
			fmt.Fprintf(out, "first: open %s, find TODO(%s), write it, then: %s\n", next.LearnerFile(), next.ID, checkCommandFor(next))
		}
		return nil
	},
}

func minutes(exs []*workshop.Exercise) int {
	n := 0
	for _, ex := range exs {
		n += ex.Minutes
	}
	return n
}

// checkCommandFor is how the learner checks ex: with sudo if it needs root.
func checkCommandFor(ex *workshop.Exercise) string {
	if ex.Root && os.Geteuid() != 0 {
		return workshop.SudoCommand("practice", "check", ex.ID)
	}
	return os.Args[0] + " practice check " + ex.ID
}

var practiceListCommand = &cli.Command{
	Name:  "list",
	Usage: "list the exercises and how far you are",
	Action: func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		ps, err := newPracticeSession()
		if err != nil {
			return err
		}
		st, out := ps.env.Style, ps.env.Out
		chapter := -1
		for _, ex := range ps.pr.Exercises {
			if ex.Chapter != chapter {
				chapter = ex.Chapter
				fmt.Fprintf(out, "%s\n", st.Bold(fmt.Sprintf("chapter %d", chapter)))
			}
			mark, state := st.Dim("·"), "not started"
			if ps.pr.Started(ex) {
				mark, state = "○", "to do"
			}
			e := ps.p.Exercises[ex.ID]
			if ps.p.ExercisePassed(ex.ID) {
				mark, state = st.Green("✓"), "passed"
			}
			if e != nil && e.Hints > 0 {
				state += fmt.Sprintf(", %d/%d hints", e.Hints, len(ex.Hints))
			}
			if e != nil && e.SolutionSeen {
				state += ", solution seen"
			}
			fmt.Fprintf(out, "  %s %-22s %-24s %2d min  %s\n", mark, ex.ID, ex.Func, ex.Minutes, st.Dim(state))
		}
		return nil
	},
}

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
	fmt.Fprintf(out, "%s\n", st.Dim("$ go test -run '"+ex.TestPattern()+"' "+ex.Package()+"   (with your code)"))
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
	fmt.Fprintf(out, "%s %s passes: `workshop run %s` and bin/practice/minibox now run your %s\n", st.Green("✓"), ex.ID, stepNumber(ps.w, ex), ex.Func)
	if next := ps.pr.Next(); next != nil {
		fmt.Fprintf(out, "next: %s (%s), in %s\n", next.ID, next.Func, next.LearnerFile())
	}
	return true, nil
}

func stepNumber(w *workshop.Workshop, ex *workshop.Exercise) string {
	if st, err := w.Find(ex.Step); err == nil {
		return st.Number
	}
	return ex.Step
}

var practiceHintCommand = &cli.Command{
	Name:      "hint",
	Usage:     "one more hint for an exercise: a nudge, then the syscall, then the shape of the code",
	ArgsUsage: "[EXERCISE]",
	Flags:     []cli.Flag{&cli.BoolFlag{Name: "all", Usage: "show every hint at once"}},
	Action: func(c *cli.Context) error {
		ps, err := newPracticeSession()
		if err != nil {
			return err
		}
		ex, err := ps.exerciseArg(c)
		if err != nil {
			return err
		}
		e := ps.p.Exercise(ex.ID)
		shown := min(e.Hints+1, len(ex.Hints))
		if c.Bool("all") {
			shown = len(ex.Hints)
		}
		fmt.Fprintf(ps.env.Out, "%s: %s\n", ps.env.Style.Bold(ex.ID), ex.Todo)
		for i := range shown {
			fmt.Fprintf(ps.env.Out, "  hint %d of %d: %s\n", i+1, len(ex.Hints), ex.Hints[i])
		}
		if shown < len(ex.Hints) {
			fmt.Fprintf(ps.env.Out, "  (ask again for the next one)\n")
		}
		e.Hints = max(e.Hints, shown)
		return ps.p.Save()
	},
}

var practiceSolutionCommand = &cli.Command{
	Name:      "solution",
	Usage:     "show the reference, as a diff from your code (once the exercise passes)",
	ArgsUsage: "EXERCISE",
	Flags:     []cli.Flag{&cli.BoolFlag{Name: "anyway", Usage: "show it before the exercise passes (this is recorded)"}},
	Action: func(c *cli.Context) error {
		ps, ex, err := namedExercise(c)
		if err != nil {
			return err
		}
		if !ps.p.ExercisePassed(ex.ID) {
			if !c.Bool("anyway") {
				return fmt.Errorf("%s has not passed yet: the solution is shown after `workshop practice check %s` passes, or with --anyway (which is recorded)", ex.ID, ex.ID)
			}
			ps.p.Exercise(ex.ID).SolutionSeen = true
			if err := ps.p.Save(); err != nil {
				return err
			}
		}
		ref, mine, err := ps.pr.Solution(ex)
		if err != nil && ref == "" {
			return err
		}
		out := ps.env.Out
		if mine == "" {
			fmt.Fprintf(out, "the reference, %s in %s:\n%s\n", ex.Func, ex.File, ref)
			return nil
		}
		fmt.Fprintf(out, "from your %s (%s) to the reference (%s): - yours, + the reference\n", ex.Func, ex.LearnerFile(), ex.File)
		io.WriteString(out, workshop.LineDiff(mine, ref))
		return nil
	},
}

var practiceResetCommand = &cli.Command{
	Name:      "reset",
	Usage:     "put an exercise's stub back in your file, and forget that it passed",
	ArgsUsage: "EXERCISE",
	Action: func(c *cli.Context) error {
		ps, ex, err := namedExercise(c)
		if err != nil {
			return err
		}
		if err := ps.pr.Reset(ex); err != nil {
			return err
		}
		fmt.Fprintf(ps.env.Out, "%s: the stub is back in %s; the rest of the file is as you left it\n", ex.ID, ex.LearnerFile())
		return nil
	},
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

// practiceEnv marks a workshop built from the learner's code, so that it
// does not build itself again.
const practiceEnv = "MINIBOX_PRACTICE_BUILD"

// runLearnersCode makes run and demo run the learner's code: once they
// have started practising, it builds the workshop from their code into
// bin/practice and runs that in this process's place. It returns only
// when there is nothing to build (or with --reference), or on an error.
func runLearnersCode(c *cli.Context) error {
	if os.Getenv(practiceEnv) != "" || c.Bool("reference") {
		return nil
	}
	ps, err := newPracticeSession()
	if err != nil || !ps.pr.Active() {
		return nil // no practice here: the reference it is
	}
	goBin, err := findGo()
	if err != nil {
		return err
	}
	dir, err := ps.pr.Build(goBin)
	if err != nil {
		return err
	}
	used := ps.pr.Used()
	what := "none of your exercises has passed yet: the reference runs"
	if len(used) > 0 {
		what = "your code runs for " + workshop.IDs(used) + "; the reference for the rest"
	}
	fmt.Fprintf(ps.env.Out, "%s\n", ps.env.Style.Dim("(practice: "+what+"; --reference runs only the reference)"))
	exe := filepath.Join(dir, "workshop")
	return syscall.Exec(exe, append([]string{os.Args[0]}, os.Args[1:]...), append(os.Environ(), practiceEnv+"=1"))
}

var referenceFlag = &cli.BoolFlag{Name: "reference", Usage: "run the reference code, not yours (practice mode)"}
