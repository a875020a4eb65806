package main

import (
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var runCommand = &cli.Command{
	Name:      "run",
	Usage:     "run a step and check it",
	ArgsUsage: "STEP",
	Flags:     []cli.Flag{referenceFlag},
	Action: func(c *cli.Context) error {
		if err := runLearnersCode(c); err != nil {
			return err
		}
		s, step, err := stepArg(c)
		if err != nil {
			return err
		}
		if err := workshop.RunStep(s.env, step, s.p); err != nil {
			return cli.Exit("", 1) // RunStep has said what went wrong
		}
		return nil
	},
}
