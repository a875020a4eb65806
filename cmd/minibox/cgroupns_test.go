package main

import (
	"strings"
	"testing"
)

// TestContainerSeesItsCgroupAsRoot: the container is moved into its cgroup
// before its cgroup namespace is made, so /proc/self/cgroup reads "/" on
// every line, for the command and for an exec alike, and does not show
// where minibox put it ("/../minibox/mb-...").
func TestContainerSeesItsCgroupAsRoot(t *testing.T) {
	b := newBox(t)
	check := func(what, out string) {
		t.Helper()
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasSuffix(line, ":/") {
				t.Errorf("%s: /proc/self/cgroup has %q, want every line to end in :/", what, line)
			}
		}
	}
	check("run", b.ok("run", "--rm", "-m", "64m", "busybox", "cat", "/proc/self/cgroup"))
	b.ok("run", "-d", "--name", "cg", "busybox", "sleep", "30")
	check("exec", b.ok("exec", "cg", "cat", "/proc/self/cgroup"))
	b.ok("rm", "-f", "cg")
}
