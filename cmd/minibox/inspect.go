package main

import (
	"encoding/json"
	"os"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var inspectCommand = &cli.Command{
	Name:      "inspect",
	Usage:     "print containers' records as JSON",
	ArgsUsage: "CONTAINER...",
	Action: func(c *cli.Context) error {
		if err := args(c, 1, -1); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		found := []*runtime.State{} // "[]", not "null", when none is found
		err := eachArg(c, func(ref string) error {
			s, err := runtime.Find(p, ref)
			if err == nil {
				found = append(found, s)
			}
			return err
		})
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		if encErr := enc.Encode(found); encErr != nil {
			return encErr
		}
		return err
	},
}
