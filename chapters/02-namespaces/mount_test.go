package namespaces_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	namespaces "github.com/minibox-dev/minibox/chapters/02-namespaces"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestMountNamespace(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	before, onDisk := hostMounts(t), tree(t, root)

	c := hold(t, namespaces.Config{Rootfs: root}, "mount -t tmpfs minibox-marker /tmp && grep -c minibox-marker /proc/self/mountinfo")
	requireOwnNamespace(t, c.Container, "mnt")
	if strings.Contains(hostMounts(t), "minibox-marker") {
		t.Errorf("the container's tmpfs shows in the host's mount table")
	}
	if out := c.release(t); out != "1\n" {
		t.Errorf("the container does not see its own tmpfs: grep -c printed %q", out)
	}
	if diff := cmp.Diff(before, hostMounts(t)); diff != "" {
		t.Errorf("the host's mount table changed (-before +after):\n%s", diff)
	}
	// /proc, /dev, /sys and the tmpfs were mounts, gone with the namespace:
	// nothing was written to the rootfs.
	if diff := cmp.Diff(onDisk, tree(t, root)); diff != "" {
		t.Errorf("the rootfs on disk changed (-before +after):\n%s", diff)
	}
}

func TestRootIsTheRootfs(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	secret := filepath.Join(filepath.Dir(root), "secret")
	if err := os.WriteFile(secret, []byte("host only\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := sh(t, root, false, "cat /etc/hostname; echo $(ls -a /); cat "+secret+" 2>&1 || true")
	want := "minibox\n" +
		". .. bin dev etc proc root sbin sys tmp usr\n" +
		"cat: can't open '" + secret + "': No such file or directory\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("inside the container (-want +got):\n%s", diff)
	}
}

func TestContainerMounts(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	for _, userNS := range []bool{false, true} {
		t.Run(map[bool]string{false: "root", true: "user namespace"}[userNS], func(t *testing.T) {
			out := sh(t, root, userNS, strings.Join([]string{
				"grep Name /proc/1/status",
				"ls /dev",
				"echo discarded > /dev/null",
				"head -c 16 /dev/urandom | wc -c",
				"head -c 4 /dev/zero | wc -c",
				"exec 3<>/dev/ptmx && echo new pty",
				"ls /dev/pts",
				"touch /sys/x 2>&1 || true",
				"echo shm > /dev/shm/x && cat /dev/shm/x",
			}, "; "))
			want := strings.Join([]string{
				"Name:\tsh", // this /proc is the container's: its PID 1 is the shell
				"full", "null", "ptmx", "pts", "random", "shm", "tty", "urandom", "zero",
				"16", "4", "new pty", "0", "ptmx",
				"touch: /sys/x: Read-only file system",
				"shm",
			}, "\n") + "\n"
			if diff := cmp.Diff(want, out); diff != "" {
				t.Errorf("/dev, /sys and /proc inside (-want +got):\n%s", diff)
			}
		})
	}
}

func TestHostMountsUnchangedAfterContainers(t *testing.T) {
	testutil.RequireRoot(t)
	root := rootfs(t)
	before := hostMounts(t)
	sh(t, root, false, "mount -t tmpfs x /tmp")
	sh(t, root, true, "mount -t tmpfs x /tmp")
	if _, err := namespaces.Run(namespaces.Config{Rootfs: root, Args: []string{"no-such-command"}}); err == nil {
		t.Error("running a missing command: want an error")
	}
	// No /proc to mount on: the init fails halfway through its mounts.
	if _, err := namespaces.Run(namespaces.Config{Rootfs: t.TempDir(), Args: []string{"sh"}}); err == nil {
		t.Error("running in an empty rootfs: want an error")
	}
	if diff := cmp.Diff(before, hostMounts(t)); diff != "" {
		t.Errorf("the host's mount table changed (-before +after):\n%s", diff)
	}
}

// tree lists every path under root with its type and permissions.
func tree(t *testing.T, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		m[strings.TrimPrefix(p, root)] = fi.Mode().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
