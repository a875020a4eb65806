package images_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
)

// importSmall imports a tiny base image: no busybox, no root.
func importSmall(t *testing.T, s *images.Store, ref string) *images.Image {
	t.Helper()
	src := t.TempDir()
	writeTree(t, src, map[string]string{"etc/hostname": "base\n", "etc/passwd": "root\n", "bin/sh": "-> busybox"})
	img, err := s.ImportDir(src, ref)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// The store is an OCI image layout, with a manifest and a config that say
// what the specification says they say.
func TestImportWritesAnOCILayout(t *testing.T) {
	s := openStore(t)
	img := importSmall(t, s, "base")

	var layout map[string]string
	readJSON(t, filepath.Join(s.Dir, "oci-layout"), &layout)
	if diff := cmp.Diff(map[string]string{"imageLayoutVersion": "1.0.0"}, layout); diff != "" {
		t.Errorf("oci-layout (-want +got):\n%s", diff)
	}
	var idx images.Index
	readJSON(t, filepath.Join(s.Dir, "index.json"), &idx)
	if len(idx.Manifests) != 1 || idx.Manifests[0].Annotations[images.AnnotationRefName] != "base:latest" || idx.Manifests[0].Digest != img.Digest {
		t.Errorf("index.json: %+v", idx)
	}
	var m images.Manifest
	readJSON(t, s.BlobPath(img.Digest), &m)
	if m.MediaType != images.MediaTypeManifest || m.Config.MediaType != images.MediaTypeConfig || len(m.Layers) != 1 || m.Layers[0].MediaType != images.MediaTypeLayerGz {
		t.Errorf("manifest: %+v", m)
	}
	var cfg map[string]any
	readJSON(t, s.BlobPath(m.Config.Digest), &cfg)
	for key, want := range map[string]any{"os": "linux", "architecture": runtime.GOARCH} {
		if cfg[key] != want {
			t.Errorf("config %s = %v, want %v", key, cfg[key], want)
		}
	}
	rootfs, _ := json.Marshal(cfg["rootfs"])
	if want := `{"diff_ids":["` + string(img.Config.RootFS.DiffIDs[0]) + `"],"type":"layers"}`; string(rootfs) != want {
		t.Errorf("config rootfs = %s, want %s", rootfs, want)
	}
	if hist, _ := json.Marshal(cfg["history"]); !strings.Contains(string(hist), `"created_by":"minibox import`) {
		t.Errorf("config history = %s", hist)
	}
	// Every blob's name is its sha256.
	for _, d := range []images.Digest{img.Digest, m.Config.Digest, m.Layers[0].Digest} {
		b, err := os.ReadFile(s.BlobPath(d))
		if err != nil {
			t.Fatal(err)
		}
		if got := images.FromBytes(b); got != d {
			t.Errorf("blob %s hashes to %s", d, got)
		}
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func TestFindTagListRemove(t *testing.T) {
	s := openStore(t)
	base := importSmall(t, s, "base")
	upper := t.TempDir()
	writeTree(t, upper, map[string]string{"app/hello": "hello\n"})
	app, err := s.Commit(base, upper, "app:v1", "echo hello > /app/hello")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Tag("app:v1", "app"); err != nil {
		t.Fatal(err)
	}
	for _, ref := range []string{"app:v1", "app", "app:latest", string(app.Digest), app.Digest.Hex()[:8]} {
		got, err := s.Image(ref)
		if err != nil {
			t.Errorf("Image(%q): %v", ref, err)
			continue
		}
		if got.Digest != app.Digest {
			t.Errorf("Image(%q) = %s, want %s", ref, got.Digest, app.Digest)
		}
	}
	if _, err := s.Image("nope"); err == nil || !strings.Contains(err.Error(), `no image "nope"`) {
		t.Errorf("Image(nope): %v", err)
	}

	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range list {
		names = append(names, l.Name+" "+l.Digest.Short())
	}
	want := []string{"app:latest " + app.Digest.Short(), "app:v1 " + app.Digest.Short(), "base:latest " + base.Digest.Short()}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("List (-want +got):\n%s", diff)
	}

	// The commit shares the base's layer: one new layer blob, not two.
	if app.Manifest.Layers[0].Digest != base.Manifest.Layers[0].Digest || len(app.Manifest.Layers) != 2 {
		t.Errorf("app's layers %v do not start with base's %v", app.Manifest.Layers, base.Manifest.Layers)
	}
	hist, err := app.History()
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].CreatedBy != "echo hello > /app/hello" || hist[0].Layer != app.Manifest.Layers[1].Digest {
		t.Errorf("history: %+v", hist)
	}
	if !strings.Contains(images.FormatHistory(hist), "CREATED BY") {
		t.Errorf("FormatHistory has no header")
	}

	// Removing one tag keeps the image; removing the base's tag keeps the
	// base's layer, which app still needs.
	if res, err := s.Remove("app:v1"); err != nil || res.Blobs != 0 {
		t.Errorf("Remove(app:v1) = %+v, %v; want nothing collected", res, err)
	}
	if res, err := s.Remove("base"); err != nil || res.Blobs != 2 {
		t.Errorf("Remove(base) = %+v, %v; want its manifest and config collected", res, err)
	}
	if _, err := s.Image("app"); err != nil {
		t.Errorf("app after removing base: %v", err)
	}
	if res, err := s.Remove("app"); err != nil || res.Blobs != 4 {
		t.Errorf("Remove(app) = %+v, %v; want 4 blobs collected", res, err)
	}
	if left := blobNames(t, s); len(left) != 0 {
		t.Errorf("blobs left after removing every image: %v", left)
	}
}

func blobNames(t *testing.T, s *images.Store) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Dir, "blobs", "sha256"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// An image exported (as a layout, as an archive) and imported again is the
// same image: the same manifest digest.
func TestExportImport(t *testing.T) {
	s := openStore(t)
	img := importSmall(t, s, "base:1")

	dir := filepath.Join(t.TempDir(), "layout")
	if err := s.Export(img, dir, "exported:1"); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if err := s.ExportArchive(img, &archive, "archived:1"); err != nil {
		t.Fatal(err)
	}

	other := openStore(t)
	fromDir, err := other.ImportLayout(dir, "exported:1", "again:dir")
	if err != nil {
		t.Fatal(err)
	}
	fromArchive, err := other.ImportArchive(bytes.NewReader(archive.Bytes()), "", "again:archive")
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []*images.Image{fromDir, fromArchive} {
		if got.Digest != img.Digest {
			t.Errorf("%s: digest %s, want %s", got.Name, got.Digest, img.Digest)
		}
	}
	if diff := cmp.Diff(blobNames(t, s), blobNames(t, other)); diff != "" {
		t.Errorf("blobs (-exported +imported):\n%s", diff)
	}
}

// A layer blob changed on disk is caught when it is read, and the error
// names it.
func TestCorruptLayerIsNamed(t *testing.T) {
	s := openStore(t)
	img := importSmall(t, s, "base")
	p := s.BlobPath(img.Manifest.Layers[0].Digest)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	err = s.Export(img, t.TempDir(), "x")
	if err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("export of a corrupt layer: %v; want an error naming %s", err, p)
	}
}

// TestStoreIsRootsAlone: the store is made, or tightened, to mode 0700, so
// that no other user of the host reaches the images' files.
func TestStoreIsRootsAlone(t *testing.T) {
	fresh := filepath.Join(t.TempDir(), "store")
	loose := t.TempDir()
	if err := os.Chmod(loose, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{fresh, loose} {
		if _, err := images.OpenStore(dir); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o700 {
			t.Errorf("store %s has mode %v, want 0700", dir, fi.Mode().Perm())
		}
	}
}
