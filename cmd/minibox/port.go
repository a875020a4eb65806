package main

import (
	"fmt"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var portCommand = &cli.Command{
	Name:      "port",
	Usage:     "list a container's published ports, as CONTAINER-PORT/PROTOCOL -> HOST-ADDRESS:PORT",
	ArgsUsage: "CONTAINER",
	Action: func(c *cli.Context) error {
		if err := args(c, 1, 1); err != nil {
			return err
		}
		s, err := runtime.Find(runtime.DefaultPaths(), c.Args().First())
		if err != nil {
			return err
		}
		if s.Status != runtime.Running || s.Endpoint == nil {
			return nil // as docker: a container that does not run publishes nothing
		}
		for _, p := range s.Endpoint.Ports {
			fmt.Printf("%d/%s -> %s\n", p.ContainerPort, p.Protocol, p.Host())
		}
		return nil
	},
}
