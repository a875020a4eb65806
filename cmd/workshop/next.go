package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

var nextCommand = &cli.Command{
	Name:  "next",
	Usage: "show the first step not done yet (it does not run it)",
	Action: func(c *cli.Context) error {
		s, err := newSession()
		if err != nil {
			return err
		}
		for _, step := range s.w.Steps() {
			if !s.p.Done(step.ID) {
				fmt.Fprintf(s.env.Out, "next: %s %s (%s)\n  read it: workshop show %s\n  run it:  workshop run %s\n",
					step.Number, step.Title, step.ID, step.Number, step.Number)
				return nil
			}
		}
		fmt.Fprintln(s.env.Out, "every step is done: well done! `workshop reset` starts again")
		return nil
	},
}
