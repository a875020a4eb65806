package images_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	images "github.com/minibox-dev/minibox/chapters/04-images"
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
	if err := images.WriteFileIn(root, "etc/hosts", []byte("10.88.0.2 web\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(root, "real-etc", "hosts")); err != nil || string(got) != "10.88.0.2 web\n" {
		t.Errorf("rootfs/real-etc/hosts = %q, %v; want the file there, where /etc leads inside", got, err)
	}
	// Resolved inside, the symlink leads nowhere: an error, and nothing
	// written outside.
	err := images.WriteFileIn(root, "/escape/hosts", []byte("x"), 0o644)
	if _, serr := os.Stat(filepath.Join(outside, "hosts")); serr == nil || err == nil {
		t.Errorf("a symlink to %s: %v; want an error and nothing written there", outside, err)
	}
	if err := os.Symlink("/real-etc/hosts", filepath.Join(root, "real-etc", "link")); err != nil {
		t.Fatal(err)
	}
	if err := images.WriteFileIn(root, "etc/link", []byte("x"), 0o644); err == nil || !strings.Contains(err.Error(), "too many levels of symbolic links") {
		t.Errorf("writing through a symlinked file: %v, want ELOOP", err)
	}
	if err := images.WriteFileIn(root, "../hosts", []byte("x"), 0o644); err == nil {
		t.Error("a name with .. was written, want it refused")
	}
	if err := images.WriteFileIn(root, "new/dir/file", []byte("made"), 0o600); err != nil {
		t.Errorf("a file in directories not there yet: %v, want them made", err)
	}
}
