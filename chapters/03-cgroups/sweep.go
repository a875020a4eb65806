package cgroups

import (
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// A cgroup outlives the processes in it, and the process that made it: if
// minibox is killed, its groups stay, some with processes still running in
// them. Each group's name ends in the PID of the minibox that made it
// ("hog-4242"), so a later run can tell them apart from live ones.

// Sweep removes the cgroups under Parent whose maker is gone, killing what
// still runs in them, and returns their names. Groups of running makers
// are left alone.
func Sweep() ([]string, error) {
	h, err := detectHost()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, parent := range h.parents() {
		entries, err := os.ReadDir(parent)
		if err != nil && !isGone(err) {
			return nil, err
		}
		for _, e := range entries {
			if e.IsDir() && !slices.Contains(names, e.Name()) && !makerAlive(e.Name()) {
				names = append(names, e.Name())
			}
		}
	}
	slices.Sort(names)
	var errs []error
	for _, name := range names {
		errs = append(errs, h.group(name).Remove())
	}
	for _, parent := range h.parents() {
		os.Remove(parent) // fails if other groups are in it, which is fine
	}
	return names, errors.Join(errs...)
}

// makerAlive reports whether the process whose PID ends the group's name
// still runs. A name without one is not minibox's: it counts as alive, and
// is left alone.
func makerAlive(name string) bool {
	i := strings.LastIndexByte(name, '-')
	if i < 0 {
		return true
	}
	pid, err := strconv.Atoi(name[i+1:])
	if err != nil || pid <= 0 {
		return true
	}
	err = syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
