package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/minibox-dev/minibox/chapters"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/minibox-dev/minibox/tutorial"
	"github.com/urfave/cli/v2"
)

func newApp() *cli.App {
	return &cli.App{
		Name:  "workshop",
		Usage: "build a container runtime, one step at a time",
		Description: "Each step runs real code against the kernel and checks the result.\n" +
			"Start with `workshop list`, then `workshop next`.",
		HideVersion: true,
		Commands: []*cli.Command{
			listCommand,
			showCommand,
			runCommand,
			nextCommand,
			checkCommand,
			demoCommand,
			doctorCommand,
			resetCommand,
			practiceCommand,
		},
	}
}

// session is what most commands need: the steps joined with their pages,
// the learner's progress, and where to print.
type session struct {
	w   *workshop.Workshop
	p   *workshop.Progress
	env *workshop.Env
}

func newSession() (*session, error) {
	w, err := workshop.Load(tutorial.Pages, chapters.Steps)
	if err != nil {
		return nil, err
	}
	p, err := workshop.LoadProgress()
	if err != nil {
		return nil, err
	}
	env := &workshop.Env{Out: os.Stdout, Style: workshop.StyleFor(os.Stdout), Dir: workDir()}
	return &session{w: w, p: p, env: env}, nil
}

// stepArg opens a session and finds the step named by the command's one
// argument.
func stepArg(c *cli.Context) (*session, *workshop.Step, error) {
	name, err := oneArg(c, "step")
	if err != nil {
		return nil, nil, err
	}
	s, err := newSession()
	if err != nil {
		return nil, nil, err
	}
	step, err := s.w.Find(name)
	return s, step, err
}

// noArgs refuses arguments a command does not take.
func noArgs(c *cli.Context) error {
	if c.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments (got %q)", c.Command.Name, c.Args().Slice())
	}
	return nil
}

// oneArg returns the command's single argument, or a usage error naming it.
func oneArg(c *cli.Context, name string) (string, error) {
	if c.NArg() != 1 {
		return "", fmt.Errorf("%s takes one %s, e.g. `workshop %s 1.2`", c.Command.Name, name, c.Command.Name)
	}
	return c.Args().First(), nil
}

// workDir is where the steps make what they make: $MINIBOX_ROOT/workshop,
// beside chapter 4's image store.
func workDir() string { return filepath.Join(images.Root(), "workshop") }
