package images

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
)

// What a container changed is exactly its upperdir, read the way overlay
// reads it: a whiteout is a deletion (D); anything else is a change (C) if
// a lower layer has the same path, or an addition (A) if none does. A
// directory holding a change is itself changed, as `docker diff` shows it.
// An unpacked layer is read the same way against the layers below it.

// Change is one line of a diff.
type Change struct {
	Kind byte   // 'A' added, 'C' changed, 'D' deleted
	Path string // absolute, as the container sees it
}

func (c Change) String() string { return string(c.Kind) + " " + c.Path }

// Changes lists what upper changes in the stack of lowers (bottom first).
func Changes(upper string, lowers []string) ([]Change, error) {
	var out []Change
	err := walkNoFollow(upper, func(_, rel string, fi fs.FileInfo) error {
		name := "/" + filepath.ToSlash(rel)
		inLower, err := lowerHas(lowers, rel)
		if err != nil {
			return err
		}
		switch {
		case isOverlayWhiteout(fi):
			if inLower {
				out = append(out, Change{'D', name})
			}
		case inLower:
			out = append(out, Change{'C', name})
		default:
			out = append(out, Change{'A', name})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("diff %s: %w", upper, err)
	}
	return out, nil
}

// lowerHas reports whether the merged lowers show a file at rel: the top
// layer that has rel decides, unless a whiteout there or an opaque
// directory on the way hides it.
func lowerHas(lowers []string, rel string) (bool, error) {
	for i := len(lowers) - 1; i >= 0; i-- {
		fi, err := os.Lstat(filepath.Join(lowers[i], rel))
		if err == nil {
			return !isOverlayWhiteout(fi), nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrInvalid) {
			return false, err
		}
		hidden, err := opaqueOnPath(lowers[i], rel)
		if err != nil || hidden {
			return false, err
		}
	}
	return false, nil
}

// opaqueOnPath reports whether a directory on the way to rel in layer is
// opaque, or deleted, hiding the layers below.
func opaqueOnPath(layer, rel string) (bool, error) {
	for d := path.Dir(filepath.ToSlash(rel)); d != "."; d = path.Dir(d) {
		p := filepath.Join(layer, d)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return false, err
		}
		if isOverlayWhiteout(fi) {
			return true, nil
		}
		if fi.IsDir() {
			if opaque, err := isOpaqueDir(p); err != nil || opaque {
				return opaque, err
			}
		}
	}
	return false, nil
}

// ImageChanges lists what the top layer of img changes in the layers below
// it: what its last commit did. The layers are unpacked if they are not.
func (s *Store) ImageChanges(img *Image) ([]Change, error) {
	dirs, err := s.Unpack(img)
	if err != nil {
		return nil, err
	}
	if len(dirs) == 0 {
		return nil, nil
	}
	return Changes(dirs[len(dirs)-1], dirs[:len(dirs)-1])
}
