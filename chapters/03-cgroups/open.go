package cgroups

import (
	"fmt"
	"os"
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
