package testutil

import (
	"runtime"
	"testing"

	"golang.org/x/sys/unix"
)

// InMountNamespace runs fn on an OS thread of its own that has left the
// host's mount namespace for a private copy, so that fn may mount freely:
// its mounts vanish with the thread, which is never reused. fn runs on
// another goroutine: it must report with t.Error, not t.Fatal.
func InMountNamespace(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		// No UnlockOSThread: a goroutine that exits locked takes its thread
		// (and so the mount namespace) with it.
		runtime.LockOSThread()
		if err := unix.Unshare(unix.CLONE_NEWNS); err != nil {
			t.Errorf("unshare(CLONE_NEWNS): %v", err)
			return
		}
		if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
			t.Errorf("make mounts private: %v", err)
			return
		}
		fn()
	}()
	<-done
}
