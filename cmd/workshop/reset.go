package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"
)

var resetCommand = &cli.Command{
	Name:  "reset",
	Usage: "forget progress and remove what the steps made",
	Action: func(c *cli.Context) error {
		s, err := newSession()
		if err != nil {
			return err
		}
		if err := s.p.Reset(); err != nil {
			return err
		}
		fmt.Fprintf(s.env.Out, "progress forgotten (%s)\n", s.p.Path())
		if _, err := os.Stat(s.env.Dir); err == nil {
			if err := os.RemoveAll(s.env.Dir); err != nil {
				return fmt.Errorf("remove %s: %w (it was made as root: sudo workshop reset)", s.env.Dir, err)
			}
			fmt.Fprintf(s.env.Out, "removed %s\n", s.env.Dir)
		}
		return nil
	},
}
