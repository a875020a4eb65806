package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

var listCommand = &cli.Command{
	Name:  "list",
	Usage: "list the chapters and their steps, ✓ for done",
	Action: func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		s, err := newSession()
		if err != nil {
			return err
		}
		st := s.env.Style
		for _, ch := range s.w.Chapters {
			fmt.Fprintf(s.env.Out, "%s\n", st.Bold(ch.Title))
			for _, step := range ch.Steps {
				mark := " "
				if s.p.Done(step.ID) {
					mark = st.Green("✓")
				}
				fmt.Fprintf(s.env.Out, "  %s %-5s %-42s %s\n", mark, step.Number, step.Title, st.Dim(step.ID))
			}
		}
		return nil
	},
}
