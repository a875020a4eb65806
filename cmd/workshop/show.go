package main

import (
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var showCommand = &cli.Command{
	Name:      "show",
	Usage:     "print a step's tutorial text",
	ArgsUsage: "STEP",
	Action: func(c *cli.Context) error {
		s, step, err := stepArg(c)
		if err != nil {
			return err
		}
		workshop.Render(s.env.Out, step.Section.Body, s.env.Style)
		return nil
	},
}
