package images_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// A commit is its base's layers, diff IDs and history, shared, plus one
// layer made of the upper directory, and a tag. Two commits on one base
// are two images that do not touch each other.
func TestCommit(t *testing.T) {
	s := openStore(t)
	importSmall(t, s, "base")
	base, err := s.Image("base") // as the store gives it back
	if err != nil {
		t.Fatal(err)
	}
	// A base's slices may have room to spare, as a JSON decoder leaves
	// them: a commit must not append into them.
	base.Manifest.Layers = slices.Grow(base.Manifest.Layers, 4)
	base.Config.RootFS.DiffIDs = slices.Grow(base.Config.RootFS.DiffIDs, 4)
	base.Config.History = slices.Grow(base.Config.History, 4)
	n := len(base.Manifest.Layers)
	commit := func(ref, file string) *images.Image {
		t.Helper()
		upper := t.TempDir()
		writeTree(t, upper, map[string]string{file: ref + "\n"})
		img, err := s.Commit(base, upper, ref, "echo "+ref+" > /"+file)
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	imgs := []*images.Image{commit("one", "app/one"), commit("two", "app/two")}
	for i, img := range imgs {
		ref := []string{"one", "two"}[i]
		stored, err := s.Image(ref)
		if err != nil {
			t.Fatalf("Image(%q), after committing it: %v", ref, err)
		}
		if stored.Digest != img.Digest {
			t.Errorf("Image(%q) finds %s, want the commit's %s: tag the new image ref", ref, stored.Digest, img.Digest)
		}
		if diff := cmp.Diff(stored.Manifest, img.Manifest); diff != "" {
			t.Errorf("commit %s returned a manifest other than the one it stored (-stored +returned):\n%s", ref, diff)
		}
		if diff := cmp.Diff(stored.Config, img.Config); diff != "" {
			t.Errorf("commit %s returned a config other than the one it stored (-stored +returned):\n%s", ref, diff)
		}
		if len(stored.Manifest.Layers) != n+1 || len(stored.Config.RootFS.DiffIDs) != n+1 {
			t.Fatalf("commit %s has %d layers and %d diff IDs, want the base's %d and one more",
				ref, len(stored.Manifest.Layers), len(stored.Config.RootFS.DiffIDs), n)
		}
		if diff := cmp.Diff(base.Manifest.Layers, stored.Manifest.Layers[:n]); diff != "" {
			t.Errorf("commit %s: its bottom layers are not the base's (-base +commit):\n%s", ref, diff)
		}
		if diff := cmp.Diff(base.Config.RootFS.DiffIDs, stored.Config.RootFS.DiffIDs[:n]); diff != "" {
			t.Errorf("commit %s: its bottom diff IDs are not the base's (-base +commit):\n%s", ref, diff)
		}
		top := stored.Manifest.Layers[n]
		blob, err := os.ReadFile(s.BlobPath(top.Digest))
		if err != nil {
			t.Fatalf("commit %s: its top layer: %v", ref, err)
		}
		if want := []string{"app/", "app/" + ref}; !cmp.Equal(want, tarNames(t, bytes.NewReader(blob))) {
			t.Errorf("commit %s: its top layer holds %v, want the upper directory's %v", ref, tarNames(t, bytes.NewReader(blob)), want)
		}
		zr, err := gzip.NewReader(bytes.NewReader(blob))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := stored.Config.RootFS.DiffIDs[n], images.FromBytes(plain); got != want {
			t.Errorf("commit %s: its top diff ID is %s, want %s, the sha256 of the layer's tar", ref, got, want)
		}
		h := stored.Config.History
		if len(h) != len(base.Config.History)+1 || h[len(h)-1].CreatedBy != "echo "+ref+" > /app/"+ref || h[len(h)-1].Created == nil {
			t.Errorf("commit %s: history %+v, want the base's and one item, created now by %q", ref, h, "echo "+ref+" > /app/"+ref)
		}
	}
}
