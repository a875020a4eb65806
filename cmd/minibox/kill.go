package main

import (
	"fmt"
	"strconv"
	"strings"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
	"golang.org/x/sys/unix"
)

var killCommand = &cli.Command{
	Name:      "kill",
	Usage:     "send a signal to containers' PID 1 (default SIGKILL)",
	ArgsUsage: "CONTAINER...",
	Flags:     []cli.Flag{&cli.StringFlag{Name: "signal", Aliases: []string{"s"}, Value: "KILL", Usage: "signal name or number"}},
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		sig, err := parseSignal(c.String("signal"))
		if err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		return eachArg(c, func(ref string) error {
			if err := runtime.Kill(p, ref, sig); err != nil {
				return err
			}
			fmt.Println(ref)
			return nil
		})
	},
}

// parseSignal reads "TERM", "SIGTERM" or "15".
func parseSignal(s string) (unix.Signal, error) {
	if n, err := strconv.Atoi(s); err == nil && n > 0 && n < 65 {
		return unix.Signal(n), nil
	}
	name := strings.ToUpper(s)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if sig := unix.SignalNum(name); sig != 0 {
		return sig, nil
	}
	return 0, usageError("unknown signal %q: use a name like TERM or a number like 15", s)
}
