package images_test

import (
	"os"
	"path/filepath"
	"testing"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"golang.org/x/sys/unix"
)

// TestWriteFileInStaysInside: a rootfs whose /etc is a symlink to a
// directory outside gets its file inside, where the symlink leads when
// resolved from the rootfs; a file that is itself a symlink is refused.
func TestWriteFileInStaysInside(t *testing.T) {
	dir := t.TempDir()
	root, outside := filepath.Join(dir, "rootfs"), filepath.Join(dir, "host-etc")
	for _, d := range []string{filepath.Join(root, "real-etc"), outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// An absolute symlink, as an image may hold: from the host it leads
	// to the host's directory, from inside the rootfs to /real-etc.
	if err := os.Symlink("/real-etc", filepath.Join(root, "etc")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		t.Fatal(err)
	}
	if err := images.WriteFileIn(root, "etc/hosts", []byte("10.88.0.2 web\n"), 0o644, -1, -1); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(root, "real-etc", "hosts")); err != nil || string(got) != "10.88.0.2 web\n" {
		t.Errorf("rootfs/real-etc/hosts = %q, %v; want the file there, where /etc leads inside", got, err)
	}
	// Resolved inside, the symlink leads nowhere: an error, and nothing
	// written outside.
	err := images.WriteFileIn(root, "/escape/hosts", []byte("x"), 0o644, -1, -1)
	if _, serr := os.Stat(filepath.Join(outside, "hosts")); serr == nil || err == nil {
		t.Errorf("a symlink to %s: %v; want an error and nothing written there", outside, err)
	}
	// A file that is a symlink out, or a FIFO (an open for writing would
	// wait for a reader), is replaced, not opened.
	if err := os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(root, "real-etc", "link")); err != nil {
		t.Fatal(err)
	}
	if err := unix.Mkfifo(filepath.Join(root, "real-etc", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"etc/link", "etc/fifo"} {
		if err := images.WriteFileIn(root, name, []byte("replaced\n"), 0o644, -1, -1); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		fi, err := os.Lstat(filepath.Join(root, "real-etc", filepath.Base(name)))
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s after the write: %v, %v; want a regular file in its place", name, fi, err)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "passwd")); err == nil {
		t.Error("the write went through the symlink, out of the rootfs")
	}
	if err := images.WriteFileIn(root, "../hosts", []byte("x"), 0o644, -1, -1); err == nil {
		t.Error("a name with .. was written, want it refused")
	}
	if err := images.WriteFileIn(root, "new/dir/file", []byte("made"), 0o600, -1, -1); err != nil {
		t.Errorf("a file in directories not there yet: %v, want them made", err)
	}
}
