package main

import (
	"os"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var demoCommand = &cli.Command{
	Name:  "demo",
	Usage: "run every step in order (--present pauses before each, for a classroom)",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "present", Usage: "show each step's title and command and wait for Enter before running it"},
		&cli.IntFlag{Name: "chapter", Value: -1, Usage: "run only chapter `N`"},
		&cli.StringFlag{Name: "from", Usage: "start at `STEP` (number or ID), to resume mid-class"},
		referenceFlag,
	},
	Action: func(c *cli.Context) error {
		if err := runLearnersCode(c); err != nil {
			return err
		}
		s, err := newSession()
		if err != nil {
			return err
		}
		res, err := workshop.Demo(s.w, s.env, s.p, workshop.DemoOptions{
			Chapter: c.Int("chapter"),
			From:    c.String("from"),
			Present: c.Bool("present"),
			In:      os.Stdin,
		})
		if err != nil {
			return err
		}
		if res.Failed > 0 {
			return cli.Exit("", 1)
		}
		return nil
	},
}
