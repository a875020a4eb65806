package images_test

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/testutil"
)

var remap = images.IDShift{UID: 100000, GID: 100000, Size: 65536}

// TestShiftedLayerRoundTrip: a layer unpacked for a user namespace has
// every owner moved into its range (setuid bits kept), and the tar written
// back from it has the owners the image had.
func TestShiftedLayerRoundTrip(t *testing.T) {
	testutil.RequireRoot(t)
	root := t.TempDir()
	layer := makeTar(t,
		entry{name: "bin/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "bin/su", body: "#!/bin/sh\n", mode: 0o4755},
		entry{name: "home/", typ: tar.TypeDir, mode: 0o755},
		entry{name: "home/user/", typ: tar.TypeDir, mode: 0o700, uid: 1000},
		entry{name: "home/user/notes", body: "hi", uid: 1000},
		symlink("bin/sh", "su"),
	)
	if _, err := images.Extract(bytes.NewReader(layer), root, images.ExtractOptions{Shift: remap}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]uint32{"bin": 100000, "bin/su": 100000, "bin/sh": 100000, "home/user": 101000, "home/user/notes": 101000} {
		var st syscall.Stat_t
		if err := syscall.Lstat(filepath.Join(root, name), &st); err != nil {
			t.Fatal(err)
		}
		if st.Uid != want || st.Gid != want {
			t.Errorf("%s: owner %d:%d, want %d:%d", name, st.Uid, st.Gid, want, want)
		}
	}
	if fi, err := os.Stat(filepath.Join(root, "bin/su")); err != nil || fi.Mode()&os.ModeSetuid == 0 {
		t.Errorf("bin/su lost its setuid bit in the shift: %v %v", fi.Mode(), err)
	}

	var out bytes.Buffer
	if err := images.WriteTar(&out, root, remap); err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(&out)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if strings.HasPrefix(hdr.Name, "home/user") {
			want = 1000
		}
		if hdr.Uid != want || hdr.Gid != want {
			t.Errorf("written back, %s: owner %d:%d, want %d:%d", hdr.Name, hdr.Uid, hdr.Gid, want, want)
		}
	}
}

// TestShiftRefusesOwnersOutsideTheRange: an owner the user namespace
// cannot hold is an error both ways, never a wrapped-around ID.
func TestShiftRefusesOwnersOutsideTheRange(t *testing.T) {
	testutil.RequireRoot(t)
	layer := makeTar(t, entry{name: "far", body: "x", uid: 70000})
	_, err := images.Extract(bytes.NewReader(layer), t.TempDir(), images.ExtractOptions{Shift: remap})
	if err == nil || !strings.Contains(err.Error(), "outside the user namespace") {
		t.Errorf("extract of an owner beyond the map: %v, want an outside-the-user-namespace error", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "host-file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Owned by the host's root, which the namespace does not map.
	err = images.WriteTar(io.Discard, dir, remap)
	if err == nil || !strings.Contains(err.Error(), "could not have made it") {
		t.Errorf("write-back of a file the host's root owns: %v, want a could-not-have-made-it error", err)
	}
}

func TestIDShiftMaps(t *testing.T) {
	if u, g, err := remap.ToHost(0, 5); u != 100000 || g != 100005 || err != nil {
		t.Errorf("ToHost(0, 5) = %d, %d, %v", u, g, err)
	}
	if u, g, err := remap.ToContainer(165535, 100000); u != 65535 || g != 0 || err != nil {
		t.Errorf("ToContainer(165535, 100000) = %d, %d, %v", u, g, err)
	}
	if _, _, err := remap.ToContainer(165536, 100000); err == nil {
		t.Error("ToContainer(165536): no error")
	}
	if u, g, err := (images.IDShift{}).ToContainer(7, 8); u != 7 || g != 8 || err != nil {
		t.Errorf("the zero shift moved 7:8 to %d:%d (%v)", u, g, err)
	}
}
