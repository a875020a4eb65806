package namespaces_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestPIDNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	c := hold(t, namespaces.Config{Rootfs: rootfs(t)}, "echo $$; ps -o pid,comm")
	requireOwnNamespace(t, c.Container, "pid")
	if c.Pid() == 1 {
		t.Errorf("Pid() = 1; want the container's PID 1 as the host numbers it")
	}

	lines := strings.Split(strings.TrimSpace(c.release(t)), "\n")
	if lines[0] != "1" {
		t.Errorf("echo $$ inside = %q, want 1: the command is PID 1", lines[0])
	}
	// Only the shell and ps itself: none of the host's processes, not even
	// the test binary that started the container.
	var procs []string
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		if len(f) != 2 {
			t.Fatalf("ps line %q, want PID COMMAND", l)
		}
		procs = append(procs, f[1])
	}
	if diff := cmp.Diff([]string{"sh", "ps"}, procs); diff != "" {
		t.Errorf("ps inside (-want +got):\n%s\n%s", diff, strings.Join(lines, "\n"))
	}
	if !strings.HasPrefix(strings.TrimSpace(lines[2]), "1 ") {
		t.Errorf("ps inside: the first process is %q, want PID 1", lines[2])
	}
}

func TestOrphansAreReaped(t *testing.T) {
	testutil.RequireRoot(t)
	// The subshell exits at once, so its `sleep 0.2` is orphaned and
	// re-parented to PID 1, the shell. When it exits, the shell must wait
	// for it, or it stays a zombie (<defunct>, state Z) until PID 1 ends.
	out := sh(t, rootfs(t), false, "(sleep 0.2 &); sleep 1; ps -o pid,ppid,stat,comm")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("ps printed %q", out)
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) < 4 || strings.HasPrefix(f[2], "Z") || strings.Contains(l, "defunct") {
			t.Errorf("a zombie is left, or ps output is odd: %q\n%s", l, out)
		}
		if f[3] == "sleep" {
			t.Errorf("the orphaned sleep is still listed: %q\n%s", l, out)
		}
	}
}
