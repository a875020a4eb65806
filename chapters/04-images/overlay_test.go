package images_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/testutil"
)

func TestOverlayOptions(t *testing.T) {
	o := images.Overlay{Lower: []string{"/l/base", "/l/top"}, Upper: "/c/upper", Work: "/c/work", Merged: "/c/merged"}
	got, err := o.Options()
	if err != nil {
		t.Fatal(err)
	}
	want := "lowerdir=/l/top:/l/base,upperdir=/c/upper,workdir=/c/work,redirect_dir=off,metacopy=off,index=off"
	if got != want {
		t.Errorf("Options() = %q, want %q", got, want)
	}
	for _, bad := range []images.Overlay{{Merged: "/m"}, {Lower: []string{"/a:b"}, Merged: "/m"}} {
		if _, err := bad.Options(); err == nil {
			t.Errorf("Options(%+v) succeeded", bad)
		}
	}
}

// The test's task: mount an overlay, change it with a shell script, unmount.
func init() { images.RegisterTask("test-overlay-script", overlayScript) }

type scriptArg struct {
	Overlay images.Overlay
	Script  string
}

func overlayScript(raw json.RawMessage) (int, error) {
	var a scriptArg
	if err := json.Unmarshal(raw, &a); err != nil {
		return 0, err
	}
	if err := a.Overlay.Mount(); err != nil {
		return 0, err
	}
	cmd := exec.Command("sh", "-ec", a.Script)
	cmd.Dir, cmd.Stdout, cmd.Stderr = a.Overlay.Merged, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return 1, nil
	}
	return 0, a.Overlay.Unmount()
}

