package images

import (
	"fmt"
	"io"
	"time"
)

// A commit turns a container's upperdir (exactly what it changed, with
// overlay's marks for what it deleted) into a layer, and adds an image: the
// base's layers plus the new one, the base's config plus the layer's diff
// ID and a line of history. Nothing of the base is copied: the new manifest
// names the same layer blobs, like a git commit names its parent's trees.

// Commit stores the directory upper as a new layer on top of the image
// base, and tags the result ref. createdBy is the history's "command that
// made it". With a shift, upper is a user namespace's (idshift.go).
//
//workshop:exercise img.commit
func (s *Store) Commit(base *Image, upper, ref, createdBy string, shift ...IDShift) (*Image, error) {
	unlock, err := s.lock()
	if err != nil {
		return nil, err
	}
	defer unlock()
	layer, err := s.putLayer(upper, shift...)
	if err != nil {
		return nil, fmt.Errorf("commit %s: %w", upper, err)
	}
	cfg := base.Config
	now := time.Now().UTC().Truncate(time.Second)
	cfg.Created = &now
	cfg.RootFS.DiffIDs = append(append([]Digest{}, base.Config.RootFS.DiffIDs...), layer.DiffID)
	cfg.History = append(append([]HistoryItem{}, base.Config.History...), HistoryItem{Created: &now, CreatedBy: createdBy})
	layers := append(append([]Descriptor{}, base.Manifest.Layers...), layer.Descriptor())
	return s.addImage(ref, cfg, layers)
}

// putLayer writes the tree at dir as a layer blob.
func (s *Store) putLayer(dir string, shift ...IDShift) (Layer, error) {
	var layer Layer
	_, _, err := s.PutBlob(func(w io.Writer) error {
		var err error
		layer, err = WriteLayer(w, dir, shift...)
		return err
	})
	return layer, err
}
