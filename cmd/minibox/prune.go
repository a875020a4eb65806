package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var pruneCommand = &cli.Command{
	Name:  "prune",
	Usage: "remove exited containers, and whatever a killed minibox left behind",
	Action: func(c *cli.Context) error {
		if err := args(c, 0, 0); err != nil {
			return err
		}
		names, err := runtime.Prune(runtime.DefaultPaths())
		for _, n := range names {
			fmt.Println(n)
		}
		return err
	},
}
