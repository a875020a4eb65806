// Package steps holds the workshop's steps of chapter 4, layered images.
// Their text is in tutorial/04-images.md; package chapters lists them.
package steps

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

// Steps returns the chapter's steps, in order, made anew.
func Steps() []*workshop.Step {
	return []*workshop.Step{
		{ID: "images.overlay", Root: true, Run: runOverlayByHand,
			Check: "a write copied the file up, a deletion left a 0:0 whiteout, a remade directory is opaque; the lower directory is unchanged",
			Hint:  "overlay needs root and a kernel with overlayfs (modprobe overlay)"},
		{ID: "images.layers", Root: true, Run: runLayers,
			Check: "the store is an OCI layout; the layer's digest and diff ID are the sha256 of its bytes",
			Hint:  "the store is $MINIBOX_ROOT/workshop/images: remove it to start again"},
		{ID: "images.whiteouts", Root: true, Run: runWhiteouts,
			Check: "overlay's whiteouts became .wh. entries in the layer, and unpacking turned them back",
			Hint:  "see whiteout.go: a 0:0 character device is .wh.NAME; trusted.overlay.opaque=y is .wh..wh..opq"},
		{ID: "images.commit", Root: true, Run: runCommitStep,
			Check: "a container of the committed image sees the change",
			Hint:  "the commit is the container's upperdir, as a layer on top of busybox's"},
		{ID: "images.history", Root: true, Run: runHistoryStep,
			Check: "the history lists both layers, and the diff shows what the commit changed",
			Hint:  "history comes from the config; the diff from the top layer against the ones below"},
		{ID: "images.share", Root: true, Run: runShare,
			Check: "two containers run on one unpacked copy of the image",
			Hint:  "each layer is unpacked once, in unpacked/<diff_id>, and is every container's lowerdir"},
		{ID: "images.digest", Root: true, Run: runDigestStep,
			Check: "the digest names the image: a tag shares it, and a changed byte is caught",
			Hint:  "blobs are checked against their names whenever they are read"},
	}
}

// imageStore opens the workshop's image store, with busybox:latest in it.
func imageStore(e *workshop.Env) (*images.Store, *images.Image, error) {
	s, err := images.OpenStore(filepath.Join(e.Dir, "images"))
	if err != nil {
		return nil, nil, err
	}
	if img, err := s.Image(images.DefaultBase); err == nil {
		return s, img, nil
	}
	img, err := s.ImportBusybox()
	if err != nil {
		return nil, nil, err
	}
	e.Note("(imported the busybox userland as %s)", images.DefaultBase)
	return s, img, nil
}

// helloStore opens the store with hello:latest in it, made by step 4.4,
// making it if needed, so that every step can run on its own.
func helloStore(e *workshop.Env) (*images.Store, *images.Image, error) {
	s, base, err := imageStore(e)
	if err != nil {
		return nil, nil, err
	}
	img, err := helloImage(e, s, base)
	return s, img, err
}

func helloImage(e *workshop.Env, s *images.Store, base *images.Image) (*images.Image, error) {
	if img, err := s.Image("hello"); err == nil {
		return img, nil
	}
	c, err := freshContainer(e, "hello-build")
	if err != nil {
		return nil, err
	}
	if _, err := imageRun(e, s, base, c, helloScript); err != nil {
		return nil, err
	}
	e.Note("(committed hello:latest, as step 4.4 does)")
	return s.Commit(base, c.Upper(), "hello", "sh -c '"+helloScript+"'")
}

const helloScript = "echo hello from a layer > /hello; rm /etc/hostname"

// freshContainer makes an empty container directory under the workshop's.
func freshContainer(e *workshop.Env, name string) (*images.Container, error) {
	dir := filepath.Join(e.Dir, "containers", name)
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	return images.NewContainer(dir)
}

// imageRun runs sh -c script in a container of img, shown at a prompt.
func imageRun(e *workshop.Env, s *images.Store, img *images.Image, c *images.Container, script string) (string, error) {
	var out bytes.Buffer
	code, err := s.Run(img, c, images.RunOptions{Args: []string{"sh", "-c", script}, Stdout: &out, Stderr: &out})
	e.Shell(img.Name+"#", script, out.String())
	if err != nil {
		return "", err
	}
	if code != 0 {
		return "", fmt.Errorf("%q exited %d in a container of %s", script, code, img.Name)
	}
	return out.String(), nil
}

// The overlay of step 4.1 runs as a task, in a private mount namespace.
func init() { images.RegisterTask("workshop-overlay", overlayByHand) }

