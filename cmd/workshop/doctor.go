package main

import (
	"os"

	"github.com/minibox-dev/minibox/internal/doctor"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var doctorCommand = &cli.Command{
	Name:  "doctor",
	Usage: "check this machine: root, kernel, namespaces, cgroups, overlayfs, busybox, Go",
	Action: func(c *cli.Context) error {
		checks := doctor.Run()
		doctor.Print(os.Stdout, checks, workshop.StyleFor(os.Stdout).Color)
		if doctor.Failed(checks) {
			return cli.Exit("", 1)
		}
		return nil
	},
}
