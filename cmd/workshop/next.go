package main

import (
	"fmt"
	"os"

	"github.com/minibox-dev/minibox/internal/workshop"

	"github.com/urfave/cli/v2"
)

var nextCommand = &cli.Command{
	Name:  "next",
	Usage: "show the first step not done yet (it does not run it)",
	Action: func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		s, err := newSession()
		if err != nil {
			return err
		}
		for _, step := range s.w.Steps() {
			if !s.p.Done(step.ID) {
				fmt.Fprintf(s.env.Out, "next: %s %s (%s)\n  read it: %s show %s\n  run it:  %s\n",
					step.Number, step.Title, step.ID, os.Args[0], step.Number, workshop.RunCommand(step))
				return nil
			}
		}
		fmt.Fprintln(s.env.Out, "every step is done: well done! `workshop reset` starts again")
		return nil
	},
}
