package images

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"

	"golang.org/x/sys/unix"
)

// A container's upper directory is the container's to change, also while
// minibox reads it for commit or diff. A walk by path can be fooled: the
// walker looks at upper/etc and sees a directory, the container swaps it
// for a symlink to the host's /etc, and the walker, reading upper/etc/...,
// reads the host's files into the layer. (The kernel resolves every
// component of a path afresh at each call.)
//
// walkNoFollow holds each directory open while it reads it, and reaches
// each entry through that descriptor, by one name: /proc/self/fd/N/NAME,
// where N is the directory's descriptor. A directory is opened with
// O_NOFOLLOW|O_DIRECTORY from its parent's descriptor: had it become a
// symlink, the open fails (ELOOP or ENOTDIR) rather than follow it. So no
// symlink is followed, whatever the container does meanwhile; and minibox
// freezes a running container while it commits, so that it does nothing.

// walkFunc gets each file: p, a path to it that follows no symlink (for
// Lstat, Lgetxattr, Readlink, and os.OpenFile with O_NOFOLLOW); rel, its
// path under the root; fi, what Lstat said.
type walkFunc func(p, rel string, fi fs.FileInfo) error

// walkNoFollow calls fn for every file under root, in name order, each
// directory before what it holds, as filepath.WalkDir does.
func walkNoFollow(root string, fn walkFunc) error {
	fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(fd)
	return walkDirFD(fd, "", fn)
}

// walkDirFD walks the directory open as dirfd, whose path under the root
// is rel.
func walkDirFD(dirfd int, rel string, fn walkFunc) error {
	names, err := dirNames(dirfd)
	if err != nil {
		return fmt.Errorf("read %s/: %w", rel, err)
	}
	for _, name := range names {
		p := fmt.Sprintf("/proc/self/fd/%d/%s", dirfd, name)
		r := path.Join(rel, name)
		fi, err := os.Lstat(p)
		if err != nil {
			return fmt.Errorf("%s: %w", r, err)
		}
		if err := fn(p, r, fi); err != nil {
			return err
		}
		if !fi.IsDir() {
			continue
		}
		child, err := unix.Openat(dirfd, name, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return fmt.Errorf("%s changed while it was read (%w): stop what changes it, and try again", r, err)
		}
		err = walkDirFD(child, r, fn)
		unix.Close(child)
		if err != nil {
			return err
		}
	}
	return nil
}

// dirNames lists the directory open as dirfd, sorted. It reads through a
// copy of the descriptor, which os.File closes.
func dirNames(dirfd int) ([]string, error) {
	dup, err := unix.FcntlInt(uintptr(dirfd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	f := os.NewFile(uintptr(dup), "")
	defer f.Close()
	names, err := f.Readdirnames(-1)
	slices.Sort(names)
	return names, err
}
