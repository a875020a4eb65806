package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

func newApp() *cli.App {
	return &cli.App{
		Name:  "minibox",
		Usage: "a small container runtime, built in the minibox workshop",
		Description: "Containers are chapter 2's namespaces, limited by chapter 3's cgroups, on an\n" +
			"overlay of chapter 4's images. It needs root. Try: sudo minibox run --rm busybox echo hi",
		HideVersion:     true,
		HideHelpCommand: true,
		// -aq, -it, -dit: short flags together, as Docker takes them.
		UseShortOptionHandling: true,
		Commands: []*cli.Command{
			runCommand, psCommand, logsCommand, execCommand, stopCommand, killCommand,
			rmCommand, inspectCommand, statsCommand, portCommand, pruneCommand,
			imagesCommand, rmiCommand, commitCommand, historyCommand, diffCommand,
			importCommand, tagCommand,
		},
		CommandNotFound: func(c *cli.Context, name string) {
			fmt.Fprintf(os.Stderr, "minibox: unknown command %q: `minibox --help` lists the commands\n", name)
			os.Exit(runtime.ExitRuntime)
		},
		// Flag errors are minibox's own: exit 125, as docker.
		OnUsageError: func(c *cli.Context, err error, isSubcommand bool) error {
			return usageError("%v", err)
		},
	}
}

// usageError is a mistake in how minibox was called: exit code 125.
func usageError(format string, args ...any) error {
	return &runtime.Error{Code: runtime.ExitRuntime, Err: fmt.Errorf(format, args...)}
}

// args checks the number of arguments: at least min, at most max (-1: any).
func args(c *cli.Context, min, max int) error {
	n := c.NArg()
	if n >= min && (max < 0 || n <= max) {
		return nil
	}
	usage := strings.TrimSpace("minibox " + c.Command.Name + " " + c.Command.ArgsUsage)
	switch {
	case max == 0:
		return usageError("%s takes no arguments, got %d: %s", c.Command.Name, n, usage)
	case min == max:
		return usageError("%s takes %d argument(s), got %d: %s", c.Command.Name, min, n, usage)
	case n < min:
		return usageError("%s needs at least %d argument(s): %s", c.Command.Name, min, usage)
	default:
		return usageError("%s takes at most %d argument(s): %s", c.Command.Name, max, usage)
	}
}

// eachArg runs fn on every argument, going on after a failure, as docker
// rm and stop do, and returns the failures together.
func eachArg(c *cli.Context, fn func(ref string) error) error {
	var errs []error
	for _, ref := range c.Args().Slice() {
		if err := fn(ref); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
