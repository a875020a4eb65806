package cgroups

import (
	"fmt"
	"slices"
	"strings"
)

// cgroup v2, the unified hierarchy: one tree of cgroups, each a directory
// holding the files of every controller enabled for it. A controller
// reaches a group only if its parent lists it in cgroup.subtree_control,
// and a group that hands controllers down to children may hold no
// processes itself ("no internal processes"; the root is exempt). So
// minibox's groups are leaves under Parent, which only ever holds groups.

type v2Group struct {
	name  string
	mount string // the cgroup2 mount: the root of the hierarchy
	dir   string
}

func newV2Group(mount, name string) *v2Group {
	return &v2Group{name: name, mount: mount, dir: parentDir(mount) + "/" + name}
}

func (g *v2Group) Name() string   { return g.name }
func (g *v2Group) Dirs() []string { return []string{g.dir} }

// create enables the controllers in the root and in Parent, then makes
// the group.
func (g *v2Group) create() error {
	if err := enableControllers(g.mount); err != nil {
		return err
	}
	return mkdirGroup(g.dir, enableControllers)
}

// enableControllers lists minibox's controllers in dir's
// cgroup.subtree_control, so its children get them.
func enableControllers(dir string) error {
	text, err := readText(dir, "cgroup.subtree_control")
	if err != nil {
		return fmt.Errorf("cgroup %s: %w", dir, err)
	}
	enabled := strings.Fields(text)
	for _, c := range Controllers {
		if slices.Contains(enabled, c) {
			continue
		}
		if err := (Setting{File: dir + "/cgroup.subtree_control", Value: "+" + c}).write(); err != nil {
			return fmt.Errorf("enable the %s controller for the children of %s: %w", c, dir, err)
		}
	}
	return nil
}

func (g *v2Group) settings(l Limits) []Setting {
	return slices.Concat(memorySettings(V2, g.dir, l), pidsSettings(g.dir, l), cpuSettings(V2, g.dir, l))
}

func (g *v2Group) Set(l Limits) error { return set(l, g.settings(l)) }

// Add writes the PID into cgroup.procs, which moves the whole process.
func (g *v2Group) Add(pid int) error { return joinGroup(g.name, g.Dirs(), pid) }

func (g *v2Group) Stats() (Stats, error) {
	var s Stats
	err := memoryStats(V2, g.dir, &s)
	if err == nil {
		err = cpuStatsV2(g.dir, &s)
	}
	if err == nil {
		err = pidsStats(g.dir, &s)
	}
	if err != nil {
		return s, fmt.Errorf("stats of cgroup %s: %w", g.name, err)
	}
	return s, nil
}

// Kill writes cgroup.kill (Linux 5.14), which kills the whole group at
// once, so that nothing forks away in between, and waits until it is empty.
func (g *v2Group) Kill() error {
	if err := (Setting{File: g.dir + "/cgroup.kill", Value: "1", Optional: true}).write(); err != nil && !isGone(err) {
		return err
	}
	return killAll(g.Dirs())
}

func (g *v2Group) Remove() error {
	if err := g.Kill(); err != nil {
		return err
	}
	return rmdirGroup(g.dir)
}
