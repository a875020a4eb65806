package main

import (
	"fmt"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var historyCommand = &cli.Command{
	Name:      "history",
	Usage:     "show an image's layers and the commands that made them",
	ArgsUsage: "IMAGE",
	Action: func(c *cli.Context) error {
		if err := args(c, 1, 1); err != nil {
			return err
		}
		store, err := runtime.OpenImages(runtime.DefaultPaths())
		if err != nil {
			return err
		}
		img, err := runtime.Image(store, c.Args().First())
		if err != nil {
			return err
		}
		h, err := img.History()
		if err != nil {
			return err
		}
		fmt.Print(images.FormatHistory(h))
		return nil
	},
}
