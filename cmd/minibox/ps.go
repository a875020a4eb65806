package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var psCommand = &cli.Command{
	Name:  "ps",
	Usage: "list running containers (-a: all)",
	Flags: []cli.Flag{
		&cli.BoolFlag{Name: "all", Aliases: []string{"a"}, Usage: "show exited containers too"},
		&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "print the short IDs only, as for minibox rm -f $(minibox ps -aq)"},
	},
	Action: func(c *cli.Context) error {
		if err := args(c, 0, 0); err != nil {
			return err
		}
		p := runtime.DefaultPaths()
		all, err := runtime.List(p)
		if err != nil {
			return err
		}
		if c.Bool("quiet") {
			for _, s := range all {
				if s.Status == runtime.Running || c.Bool("all") {
					fmt.Println(s.ShortID())
				}
			}
			return nil
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 3, ' ', 0)
		fmt.Fprintln(w, "CONTAINER ID\tIMAGE\tCOMMAND\tCREATED\tSTATUS\tPORTS\tNAMES")
		for _, s := range all {
			if s.Status != runtime.Running && !c.Bool("all") {
				continue
			}
			cmd := strings.Join(s.Config.Args, " ")
			if len(cmd) > 20 {
				cmd = cmd[:19] + "…"
			}
			created := "-" // a damaged record does not say
			if !s.Created.IsZero() {
				created = runtime.HumanDuration(time.Since(s.Created)) + " ago"
			}
			fmt.Fprintf(w, "%s\t%s\t%q\t%s\t%s\t%s\t%s\n", s.ShortID(), s.Config.Image, cmd,
				created, runtime.DescribeStatus(s), s.Ports(), s.Name)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		for _, s := range all {
			if s.Status == runtime.Damaged {
				fmt.Fprintf(os.Stderr, "minibox: container %s: %s; `minibox rm %s` removes it\n", s.ShortID(), s.Error, s.ShortID())
			}
		}
		return nil
	},
}
