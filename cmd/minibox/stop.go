package main

import (
	"fmt"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var stopCommand = &cli.Command{
	Name:      "stop",
	Usage:     "stop containers: SIGTERM, then SIGKILL after a grace period",
	ArgsUsage: "CONTAINER...",
	Flags:     []cli.Flag{&cli.IntFlag{Name: "time", Aliases: []string{"t"}, Value: 10, Usage: "seconds to wait before SIGKILL"}},
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		if c.Int("time") < 0 {
			return usageError("--time %d: must not be negative", c.Int("time"))
		}
		p := runtime.DefaultPaths()
		return eachArg(c, func(ref string) error {
			if _, err := runtime.Stop(p, ref, time.Duration(c.Int("time"))*time.Second); err != nil {
				return err
			}
			fmt.Println(ref)
			return nil
		})
	},
}
