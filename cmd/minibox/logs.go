package main

import (
	"os"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var logsCommand = &cli.Command{
	Name:      "logs",
	Usage:     "print a detached container's output",
	ArgsUsage: "CONTAINER",
	Flags:     []cli.Flag{&cli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Usage: "keep printing until the container exits"}},
	Action: func(c *cli.Context) error {
		if err := args(c, 1, 1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		return runtime.Logs(p, c.Args().First(), os.Stdout, c.Bool("follow"))
	},
}
