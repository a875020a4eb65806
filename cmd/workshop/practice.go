package main

import (
	"errors"
	"fmt"

	"github.com/minibox-dev/minibox/chapters"
	"github.com/minibox-dev/minibox/internal/workshop"
	"github.com/urfave/cli/v2"
)

var practiceCommand = &cli.Command{
	Name:  "practice",
	Usage: "write the runtime yourself: exercises, checks, hints",
	Description: "`workshop practice start 1` gives you chapter 1's exercises: copies of its files,\n" +
		"in chapters/01-chroot/_practice/, with the exercises' bodies left for you to write.\n" +
		"`workshop practice check` checks the next one; once it passes, `workshop run` and\n" +
		"`workshop demo` run your code, and bin/practice/minibox is built from it.",
	Subcommands: []*cli.Command{
		practiceStartCommand,
		practiceListCommand,
		practiceCheckCommand,
		practiceHintCommand,
		practiceSolutionCommand,
		practiceResetCommand,
		practiceWatchCommand,
	},
}

// practiceSession is what the practice commands work with.
type practiceSession struct {
	*session
	pr *workshop.Practice
}

func newPracticeSession() (*practiceSession, error) {
	s, err := newSession()
	if err != nil {
		return nil, err
	}
	repo, err := repoRoot()
	if err != nil {
		return nil, err
	}
	exs, err := workshop.LoadExercises(repo, s.w, chapters.Steps)
	if err != nil {
		return nil, err
	}
	return &practiceSession{session: s, pr: &workshop.Practice{Repo: repo, Exercises: exs, Progress: s.p}}, nil
}

// exerciseArg finds the exercise the command names, or, with none named,
// the next one to do.
func (ps *practiceSession) exerciseArg(c *cli.Context) (*workshop.Exercise, error) {
	switch c.NArg() {
	case 0:
		if ex := ps.pr.Next(); ex != nil {
			return ex, nil
		}
		if !ps.pr.Active() {
			return nil, errors.New("no exercise started: `workshop practice start 1` gives you chapter 1's")
		}
		return nil, errors.New("every exercise you started has passed: `workshop practice list` shows what is left to start")
	case 1:
		return ps.pr.Find(c.Args().First())
	}
	return nil, fmt.Errorf("%s takes one exercise at most, e.g. `workshop practice %s ns.hostname`", c.Command.Name, c.Command.Name)
}

// namedExercise opens a session and finds the one exercise the command
// names.
func namedExercise(c *cli.Context) (*practiceSession, *workshop.Exercise, error) {
	if c.NArg() != 1 {
		return nil, nil, fmt.Errorf("%s takes one exercise, e.g. `workshop practice %s ns.hostname`", c.Command.Name, c.Command.Name)
	}
	ps, err := newPracticeSession()
	if err != nil {
		return nil, nil, err
	}
	ex, err := ps.pr.Find(c.Args().First())
	return ps, ex, err
}
