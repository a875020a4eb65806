package images

import (
	"errors"
	"os"
	"path"

	"golang.org/x/sys/unix"
)

// Extract's whiteouts (see whiteout.go): overlay's marks made, or what they
// name deleted from the layers below.

// whiteout handles an OCI whiteout entry.
func (x *extractor) whiteout(wo whiteout) error {
	if x.opts.Whiteouts == ApplyWhiteouts {
		x.pending = append(x.pending, wo) // at the end: they hide lower layers only
		return nil
	}
	if wo.Target == "" {
		fd, err := openDirIn(x.root, wo.Dir, true)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return makeOverlayMark(fd, wo)
	}
	pfd, err := x.parent(wo.Dir)
	if err != nil {
		return err
	}
	return x.create(pfd, wo.Target, func() error { return makeOverlayMark(pfd, wo) })
}

// applyWhiteout deletes what wo names, unless this same layer made it: a
// whiteout hides only what is below it.
func (x *extractor) applyWhiteout(wo whiteout) error {
	pfd, err := openDirIn(x.root, wo.Dir, false)
	if errors.Is(err, unix.ENOENT) {
		return nil // nothing there to delete
	}
	if err != nil {
		return err
	}
	defer unix.Close(pfd)
	if wo.Target != "" {
		if x.written[path.Join(wo.Dir, wo.Target)] {
			return nil
		}
		return x.clear(pfd, wo.Target)
	}
	return x.clearOpaque(pfd, wo.Dir)
}

// clearOpaque removes from the directory dir (open as fd) everything this
// layer did not make.
func (x *extractor) clearOpaque(fd int, dir string) error {
	dupFd, err := unix.Dup(fd)
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(dupFd), dir)
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return err
	}
	for _, n := range names {
		p := path.Join(dir, n)
		switch {
		case x.written[p] || x.holdsWritten(p):
			var fi unix.Stat_t
			if err := unix.Fstatat(fd, n, &fi, unix.AT_SYMLINK_NOFOLLOW); err != nil {
				return err
			}
			if fi.Mode&unix.S_IFMT != unix.S_IFDIR {
				continue
			}
			sub, err := unix.Openat(fd, n, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
			if err != nil {
				return err
			}
			err = x.clearOpaque(sub, p)
			unix.Close(sub)
			if err != nil {
				return err
			}
		default:
			if err := x.clear(fd, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// holdsWritten reports whether this layer made anything below dir.
func (x *extractor) holdsWritten(dir string) bool {
	if x.holders == nil {
		x.holders = map[string]bool{}
		for p := range x.written {
			for d := path.Dir(p); d != "."; d = path.Dir(d) {
				x.holders[d] = true
			}
		}
	}
	return x.holders[dir]
}
