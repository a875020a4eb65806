package namespaces_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

func TestIPCNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	// A System V shared memory segment on the host, as `ipcs -m` lists them.
	id, err := unix.SysvShmGet(unix.IPC_PRIVATE, 4096, unix.IPC_CREAT|0o600)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := unix.SysvShmCtl(id, unix.IPC_RMID, nil); err != nil {
			t.Errorf("remove shm segment %d: %v", id, err)
		}
	})
	// POSIX shared memory is a file in /dev/shm (what shm_open creates).
	posix := filepath.Join("/dev/shm", fmt.Sprintf("minibox-test-%d", os.Getpid()))
	if err := os.WriteFile(posix, []byte("host"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(posix) })

	// /proc/sysvipc/shm lists the segments of the reader's IPC namespace
	// (it is what `ipcs -m` reads; Debian's busybox has no ipcs).
	host, err := os.ReadFile("/proc/sysvipc/shm")
	if err != nil {
		t.Fatal(err)
	}
	if !listsSegment(string(host), id) {
		t.Fatalf("the host's /proc/sysvipc/shm does not list segment %d:\n%s", id, host)
	}

	c := hold(t, namespaces.Config{Rootfs: rootfs(t)}, "cat /proc/sysvipc/shm; echo shm: $(ls /dev/shm)")
	requireOwnNamespace(t, c.Container, "ipc")
	out := c.release(t)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(strings.TrimSpace(lines[0]), "key") || listsSegment(out, id) {
		t.Errorf("/proc/sysvipc/shm inside lists segments, want none:\n%s", out)
	}
	if lines[len(lines)-1] != "shm:" {
		t.Errorf("/dev/shm inside is not empty:\n%s", out)
	}
}

// listsSegment reports whether a /proc/sysvipc/shm listing has segment id.
func listsSegment(listing string, id int) bool {
	for _, line := range strings.Split(listing, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[1] == strconv.Itoa(id) {
			return true
		}
	}
	return false
}
