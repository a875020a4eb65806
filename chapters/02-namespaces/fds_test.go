package namespaces_test

import (
	"os"
	"testing"

	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

// TestInheritedFilesStayOutside: a host directory this process holds open
// without close-on-exec, as a shell's `exec 7</` would, does not reach the
// container's command. With it, `ls /proc/self/fd/42/..` would list the
// host's files from inside.
func TestInheritedFilesStayOutside(t *testing.T) {
	testutil.RequireRoot(t)
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	const leaked = 42
	// dup2(2) makes the copy without close-on-exec, as a shell does.
	if err := unix.Dup2(int(dir.Fd()), leaked); err != nil {
		t.Fatal(err)
	}
	defer unix.Close(leaked)
	out := sh(t, rootfs(t), false, "if [ -e /proc/self/fd/42 ]; then echo leaked; else echo closed; fi; ls /proc/self/fd")
	if out != "closed\n0\n1\n2\n3\n" {
		t.Errorf("the container's open files = %q, want only its standard streams (and ls's own 3)", out)
	}
}

// TestContainerLeadsItsOwnSession: the container's PID 1 is the leader of
// a session of its own (its session ID is its PID, 1), so the caller's
// terminal is not its controlling terminal, and TIOCSTI cannot push input
// into it. In the caller's session it would show session 0: a process of
// another PID namespace.
func TestContainerLeadsItsOwnSession(t *testing.T) {
	testutil.RequireRoot(t)
	out := sh(t, rootfs(t), false, "cut -d' ' -f6 /proc/1/stat")
	if out != "1\n" {
		t.Errorf("the container's session = %q, want 1: its PID 1 leads a session of its own", out)
	}
}
