package images

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// A container runs on its image's layers stacked by overlayfs, one lowerdir
// per layer. A layer is unpacked once, into unpacked/<diff_id>, and every
// container of every image that has that layer shares the directory: ten
// containers of busybox cost one busybox on disk.

// Unpack unpacks each layer of img that is not unpacked yet and returns the
// layers' directories, bottom first. Each layer is checked twice on the
// way: its blob against its digest, its tar against its diff ID. With a
// shift, the layers are the copies for a user namespace (idshift.go).
//
//workshop:exercise img.share
func (s *Store) Unpack(img *Image, shift ...IDShift) ([]string, error) {
	var dirs []string
	for i, desc := range img.Manifest.Layers {
		diffID := img.Config.RootFS.DiffIDs[i]
		dir := s.UnpackedDir(diffID, shift...)
		if _, err := os.Stat(dir); err != nil {
			if err := s.unpackLayer(desc, diffID, dir, shift...); err != nil {
				return nil, err
			}
		}
		dirs = append(dirs, dir)
	}
	return dirs, nil
}

// unpackLayer extracts a layer into a temporary directory beside dir, then
// renames it: a layer is either all there or not there at all, even if
// minibox is killed half way, and two commands unpacking the same layer at
// once both end well.
func (s *Store) unpackLayer(desc Descriptor, diffID Digest, dir string, shift ...IDShift) error {
	opts := ExtractOptions{Whiteouts: OverlayWhiteouts, Shift: oneShift(shift)}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".tmp-"+diffID.Short()+"-")
	if err != nil {
		return fmt.Errorf("unpack layer %s: %w", desc.Digest, err)
	}
	defer os.RemoveAll(tmp) // after the rename, a no-op
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	// The layer's root, which a tar need not list, is the container's
	// root's: in a user namespace, its root's host uid.
	if !opts.Shift.IsZero() {
		if err := os.Lchown(tmp, opts.Shift.UID, opts.Shift.GID); err != nil {
			return fmt.Errorf("unpack layer %s: %w", desc.Digest, err)
		}
	}
	blob, err := s.OpenBlob(desc)
	if err != nil {
		return err
	}
	defer blob.Close()
	tee := newDigester()
	if _, err := extract(blob, tmp, opts, tee); err != nil {
		return fmt.Errorf("unpack layer %s: %w", desc.Digest, err)
	}
	if got := tee.Digest(); got != diffID {
		return &DigestMismatchError{What: fmt.Sprintf("layer %s (unpacked)", s.BlobPath(desc.Digest)), Want: diffID, Got: got}
	}
	err = os.Rename(tmp, dir)
	if errors.Is(err, os.ErrExist) || errors.Is(err, unix.ENOTEMPTY) {
		return nil // unpacked meanwhile by another command
	}
	return err
}
