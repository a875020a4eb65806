package workshop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minibox-dev/minibox/internal/testutil"
	"golang.org/x/sys/unix"
)

const fixtureMountinfo = `22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:5 / /var/lib/minibox/workshop/rootfs/dev rw - devtmpfs udev rw
41 22 0:6 / /var/lib/minibox/workshop/rootfs2 rw - tmpfs tmpfs rw
42 22 0:7 / /tmp/with\040space/x rw - tmpfs tmpfs rw
`

func TestMountsUnder(t *testing.T) {
	tests := []struct {
		dir  string
		want []string
	}{
		{"/var/lib/minibox/workshop/rootfs", []string{"/var/lib/minibox/workshop/rootfs/dev"}},
		{"/var/lib/minibox/workshop/rootfs/", []string{"/var/lib/minibox/workshop/rootfs/dev"}},
		{"/var/lib/minibox/workshop", []string{"/var/lib/minibox/workshop/rootfs/dev", "/var/lib/minibox/workshop/rootfs2"}},
		{"/tmp/with space", []string{"/tmp/with space/x"}},
		{"/srv", nil},
	}
	for _, tt := range tests {
		got, err := MountsUnder(fixtureMountinfo, tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("MountsUnder(%s) (-want +got):\n%s", tt.dir, diff)
		}
	}
}

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
}
