package main

import (
	"os"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var execCommand = &cli.Command{
	Name:      "exec",
	Usage:     "run a command in a running container",
	ArgsUsage: "CONTAINER COMMAND [ARG...]",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "tty", Aliases: []string{"t"}, Usage: "give the command a terminal"},
		&cli.BoolFlag{Name: "interactive", Aliases: []string{"i"}, Usage: "accepted for docker's -it: stdin is always connected"},
		&cli.StringSliceFlag{Name: "env", Aliases: []string{"e"}, Usage: "set a variable, KEY=value"},
		&cli.StringFlag{Name: "workdir", Aliases: []string{"w"}, Usage: "working directory inside"},
	},
	Action: func(c *cli.Context) error {
		if err := args(c, 2, -1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		opt := runtime.ExecOptions{
			Args: c.Args().Tail(), Env: c.StringSlice("env"), Dir: c.String("workdir"), Terminal: c.Bool("tty"),
			Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		}
		code, err := runtime.Exec(p, c.Args().First(), opt)
		if err != nil {
			return err
		}
		if code != 0 {
			os.Exit(code)
		}
		return nil
	},
}
