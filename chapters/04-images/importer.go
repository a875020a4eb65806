package images

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	chroot "github.com/minibox-dev/minibox/chapters/01-chroot"
)

// A base image is a whole userland in one layer: chapter 1's busybox
// userland by default, or any directory or tarball of a root filesystem.
// Every image the learner makes starts from one.

// DefaultBase is the tag of the busybox base image.
const DefaultBase = "busybox:latest"

// ImportDir stores the tree at dir as a one-layer base image tagged ref.
func (s *Store) ImportDir(dir, ref string) (*Image, error) {
	return s.importDir(dir, ref, "minibox import "+dir)
}

func (s *Store) importDir(dir, ref, createdBy string) (*Image, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	layer, err := s.putLayer(dir)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", dir, err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	cfg := newConfig(now)
	cfg.RootFS.DiffIDs = []Digest{layer.DiffID}
	cfg.History = []HistoryItem{{Created: &now, CreatedBy: createdBy}}
	return s.addImage(ref, cfg, []Descriptor{layer.Descriptor()})
}

// ImportTar stores a tarball of a root filesystem (plain or gzip) as a base
// image. The tarball is unpacked first, by the safe extractor, so that the
// layer stored is a clean one whatever the tarball held.
func (s *Store) ImportTar(r io.Reader, ref, source string) (*Image, error) {
	dir, err := os.MkdirTemp(s.Dir, ".tmp-import-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if _, err := Extract(r, dir, ExtractOptions{}); err != nil {
		return nil, fmt.Errorf("import %s: %w", source, err)
	}
	return s.importDir(dir, ref, "minibox import "+source)
}

// ImportBusybox builds chapter 1's busybox userland from the host's static
// busybox and stores it as the base image busybox:latest.
func (s *Store) ImportBusybox() (*Image, error) {
	bb, err := chroot.FindBusybox()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(s.Dir, ".tmp-busybox-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "rootfs")
	if _, err := chroot.BuildUserland(dir, bb); err != nil {
		return nil, err
	}
	return s.importDir(dir, DefaultBase, "minibox import busybox ("+bb+")")
}