func runOverlayByHand(e *workshop.Env) error {
	dir := filepath.Join(e.Dir, "overlay")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	lower := filepath.Join(dir, "lower")
	for name, content := range map[string]string{"motd": "hello\n", "gone": "bye\n", "cache/old": "old\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(lower, name)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(lower, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	c, err := images.NewContainer(dir)
	if err != nil {
		return err
	}
	before := describeTree(lower)
	e.Say("lower (read-only): %s", strings.Join(before, ", "))
	o := c.Overlay([]string{lower})
	opts, err := o.Options()
	if err != nil {
		return err
	}
	e.Shell("ns#", "mount -t overlay overlay -o "+opts+" merged", "")
	if err := images.RunTask("workshop-overlay", o, nil, e.Out, e.Out); err != nil {
		return err
	}
	upper := describeTree(c.Upper())
	e.Say("after unmounting, upper holds: %s", strings.Join(upper, ", "))
	e.Say("and lower still holds:       %s", strings.Join(describeTree(lower), ", "))
	want := []string{"cache/ (opaque: trusted.overlay.opaque=y)", "cache/new", "gone (whiteout: character device 0:0)", "motd"}
	if strings.Join(upper, "|") != strings.Join(want, "|") {
		return fmt.Errorf("upper holds %v, want %v", upper, want)
	}
	if strings.Join(before, "|") != strings.Join(describeTree(lower), "|") {
		return errors.New("the lower directory changed")
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return err
	}
	if strings.Contains(string(mounts), o.Merged) {
		return errors.New("the overlay is in the host's mount table")
	}
	e.Say("the host's mount table never showed the overlay: it lived in a private mount namespace")
	return nil
}

// overlayByHand runs in the task: it mounts, changes and shows the overlay.
func overlayByHand(raw json.RawMessage) (int, error) {
	var o images.Overlay
	if err := json.Unmarshal(raw, &o); err != nil {
		return 0, err
	}
	if err := o.Mount(); err != nil {
		return 0, err
	}
	say := func(prompt, cmd string) { fmt.Printf("  %s %s\n", prompt, cmd) }
	say("ns#", "ls merged")
	fmt.Printf("  %s\n", strings.Join(describeTree(o.Merged), ", "))
	m := func(p string) string { return filepath.Join(o.Merged, p) }
	f, err := os.OpenFile(m("motd"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	_, err = f.WriteString("more\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	say("ns#", "echo more >> merged/motd        # write: copy-up")
	say("ns#", "rm merged/gone                  # delete: whiteout")
	say("ns#", "rm -r merged/cache; mkdir merged/cache; touch merged/cache/new   # opaque")
	if err == nil {
		err = os.Remove(m("gone"))
	}
	if err == nil {
		err = os.RemoveAll(m("cache"))
	}
	if err == nil {
		err = os.Mkdir(m("cache"), 0o755)
	}
	if err == nil {
		err = os.WriteFile(m("cache/new"), nil, 0o644)
	}
	if err != nil {
		return 0, err
	}
	say("ns#", "ls merged")
	fmt.Printf("  %s\n", strings.Join(describeTree(o.Merged), ", "))
	return 0, o.Unmount()
}

// describeTree lists a directory tree in one line per entry, saying what
// overlay's marks are.
func describeTree(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		switch {
		case fi.IsDir():
			line := rel + "/"
			buf := make([]byte, 4)
			if n, err := syscall.Getxattr(p, "trusted.overlay.opaque", buf); err == nil && string(buf[:n]) == "y" {
				line += " (opaque: trusted.overlay.opaque=y)"
			}
			out = append(out, line)
		case fi.Mode()&fs.ModeCharDevice != 0 && fi.Sys().(*syscall.Stat_t).Rdev == 0:
			out = append(out, rel+" (whiteout: character device 0:0)")
		default:
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func runLayers(e *workshop.Env) error {
	dir := filepath.Join(e.Dir, "images")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	s, img, err := imageStore(e)
	if err != nil {
		return err
	}
	names, err := workshop.DirNames(s.Dir)
	if err != nil {
		return err
	}
	e.Shell("host$", "ls "+s.Dir, strings.Join(names, " "))
	idx, err := os.ReadFile(filepath.Join(s.Dir, "index.json"))
	if err != nil {
		return err
	}
	e.Shell("host$", "cat index.json", string(idx))
	layer := img.Manifest.Layers[0]
	e.Say("manifest %s:", img.Digest)
	e.Say("  config %s", img.Manifest.Config.Digest)
	e.Say("  layer  %s  %s  %s", layer.Digest, images.HumanSize(layer.Size), layer.MediaType)
	e.Say("config: os %s, architecture %s, cmd %v", img.Config.OS, img.Config.Architecture, img.Config.Config.Cmd)
	e.Say("  rootfs.diff_ids: %s", img.Config.RootFS.DiffIDs[0])
	blob := s.BlobPath(layer.Digest)
	sum, err := exec.Command("sha256sum", blob).Output()
	if err != nil {
		return fmt.Errorf("sha256sum: %w", err)
	}
	e.Shell("host$", "sha256sum blobs/sha256/"+layer.Digest.Short()+"...", string(sum))
	unzipped, err := exec.Command("sh", "-c", "gzip -dc < "+blob+" | sha256sum").Output()
	if err != nil {
		return fmt.Errorf("gzip -dc | sha256sum: %w", err)
	}
	e.Shell("host$", "gzip -dc < blobs/sha256/"+layer.Digest.Short()+"... | sha256sum", string(unzipped))
	if !strings.HasPrefix(string(sum), layer.Digest.Hex()) {
		return fmt.Errorf("the layer blob hashes to %s, not its name %s", strings.Fields(string(sum))[0], layer.Digest.Hex())
	}
	if !strings.HasPrefix(string(unzipped), img.Config.RootFS.DiffIDs[0].Hex()) {
		return errors.New("the uncompressed layer does not hash to its diff ID")
	}
	return nil
}

func runWhiteouts(e *workshop.Env) error {
	s, base, err := imageStore(e)
	if err != nil {
		return err
	}
	c, err := freshContainer(e, "whiteouts")
	if err != nil {
		return err
	}
	if _, err := imageRun(e, s, base, c, "rm /etc/hostname; rm -r /tmp; mkdir /tmp; touch /tmp/new"); err != nil {
		return err
	}
	e.Say("the container's upperdir, overlay's way:")
	for _, l := range describeTree(c.Upper()) {
		e.Say("  %s", l)
	}
	var layer bytes.Buffer
	if _, err := images.WriteLayer(&layer, c.Upper()); err != nil {
		return err
	}
	names, err := layerNames(bytes.NewReader(layer.Bytes()))
	if err != nil {
		return err
	}
	e.Say("the same changes as a layer, OCI's way (tar -tz):")
	for _, n := range names {
		e.Say("  %s", n)
	}
	back := filepath.Join(e.Dir, "whiteouts-unpacked")
	if err := os.RemoveAll(back); err != nil {
		return err
	}
	if err := os.MkdirAll(back, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(back)
	if _, err := images.Extract(bytes.NewReader(layer.Bytes()), back, images.ExtractOptions{Whiteouts: images.OverlayWhiteouts}); err != nil {
		return err
	}
	e.Say("unpacked for overlay, overlay's way again:")
	unpacked := describeTree(back)
	for _, l := range unpacked {
		e.Say("  %s", l)
	}
	if got, want := strings.Join(names, " "), "etc/ etc/.wh.hostname tmp/ tmp/.wh..wh..opq tmp/new"; got != want {
		return fmt.Errorf("the layer holds %q, want %q", got, want)
	}
	if strings.Join(unpacked, "|") != strings.Join(describeTree(c.Upper()), "|") {
		return errors.New("unpacking the layer did not give back the upperdir")
	}
	return nil
}

// layerNames lists the entries of a gzip layer, as tar -tz does.
func layerNames(r io.Reader) ([]string, error) {
	cmd := exec.Command("tar", "-tz")
	cmd.Stdin = r
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tar -tz: %w", err)
	}
	return strings.Fields(string(out)), nil
}

func runCommitStep(e *workshop.Env) error {
	s, base, err := imageStore(e)
	if err != nil {
		return err
	}
	c, err := freshContainer(e, "hello-build")
	if err != nil {
		return err
	}
	if _, err := imageRun(e, s, base, c, helloScript); err != nil {
		return err
	}
	img, err := s.Commit(base, c.Upper(), "hello", "sh -c '"+helloScript+"'")
	if err != nil {
		return err
	}
	e.Shell("host$", "commit hello-build as hello", img.Digest.String())
	list, err := s.List()
	if err != nil {
		return err
	}
	e.Shell("host$", "list", images.FormatList(list))
	c2, err := freshContainer(e, "hello-run")
	if err != nil {
		return err
	}
	out, err := imageRun(e, s, img, c2, "cat /hello; test -e /etc/hostname || echo no /etc/hostname")
	if err != nil {
		return err
	}
	if out != "hello from a layer\nno /etc/hostname\n" {
		return fmt.Errorf("the new container printed %q, want the committed /hello", out)
	}
	return nil
}

func runHistoryStep(e *workshop.Env) error {
	s, img, err := helloStore(e)
	if err != nil {
		return err
	}
	hist, err := img.History()
	if err != nil {
		return err
	}
	e.Shell("host$", "history hello", images.FormatHistory(hist))
	changes, err := s.ImageChanges(img)
	if err != nil {
		return err
	}
	var lines []string
	for _, c := range changes {
		lines = append(lines, c.String())
	}
	e.Shell("host$", "diff hello", strings.Join(lines, "\n"))
	if len(hist) != 2 || hist[0].Layer != img.Manifest.Layers[1].Digest {
		return fmt.Errorf("the history has %d entries, want 2, the newest on hello's own layer", len(hist))
	}
	if got, want := strings.Join(lines, ","), "C /etc,D /etc/hostname,A /hello"; got != want {
		return fmt.Errorf("the diff is %q, want %q", got, want)
	}
	return nil
}

func runShare(e *workshop.Env) error {
	s, img, err := helloStore(e)
	if err != nil {
		return err
	}
	var inodes []string
	for _, name := range []string{"one", "two"} {
		c, err := freshContainer(e, name)
		if err != nil {
			return err
		}
		e.Say("container %s of hello:", name)
		out, err := imageRun(e, s, img, c, "echo "+name+" > /mine; stat -c 'busybox inode %i' /bin/busybox")
		if err != nil {
			return err
		}
		inodes = append(inodes, out)
		e.Say("  its upperdir: %s", strings.Join(describeTree(c.Upper()), ", "))
	}
	lowers, err := s.Unpack(img)
	if err != nil {
		return err
	}
	var layersSize int64
	for _, l := range lowers {
		layersSize += duBytes(l)
	}
	e.Say("hello's %d layers, unpacked once in %s: %s", len(lowers), filepath.Join(s.Dir, "unpacked"), images.HumanSize(layersSize))
	e.Say("two containers with full copies would take %s; these take %s for both upperdirs",
		images.HumanSize(2*layersSize), images.HumanSize(duBytes(filepath.Join(e.Dir, "containers", "one", "upper"))+duBytes(filepath.Join(e.Dir, "containers", "two", "upper"))))
	if inodes[0] != inodes[1] {
		return fmt.Errorf("the two containers see different busybox files: %q, %q", inodes[0], inodes[1])
	}
	return nil
}

// duBytes is what du counts: the blocks a tree uses, in bytes.
func duBytes(root string) int64 {
	var n int64
	seen := map[uint64]bool{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			st := fi.Sys().(*syscall.Stat_t)
			if !seen[st.Ino] {
				seen[st.Ino] = true
				n += st.Blocks * 512
			}
		}
		return nil
	})
	return n
}

func runDigestStep(e *workshop.Env) error {
	s, img, err := helloStore(e)
	if err != nil {
		return err
	}
	sum, err := exec.Command("sha256sum", s.BlobPath(img.Digest)).Output()
	if err != nil {
		return err
	}
	e.Shell("host$", "sha256sum blobs/sha256/"+img.Digest.Short()+"...   # hello's manifest", string(sum))
	if err := s.Tag("hello", "hello:v1"); err != nil {
		return err
	}
	list, err := s.List()
	if err != nil {
		return err
	}
	e.Shell("host$", "tag hello hello:v1; list", images.FormatList(list))
	tagged, err := s.Image("hello:v1")
	if err != nil {
		return err
	}
	// Corrupt a copy of hello's layer, in a layout of its own.
	dir := filepath.Join(e.Dir, "digest-copy")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := s.Export(img, dir, "hello"); err != nil {
		return err
	}
	copyLayout, err := images.OpenLayout(dir)
	if err != nil {
		return err
	}
	top := img.Manifest.Layers[len(img.Manifest.Layers)-1]
	blob := copyLayout.BlobPath(top.Digest)
	b, err := os.ReadFile(blob)
	if err != nil {
		return err
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(blob, b, 0o644); err != nil {
		return err
	}
	e.Say("in an exported copy, one bit of hello's top layer is flipped; reading it:")
	err = copyLayout.Export(img, filepath.Join(dir, "again"), "hello")
	msg := fmt.Sprint(err)
	e.Say("  %s", strings.ReplaceAll(msg, dir, "COPY"))
	if !strings.HasPrefix(string(sum), img.Digest.Hex()) {
		return errors.New("the manifest does not hash to the image's digest")
	}
	if tagged.Digest != img.Digest {
		return errors.New("the new tag names another image")
	}
	var mismatch *images.DigestMismatchError
	if !errors.As(err, &mismatch) {
		return fmt.Errorf("the corrupt layer was read without error (%v)", err)
	}
	return nil
}
