package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var commitCommand = &cli.Command{
	Name:      "commit",
	Usage:     "make a container's changes a new image",
	ArgsUsage: "CONTAINER IMAGE",
	Action: func(c *cli.Context) error {
		if err := args(c, 2, 2); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		img, err := runtime.Commit(p, c.Args().Get(0), c.Args().Get(1))
		if err != nil {
			return err
		}
		fmt.Println(img.Digest)
		return nil
	},
}
