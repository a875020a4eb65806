package cgroups

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// Open returns the existing cgroup whose full name is name, as Cgroup.Name
// gives it ("web-4242"): for another process than its maker to add a
// process to it, or read its counters.
func Open(name string) (Cgroup, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	h, err := detectHost()
	if err != nil {
		return nil, err
	}
	g := h.group(name)
	for _, dir := range g.Dirs() {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("cgroup %s: %w", name, err)
		}
	}
	return g, nil
}

// Holds reports whether process pid is in the group: listed in the
// cgroup.procs of its first directory (under v1, every hierarchy's holds
// the same processes).
func Holds(g Cgroup, pid int) (bool, error) {
	procs, err := readProcs(g.Dirs()[0])
	if err != nil {
		return false, err
	}
	return slices.Contains(procs, pid), nil
}

// Tasks counts the group's tasks, threads included: the lines of
// cgroup.threads (v2) or tasks (v1). pids.current is not that count:
// the kernel charges a fork to it first and takes the charge back if the
// fork is over pids.max, so a group at its limit can read one more, for
// an instant, than it ever holds.
func Tasks(g Cgroup) (int, error) {
	dir := g.Dirs()[0]
	file := "cgroup.threads"
	if _, err := os.Stat(dir + "/" + file); err != nil {
		file = "tasks"
	}
	text, err := readText(dir, file)
	if err != nil {
		return 0, err
	}
	return strings.Count(text, "\n"), nil
}
