package steps

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	images "github.com/minibox-dev/minibox/chapters/04-images"
	"github.com/minibox-dev/minibox/internal/workshop"
)

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
	copyLayout, err := corruptCopy(s, img, dir)
	if err != nil {
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

// corruptCopy exports img into the layout dir and flips one bit of its top
// layer there.
func corruptCopy(s *images.Store, img *images.Image, dir string) (*images.Layout, error) {
	if err := s.Export(img, dir, "hello"); err != nil {
		return nil, err
	}
	copyLayout, err := images.OpenLayout(dir)
	if err != nil {
		return nil, err
	}
	top := img.Manifest.Layers[len(img.Manifest.Layers)-1]
	blob := copyLayout.BlobPath(top.Digest)
	b, err := os.ReadFile(blob)
	if err != nil {
		return nil, err
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(blob, b, 0o644); err != nil {
		return nil, err
	}
	return copyLayout, nil
}
