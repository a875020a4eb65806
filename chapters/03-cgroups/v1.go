package cgroups

import (
	"errors"
	"fmt"
	"slices"
	"syscall"
)

// cgroup v1: one hierarchy per controller (or per few, co-mounted, like
// "cpu,cpuacct"), each a tree of its own. A group is a directory of the
// same name in every hierarchy, and a process must be added to each of
// them. v1 allows processes in any group; its files and their units differ
// from v2's (see memory.go, cpu.go).

type v1Group struct {
	name string
	dirs map[string]string // controller -> the group's directory in that controller's hierarchy
}

func newV1Group(mounts map[string]string, name string) *v1Group {
	g := &v1Group{name: name, dirs: map[string]string{}}
	for c, m := range mounts {
		g.dirs[c] = parentDir(m) + "/" + name
	}
	return g
}

func (g *v1Group) Name() string { return g.name }

// Dirs returns the group's directories, one per hierarchy, sorted.
func (g *v1Group) Dirs() []string {
	var dirs []string
	for _, d := range g.dirs {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	slices.Sort(dirs)
	return dirs
}

// create makes the group in every hierarchy, or in none.
func (g *v1Group) create() error {
	for i, d := range g.Dirs() {
		if err := mkdirGroup(d, func(string) error { return nil }); err != nil {
			for _, made := range g.Dirs()[:i] {
				rmdirGroup(made)
			}
			return err
		}
	}
	return nil
}

func (g *v1Group) settings(l Limits) []Setting {
	return slices.Concat(memorySettings(V1, g.dirs["memory"], l), pidsSettings(g.dirs["pids"], l), cpuSettings(V1, g.dirs["cpu"], l))
}

// Set writes the settings. v1 insists that memory.limit_in_bytes never
// exceeds memory.memsw.limit_in_bytes: raising both, memsw must go first,
// so on EINVAL Set tries that order.
func (g *v1Group) Set(l Limits) error {
	ss := g.settings(l)
	err := set(l, ss)
	if errors.Is(err, syscall.EINVAL) && len(ss) > 1 && ss[0].File == g.dirs["memory"]+"/memory.limit_in_bytes" {
		ss[0], ss[1] = ss[1], ss[0]
		err = set(l, ss)
	}
	return err
}

// Add writes the PID into cgroup.procs in every hierarchy.
func (g *v1Group) Add(pid int) error { return joinGroup(g.name, g.Dirs(), pid) }

func (g *v1Group) Stats() (Stats, error) {
	var s Stats
	err := memoryStats(V1, g.dirs["memory"], &s)
	if err == nil {
		err = cpuStatsV1(g.dirs["cpu"], g.dirs["cpuacct"], &s)
	}
	if err == nil {
		err = pidsStats(g.dirs["pids"], &s)
	}
	if err != nil {
		return s, fmt.Errorf("stats of cgroup %s: %w", g.name, err)
	}
	return s, nil
}

// Kill signals every process in the group until none is left: v1 has no
// cgroup.kill.
func (g *v1Group) Kill() error { return killAll(g.Dirs()) }

func (g *v1Group) Remove() error {
	if err := g.Kill(); err != nil {
		return err
	}
	var errs []error
	for _, d := range g.Dirs() {
		errs = append(errs, rmdirGroup(d))
	}
	return errors.Join(errs...)
}
