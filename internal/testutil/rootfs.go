package testutil

import (
	"path/filepath"
	"testing"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// BusyboxRootfs builds a busybox userland (chapter 1) in a fresh temporary
// directory and returns its path. The directory is removed when t ends.
func BusyboxRootfs(t testing.TB) string {
	t.Helper()
	bb, err := chroot.FindBusybox()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "rootfs")
	if _, err := chroot.BuildUserland(dir, bb); err != nil {
		t.Fatal(err)
	}
	return dir
}
