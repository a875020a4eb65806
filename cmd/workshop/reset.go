package main

import (
	"fmt"
	"os"

	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var resetCommand = &cli.Command{
	Name:  "reset",
	Usage: "forget progress and remove what the steps made",
	Action: func(c *cli.Context) error {
		if err := noArgs(c); err != nil {
			return err
		}
		// Not LoadProgress: reset must work on a damaged progress file.
		p, err := workshop.NewProgress()
		if err != nil {
			return err
		}
		dir := workDir()
		// What the steps made first: if that fails, progress still matches it.
		if _, err := os.Stat(dir); err == nil {
			if err := workshop.RemoveTree(dir); err != nil {
				return fmt.Errorf("remove %s: %w (made as root? %s)", dir, err, workshop.SudoCommand("reset"))
			}
			fmt.Printf("removed %s\n", dir)
		}
		if err := p.Reset(); err != nil {
			return err
		}
		fmt.Printf("progress forgotten (%s)\n", p.Path())
		return nil
	},
}
