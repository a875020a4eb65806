package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var rmiCommand = &cli.Command{
	Name:      "rmi",
	Usage:     "remove images, and the layers no image needs any more",
	ArgsUsage: "IMAGE...",
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		return eachArg(c, func(ref string) error {
			if _, err := runtime.RemoveImage(p, ref); err != nil {
				return err
			}
			fmt.Println("removed", ref)
			return nil
		})
	},
}
