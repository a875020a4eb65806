// Package steps holds the workshop's steps of chapter 4, layered images.
// Their text is in tutorial/04-images.md; package chapters lists them.
package steps

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
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
