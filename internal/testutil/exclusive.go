package testutil

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/sys/unix"
)

// containerSuites is held, once taken, until the test binary exits.
var containerSuites struct {
	once sync.Once
	err  error
}

// ExclusiveContainerSuites keeps the test suites that run whole containers
// (chapters/05-runtime's and cmd/minibox's) from running at the same time,
// as `go test ./...` would run packages side by side: both kill supervisors
// on purpose, and each one's check for leftovers would see the other's
// cgroups while they are swept. The first call in a test binary waits for
// an exclusive flock on a file in the temporary directory; the kernel
// releases it when the binary exits. The file itself stays, empty: removed,
// a waiting suite would hold a lock on a name that no longer exists.
func ExclusiveContainerSuites(t testing.TB) {
	t.Helper()
	containerSuites.once.Do(func() {
		path := filepath.Join(os.TempDir(), "minibox-container-tests.lock")
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err == nil {
			err = unix.Flock(int(f.Fd()), unix.LOCK_EX) // f stays open: the lock with it
		}
		containerSuites.err = err
	})
	if containerSuites.err != nil {
		t.Fatalf("lock out the other container suites: %v", containerSuites.err)
	}
}
