package images

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Removing an image removes its tag, nothing more: its blobs may be shared
// with other images (every image made from busybox has busybox's layer).
// Garbage collection then works like git's: mark every blob reachable from
// index.json (manifests, their configs, their layers) and every unpacked
// layer whose diff ID a reachable config lists; sweep the rest.

// GCResult says what a garbage collection removed.
type GCResult struct {
	Blobs    int   // blobs removed
	Bytes    int64 // their size
	Unpacked int   // unpacked layers removed
}

// Remove untags ref (a name; or a digest, which untags every name of that
// image), then collects the garbage.
func (s *Store) Remove(ref string) (GCResult, error) {
	unlock, err := s.lock()
	if err != nil {
		return GCResult{}, err
	}
	defer unlock()
	img, err := s.Image(ref)
	if err != nil {
		return GCResult{}, err
	}
	idx, err := s.ReadIndex()
	if err != nil {
		return GCResult{}, err
	}
	kept := idx.Manifests[:0]
	for _, m := range idx.Manifests {
		byName := img.Name != "" && m.Annotations[AnnotationRefName] == img.Name
		byDigest := img.Name == "" && m.Digest == img.Digest
		if !byName && !byDigest {
			kept = append(kept, m)
		}
	}
	idx.Manifests = kept
	if err := s.writeIndex(idx); err != nil {
		return GCResult{}, err
	}
	return s.gc()
}

// GC removes every blob and unpacked layer no image in the index needs.
func (s *Store) GC() (GCResult, error) {
	unlock, err := s.lock()
	if err != nil {
		return GCResult{}, err
	}
	defer unlock()
	return s.gc()
}

func (s *Store) gc() (GCResult, error) {
	var res GCResult
	blobs, diffIDs, err := s.reachable()
	if err != nil {
		return res, fmt.Errorf("garbage collection: %w (nothing was removed)", err)
	}
	blobDir := filepath.Join(s.Dir, "blobs", "sha256")
	entries, err := os.ReadDir(blobDir)
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		// Temporary files belong to a writer at work, or to a killed one:
		// they are the next writer's to reuse or the next GC's after a day.
		if blobs[e.Name()] || (strings.HasPrefix(e.Name(), ".tmp-") && !stale(e)) {
			continue
		}
		if fi, err := e.Info(); err == nil {
			res.Bytes += fi.Size()
		}
		if err := os.Remove(filepath.Join(blobDir, e.Name())); err != nil {
			return res, err
		}
		res.Blobs++
	}
	unpacked := filepath.Join(s.Dir, "unpacked")
	entries, err = os.ReadDir(unpacked)
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		diffID, _, _ := strings.Cut(e.Name(), ".") // a shifted copy's too
		if diffIDs[diffID] || (strings.HasPrefix(e.Name(), ".tmp-") && !stale(e)) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(unpacked, e.Name())); err != nil {
			return res, err
		}
		res.Unpacked++
	}
	return res, nil
}

// reachable marks what the index needs: blob hexes and diff ID hexes.
func (s *Store) reachable() (blobs, diffIDs map[string]bool, err error) {
	idx, err := s.ReadIndex()
	if err != nil {
		return nil, nil, err
	}
	blobs, diffIDs = map[string]bool{}, map[string]bool{}
	for _, m := range idx.Manifests {
		img, err := s.loadImage(m)
		if err != nil {
			return nil, nil, fmt.Errorf("image %s: %w", m.Annotations[AnnotationRefName], err)
		}
		blobs[img.Digest.Hex()] = true
		blobs[img.Manifest.Config.Digest.Hex()] = true
		for _, l := range img.Manifest.Layers {
			blobs[l.Digest.Hex()] = true
		}
		for _, d := range img.Config.RootFS.DiffIDs {
			diffIDs[d.Hex()] = true
		}
	}
	return blobs, diffIDs, nil
}

// stale reports whether a temporary file is a day old: left by a killed
// command, not in use.
func stale(e os.DirEntry) bool {
	fi, err := e.Info()
	return err == nil && time.Since(fi.ModTime()) > 24*time.Hour
}
