package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var diffCommand = &cli.Command{
	Name:      "diff",
	Usage:     "list what a container changed: A added, C changed, D deleted",
	ArgsUsage: "CONTAINER",
	Action: func(c *cli.Context) error {
		if err := args(c, 1, 1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		changes, err := runtime.Diff(p, c.Args().First())
		if err != nil {
			return err
		}
		for _, ch := range changes {
			fmt.Println(ch)
		}
		return nil
	},
}
