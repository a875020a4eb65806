package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

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
			if ps.pr.Passed(ex) {
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
