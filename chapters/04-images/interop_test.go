package images_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/testutil"
)

// requireTool skips a test whose tool is missing, unless CI forbids
// skipping (MINIBOX_TEST_REQUIRE_ROOT=1): there scripts/deps.sh installs it.
func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		msg := name + " is not installed: `make deps` installs it (apt-get install " + name + ")"
		if os.Getenv(testutil.RequireRootEnv) == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

func command(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return out
}

// skopeoInspect is what `skopeo inspect` says of an image.
type skopeoInspect struct {
	Digest       images.Digest
	Architecture string
	Os           string
	Layers       []images.Digest
}

// What minibox writes, skopeo reads (the store itself and an export), and
// umoci unpacks into the same tree minibox imported.
func TestSkopeoAndUmociReadMinibox(t *testing.T) {
	testutil.RequireRoot(t)
	requireTool(t, "skopeo")
	requireTool(t, "umoci")
	s := openStore(t)
	img, src := busyboxImage(t, s)
	layout := filepath.Join(t.TempDir(), "layout")
	if err := s.Export(img, layout, "busybox:latest"); err != nil {
		t.Fatal(err)
	}
	want := skopeoInspect{Digest: img.Digest, Architecture: img.Config.Architecture, Os: "linux", Layers: []images.Digest{img.Manifest.Layers[0].Digest}}
	for _, dir := range []string{s.Dir, layout} {
		var got skopeoInspect
		if err := json.Unmarshal(command(t, "skopeo", "inspect", "oci:"+dir+":busybox:latest"), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("skopeo inspect oci:%s (-want +got):\n%s", dir, diff)
		}
	}
	bundle := filepath.Join(t.TempDir(), "bundle")
	command(t, "umoci", "unpack", "--image", layout+":busybox:latest", bundle)
	if diff := cmp.Diff(tree(t, src), tree(t, filepath.Join(bundle, "rootfs"))); diff != "" {
		t.Errorf("umoci's unpacked rootfs (-minibox's source +umoci's):\n%s", diff)
	}
}

// An image umoci made, in two layers (the second deletes a file: umoci's
// whiteout), minibox imports and runs.
func TestMiniboxRunsAnUmociImage(t *testing.T) {
	testutil.RequireRoot(t)
	requireTool(t, "umoci")
	layout := filepath.Join(t.TempDir(), "umoci")
	bundle := filepath.Join(t.TempDir(), "bundle")
	command(t, "umoci", "init", "--layout", layout)
	command(t, "umoci", "new", "--image", layout+":base")
	command(t, "umoci", "unpack", "--image", layout+":base", bundle)
	command(t, "cp", "-a", testutil.BusyboxRootfs(t)+"/.", filepath.Join(bundle, "rootfs"))
	command(t, "umoci", "repack", "--image", layout+":base", bundle)
	// A second layer, from a fresh unpack of the first.
	bundle = filepath.Join(t.TempDir(), "bundle2")
	command(t, "umoci", "unpack", "--image", layout+":base", bundle)
	if err := os.Remove(filepath.Join(bundle, "rootfs/etc/hostname")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bundle, "rootfs/made-by"), []byte("umoci\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	command(t, "umoci", "repack", "--image", layout+":base", bundle)

	s := openStore(t)
	img, err := s.ImportLayout(layout, "base", "from-umoci")
	if err != nil {
		t.Fatal(err)
	}
	if len(img.Manifest.Layers) != 2 {
		t.Errorf("umoci's image has %d layers, want 2", len(img.Manifest.Layers))
	}
	c, err := images.NewContainer(filepath.Join(t.TempDir(), "c"))
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, s, img, c, "cat /made-by; test -e /etc/hostname || echo no hostname")
	if got != "umoci\nno hostname\n" {
		t.Errorf("the container of umoci's image printed %q", got)
	}
}

// skopeo copies a minibox image to another layout; minibox reads the copy,
// and it is the same image.
func TestMiniboxReadsSkopeoCopy(t *testing.T) {
	testutil.RequireRoot(t)
	requireTool(t, "skopeo")
	s := openStore(t)
	img := importSmall(t, s, "small:1")
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if err := s.Export(img, a, "small:1"); err != nil {
		t.Fatal(err)
	}
	command(t, "skopeo", "copy", "oci:"+a+":small:1", "oci:"+b+":copied")
	other := openStore(t)
	got, err := other.ImportLayout(b, "copied", "")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(img.Config.RootFS.DiffIDs, got.Config.RootFS.DiffIDs); diff != "" {
		t.Errorf("diff IDs after skopeo copy (-want +got):\n%s", diff)
	}
	if _, err := other.Unpack(got); err != nil {
		t.Errorf("unpack the copy: %v", err)
	}
}
