package namespaces_test

import (
	"os"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestCgroupNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	host, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	c := hold(t, namespaces.Config{Rootfs: rootfs(t)}, "cat /proc/self/cgroup")
	requireOwnNamespace(t, c.Container, "cgroup")
	out := c.release(t)
	// One line per hierarchy, "ID:CONTROLLERS:PATH": "0::/" on pure cgroup
	// v2, more lines on a hybrid host. Each path is the namespace's root,
	// whatever the host's path is.
	if n, m := strings.Count(out, "\n"), strings.Count(string(host), "\n"); n != m {
		t.Errorf("/proc/self/cgroup inside has %d lines, the host's %d:\n%s", n, m, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasSuffix(line, ":/") {
			t.Errorf("/proc/self/cgroup inside: %q, want the path /\n(host's:\n%s)", line, host)
		}
	}
}
