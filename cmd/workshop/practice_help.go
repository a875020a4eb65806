package main

import (
	"fmt"
	"io"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

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
		} else {
			fmt.Fprintf(ps.env.Out, "  (that is every hint; `workshop practice solution --anyway %s` shows the reference, and says so in your progress)\n", ex.ID)
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
				return fmt.Errorf("%s has not passed yet: the solution is shown after `workshop practice check %s` passes, or with `workshop practice solution --anyway %s` (which is recorded)", ex.ID, ex.ID, ex.ID)
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
			if err != nil {
				fmt.Fprintf(out, "(your copy cannot be read: %v)\n", err)
			}
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
		fmt.Fprintf(ps.env.Out, "%s: the stub is back in %s; the file as it was is in %s.before-reset\n", ex.ID, ex.LearnerFile(), ex.LearnerFile())
		return nil
	},
}
