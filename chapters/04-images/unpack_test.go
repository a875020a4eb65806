package images_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Each layer is unpacked once, into unpacked/<its diff ID>, and shared:
// unpacking an image made on a base unpacks only the layer the base does
// not have, and gives the directories bottom first, as overlay's lowerdirs.
// No root needed: these layers hold no whiteouts.
func TestUnpackSharesLayers(t *testing.T) {
	s := openStore(t)
	base := importSmall(t, s, "base")
	upper := t.TempDir()
	writeTree(t, upper, map[string]string{"app/hello": "hello\n"})
	app, err := s.Commit(base, upper, "app", "echo hello > /app/hello")
	if err != nil {
		t.Fatal(err)
	}
	bottom := s.UnpackedDir(app.Config.RootFS.DiffIDs[0])
	top := s.UnpackedDir(app.Config.RootFS.DiffIDs[1])

	dirs, err := s.Unpack(base)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{bottom}, dirs); diff != "" {
		t.Fatalf("Unpack(base): want its layer's directory, unpacked/<diff ID> (-want +got):\n%s", diff)
	}
	wantBase := []string{"bin dir", "bin/sh -> busybox", "etc dir", "etc/hostname file base\n", "etc/passwd file root\n"}
	if diff := cmp.Diff(wantBase, tree(t, bottom)); diff != "" {
		t.Errorf("the base's layer, unpacked (-want +got):\n%s", diff)
	}

	// Unpacked, the base's layer needs its blob no more.
	if err := os.Remove(s.BlobPath(base.Manifest.Layers[0].Digest)); err != nil {
		t.Fatal(err)
	}
	dirs, err = s.Unpack(app)
	if err != nil {
		t.Fatalf("Unpack(app), with the base's layer unpacked already and its blob gone: %v", err)
	}
	if diff := cmp.Diff([]string{bottom, top}, dirs); diff != "" {
		t.Errorf("Unpack(app): want the base's directory, then the new layer's, bottom first (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"app dir", "app/hello file hello\n"}, tree(t, top)); diff != "" {
		t.Errorf("app's top layer, unpacked (-want +got):\n%s", diff)
	}
	entries, err := os.ReadDir(filepath.Join(s.Dir, "unpacked"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{filepath.Base(bottom), filepath.Base(top)}
	if filepath.Base(bottom) > filepath.Base(top) {
		want[0], want[1] = want[1], want[0]
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("unpacked/: want one directory per layer, named by its diff ID (-want +got):\n%s", diff)
	}
}