// overlayfs by hand: a write copies a lower file up, a deletion leaves a
// 0:0 character device, a directory deleted and made again is opaque; the
// lower directory never changes.
func TestOverlayCopyUpWhiteoutOpaque(t *testing.T) {
	testutil.RequireRoot(t)
	dir := t.TempDir()
	lower := filepath.Join(dir, "lower")
	writeTree(t, lower, map[string]string{"motd": "hello\n", "gone": "x", "cache/a": "a", "cache/b": "b", "same": "s"})
	c, err := images.NewContainer(dir)
	if err != nil {
		t.Fatal(err)
	}
	before := tree(t, lower)
	script := "echo more >> motd; rm gone; rm -r cache; mkdir cache; echo c > cache/c; echo n > new"
	if err := images.RunTask("test-overlay-script", scriptArg{c.Overlay([]string{lower}), script}, nil, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
	want := []string{"cache dir opaque", "cache/c file c\n", "gone whiteout", "motd file hello\nmore\n", "new file n\n"}
	if diff := cmp.Diff(want, tree(t, c.Upper())); diff != "" {
		t.Errorf("upperdir (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, tree(t, lower)); diff != "" {
		t.Errorf("the lowerdir changed (-before +after):\n%s", diff)
	}
	changes, err := images.Changes(c.Upper(), []string{lower})
	if err != nil {
		t.Fatal(err)
	}
	wantChanges := []string{"C /cache", "A /cache/c", "D /gone", "C /motd", "A /new"}
	if diff := cmp.Diff(wantChanges, changeStrings(changes)); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
	// The commit turns overlay's marks into OCI whiteouts.
	var blob bytes.Buffer
	if _, err := images.WriteLayer(&blob, c.Upper()); err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"cache/", "cache/.wh..wh..opq", "cache/c", ".wh.gone", "motd", "new"}
	if diff := cmp.Diff(wantNames, tarNames(t, &blob)); diff != "" {
		t.Errorf("layer entries (-want +got):\n%s", diff)
	}
}

func changeStrings(cs []images.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

// busyboxImage imports chapter 1's userland; it returns the image and the
// userland it came from.
func busyboxImage(t *testing.T, s *images.Store) (*images.Image, string) {
	t.Helper()
	root := testutil.BusyboxRootfs(t)
	img, err := s.ImportDir(root, images.DefaultBase)
	if err != nil {
		t.Fatal(err)
	}
	return img, root
}

// run runs script in a container of img in c and returns its output.
func run(t *testing.T, s *images.Store, img *images.Image, c *images.Container, script string) string {
	t.Helper()
	var out bytes.Buffer
	code, err := s.Run(img, c, images.RunOptions{Args: []string{"sh", "-c", script}, Stdout: &out, Stderr: &out})
	if err != nil || code != 0 {
		t.Fatalf("sh -c %q: exit %d, %v\n%s", script, code, err, out.String())
	}
	return out.String()
}

// The whole cycle: run a container of busybox, change it, see the diff,
// commit it, run the new image and find the change (deletions included).
func TestRunCommitRun(t *testing.T) {
	testutil.RequireRoot(t)
	s := openStore(t)
	base, _ := busyboxImage(t, s)
	c, err := images.NewContainer(filepath.Join(t.TempDir(), "c1"))
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, base, c, "echo hi > /hello; rm /etc/hostname; rm -r /tmp; mkdir /tmp; touch /tmp/new")
	lowers, err := s.Unpack(base)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := images.Changes(c.Upper(), lowers)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"C /etc", "D /etc/hostname", "A /hello", "C /tmp", "A /tmp/new"}
	if diff := cmp.Diff(want, changeStrings(changes)); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
	hello, err := s.Commit(base, c.Upper(), "hello", "sh -c 'echo hi > /hello; ...'")
	if err != nil {
		t.Fatal(err)
	}
	imgChanges, err := s.ImageChanges(hello)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, changeStrings(imgChanges)); diff != "" {
		t.Errorf("ImageChanges (-want +got):\n%s", diff)
	}
	c2, err := images.NewContainer(filepath.Join(t.TempDir(), "c2"))
	if err != nil {
		t.Fatal(err)
	}
	got := run(t, s, hello, c2, "cat /hello; ls /tmp; test -e /etc/hostname || echo no hostname")
	if got != "hi\nnew\nno hostname\n" {
		t.Errorf("the committed image shows %q", got)
	}
	if code, err := s.Run(hello, c2, images.RunOptions{Args: []string{"sh", "-c", "exit 7"}}); code != 7 || err != nil {
		t.Errorf("exit 7 in a container: %d, %v", code, err)
	}
}

// Two containers of one image share its unpacked layer: one copy on disk,
// each container's changes in its own upperdir.
func TestContainersShareTheBase(t *testing.T) {
	testutil.RequireRoot(t)
	s := openStore(t)
	base, _ := busyboxImage(t, s)
	var inodes []string
	for _, name := range []string{"a", "b"} {
		c, err := images.NewContainer(filepath.Join(t.TempDir(), name))
		if err != nil {
			t.Fatal(err)
		}
		inodes = append(inodes, run(t, s, base, c, "echo "+name+" > /mine; stat -c %i /bin/busybox"))
		if got := tree(t, c.Upper()); !cmp.Equal(got, []string{"mine file " + name + "\n"}) {
			t.Errorf("container %s's upperdir: %v", name, got)
		}
	}
	entries, err := os.ReadDir(filepath.Join(s.Dir, "unpacked"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("unpacked/ holds %d layers, want the one busybox layer", len(entries))
	}
	fi, err := os.Stat(filepath.Join(s.UnpackedDir(base.Config.RootFS.DiffIDs[0]), "bin/busybox"))
	if err != nil {
		t.Fatal(err)
	}
	host := strings.TrimSpace(inodes[0])
	if inodes[0] != inodes[1] || host != strings.TrimSpace(fmtIno(fi)) {
		t.Errorf("/bin/busybox's inode: %q in a, %q in b, %s in the unpacked layer; want one file", inodes[0], inodes[1], fmtIno(fi))
	}
}
