package workshop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

// TestRemoveTreeRefusesMounts mounts a tmpfs under a directory, in a mount
// namespace of its own, and checks RemoveTree leaves both alone.
func TestRemoveTreeRefusesMounts(t *testing.T) {
	testutil.RequireRoot(t)
	dir := t.TempDir()
	inner := filepath.Join(dir, "rootfs", "dev")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.InMountNamespace(t, func() {
		// fn runs on another goroutine: t.Error and return, not t.Fatal.
		if err := unix.Mount("tmpfs", inner, "tmpfs", 0, ""); err != nil {
			t.Error(err)
			return
		}
		defer unix.Unmount(inner, unix.MNT_DETACH)
		if err := os.WriteFile(filepath.Join(inner, "null"), nil, 0o644); err != nil {
			t.Error(err)
			return
		}
		err := RemoveTree(filepath.Join(dir, "rootfs"))
		if err == nil || !strings.Contains(err.Error(), "umount "+inner) {
			t.Errorf("RemoveTree over a mount = %v, want a refusal naming the mount", err)
		}
		if _, err := os.Stat(filepath.Join(inner, "null")); err != nil {
			t.Errorf("a file in the mount is gone: %v", err)
		}
	})
	if err := RemoveTree(filepath.Join(dir, "rootfs")); err != nil {
		t.Errorf("RemoveTree without mounts: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "rootfs")); !os.IsNotExist(err) {
		t.Errorf("RemoveTree left the tree: %v", err)
	}
	if err := RemoveTree(filepath.Join(dir, "never-made")); err != nil {
		t.Errorf("RemoveTree of nothing = %v, want nil, as os.RemoveAll", err)
	}
}

// TestRemoveTreeRefusesAMountedDir: the directory itself is the mount.
func TestRemoveTreeRefusesAMountedDir(t *testing.T) {
	testutil.RequireRoot(t)
	dir := filepath.Join(t.TempDir(), "rootfs")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	testutil.InMountNamespace(t, func() {
		if err := unix.Mount("tmpfs", dir, "tmpfs", 0, ""); err != nil {
			t.Error(err)
			return
		}
		defer unix.Unmount(dir, unix.MNT_DETACH)
		if err := RemoveTree(dir); err == nil || !strings.Contains(err.Error(), "umount "+dir) {
			t.Errorf("RemoveTree of a mount point = %v, want a refusal naming it", err)
		}
	})
}
