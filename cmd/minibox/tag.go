package main

import (
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var tagCommand = &cli.Command{
	Name:      "tag",
	Usage:     "give an image another name",
	ArgsUsage: "SOURCE TARGET",
	Action: func(c *cli.Context) error {
		if err := args(c, 2, 2); err != nil {
			return err
		}
		store, err := runtime.OpenImages(runtime.DefaultPaths())
		if err != nil {
			return err
		}
		if _, err := runtime.Image(store, c.Args().Get(0)); err != nil {
			return err
		}
		return store.Tag(c.Args().Get(0), c.Args().Get(1))
	},
}
