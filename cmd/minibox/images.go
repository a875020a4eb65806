package main

import (
	"fmt"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var imagesCommand = &cli.Command{
	Name:  "images",
	Usage: "list images",
	Action: func(c *cli.Context) error {
		if err := args(c, 0, 0); err != nil {
			return err
		}
		store, err := runtime.OpenImages(runtime.DefaultPaths())
		if err != nil {
			return err
		}
		list, err := store.List()
		if err != nil {
			return err
		}
		fmt.Print(images.FormatList(list))
		return nil
	},
}
