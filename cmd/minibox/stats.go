package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	cgroups "github.com/minibox-dev/minibox/chapters/03-cgroups"
	runtime "github.com/minibox-dev/minibox/chapters/05-runtime"
	"github.com/urfave/cli/v2"
)

var statsCommand = &cli.Command{
	Name:      "stats",
	Usage:     "print running containers' use of memory, CPU and processes, once",
	ArgsUsage: "[CONTAINER...]",
	Action: func(c *cli.Context) error {
		p := runtime.DefaultPaths()
		var list []*runtime.State
		if c.NArg() == 0 {
			all, err := runtime.List(p)
			if err != nil {
				return err
			}
			for _, s := range all {
				if s.Status == runtime.Running {
					list = append(list, s)
				}
			}
		} else if err := eachArg(c, func(ref string) error {
			s, err := runtime.Find(p, ref)
			if err == nil {
				list = append(list, s)
			}
			return err
		}); err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 0, 0, 3, ' ', 0)
		fmt.Fprintln(w, "CONTAINER ID\tNAME\tCPU TIME\tMEM USAGE / LIMIT\tPIDS")
		for _, s := range list {
			st, err := runtime.Stats(s)
			if err != nil {
				return err
			}
			limit := "no limit"
			if st.MemoryLimit > 0 {
				limit = cgroups.FormatSize(st.MemoryLimit)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s / %s\t%d\n", s.ShortID(), s.Name, st.CPUUsage.Round(1e6), cgroups.FormatSize(st.Memory), limit, st.Pids)
		}
		return w.Flush()
	},
}
