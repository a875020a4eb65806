package cgroups

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Freezing a group stops every process in it where it stands, without a
// signal it could see or handle, until the group is thawed: what
// `docker pause` does, and what a commit needs, so that the container
// changes nothing while its files are read.
//
//   - v2: write 1 to cgroup.freeze; the group is frozen once cgroup.events
//     says "frozen 1".
//   - v1: the freezer controller, a hierarchy of its own: write FROZEN to
//     freezer.state; it reads FREEZING until every process has stopped.

// freezeTimeout is how long a freeze may take before it is an error.
const freezeTimeout = 10 * time.Second

// Freeze stops every process of the group, and returns once they are. A
// freeze that does not finish is undone: an error never leaves the group
// half frozen.
func Freeze(g Cgroup) error {
	err := setFrozen(g, true)
	if err != nil {
		if thawErr := Thaw(g); thawErr != nil {
			return fmt.Errorf("%w; and thawing it again: %v", err, thawErr)
		}
	}
	return err
}

// Thaw lets the group's processes run again.
func Thaw(g Cgroup) error { return setFrozen(g, false) }

func setFrozen(g Cgroup, frozen bool) error {
	file, value, done, err := freezer(g, frozen)
	if err != nil {
		return err
	}
	if err := (Setting{File: file, Value: value}).write(); err != nil {
		return err
	}
	for deadline := time.Now().Add(freezeTimeout); ; {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cgroup %s: not frozen after %v (%s)", g.Name(), freezeTimeout, file)
		}
		time.Sleep(time.Millisecond)
	}
}

// freezer returns the file to write, the value, and a check that the
// kernel is done, for v2 or for v1's freezer hierarchy.
func freezer(g Cgroup, frozen bool) (file, value string, done func() (bool, error), err error) {
	for _, dir := range g.Dirs() {
		if _, err := os.Stat(filepath.Join(dir, "cgroup.freeze")); err == nil {
			value, want := "0", "frozen 0"
			if frozen {
				value, want = "1", "frozen 1"
			}
			return filepath.Join(dir, "cgroup.freeze"), value, func() (bool, error) {
				events, err := readText(dir, "cgroup.events")
				return strings.Contains(events, want), err
			}, nil
		}
		if _, err := os.Stat(filepath.Join(dir, "freezer.state")); err == nil {
			value = "THAWED"
			if frozen {
				value = "FROZEN"
			}
			return filepath.Join(dir, "freezer.state"), value, func() (bool, error) {
				state, err := readText(dir, "freezer.state")
				return strings.TrimSpace(state) == value, err
			}, nil
		}
	}
	return "", "", nil, fmt.Errorf("cgroup %s: no freezer (no cgroup.freeze, and no v1 freezer hierarchy)", g.Name())
}
