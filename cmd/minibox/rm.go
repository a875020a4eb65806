package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var rmCommand = &cli.Command{
	Name:      "rm",
	Usage:     "remove containers (-f: running ones too, killing them)",
	ArgsUsage: "CONTAINER...",
	Flags:     []cli.Flag{&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "kill a running container first"}},
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		return eachArg(c, func(ref string) error {
			if _, err := runtime.Remove(p, ref, c.Bool("force")); err != nil {
				return err
			}
			fmt.Println(ref)
			return nil
		})
	},
}
