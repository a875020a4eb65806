package images

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// The extractor is Extract's state (extract.go): the open parent directory,
// what this layer made, and what is left to do at the end.

type extractor struct {
	root    int
	opts    ExtractOptions
	chown   bool
	res     *ExtractResult
	buf     []byte
	written map[string]bool // entries made by this layer (ApplyWhiteouts)
	pending []whiteout      // whiteouts to apply at the end (ApplyWhiteouts)
	dirs    []dirMeta       // directories' modes and times, set at the end

	// The parent directory of the last entry, kept open: a tar lists a
	// directory's files together. Forgotten whenever anything but a
	// regular file is made, or anything removed, since that may replace a
	// directory; stale keeps the fd open until the next lookup, for the
	// entry that is using it.
	cacheDir string
	cacheFd  int
	stale    bool
	holders  map[string]bool // directories holding what this layer made
}

type dirMeta struct {
	name  string
	mode  uint32
	mtime time.Time
}

func (x *extractor) uncache() {
	if x.cacheFd >= 0 {
		unix.Close(x.cacheFd)
	}
	x.cacheFd, x.cacheDir, x.stale = -1, "", false
}

// parent returns an open fd of the directory dir (resolved inside the
// root, made if missing). The extractor owns it.
func (x *extractor) parent(dir string) (int, error) {
	if x.cacheFd >= 0 && x.cacheDir == dir && !x.stale {
		return x.cacheFd, nil
	}
	x.uncache()
	fd, err := openDirIn(x.root, dir, true)
	if err != nil {
		return -1, err
	}
	x.cacheFd, x.cacheDir = fd, dir
	return fd, nil
}

func (x *extractor) skip(name, why string) {
	x.res.Skipped = append(x.res.Skipped, name+": "+why)
}

// create runs mk, which makes base in pfd; if something is already there
// (an earlier layer's file, or an earlier entry), it is removed first.
func (x *extractor) create(pfd int, base string, mk func() error) error {
	err := mk()
	if errors.Is(err, unix.EEXIST) {
		if err = x.clear(pfd, base); err == nil {
			err = mk()
		}
	}
	return err
}

// clear removes base from pfd, a whole tree if it is a directory. The
// removal works relative to pfd and never follows a symlink.
func (x *extractor) clear(pfd int, base string) error {
	x.stale = true
	err := unix.Unlinkat(pfd, base, 0)
	if errors.Is(err, unix.EISDIR) || errors.Is(err, unix.EPERM) {
		var fi unix.Stat_t
		if serr := unix.Fstatat(pfd, base, &fi, unix.AT_SYMLINK_NOFOLLOW); serr == nil && fi.Mode&unix.S_IFMT == unix.S_IFDIR {
			return os.RemoveAll(fmt.Sprintf("/proc/self/fd/%d/%s", pfd, base))
		}
	}
	if errors.Is(err, unix.ENOENT) {
		return nil
	}
	return err
}

// finish applies the pending whiteouts, then the directories' modes and
// times.
func (x *extractor) finish() error {
	x.uncache()
	for _, wo := range x.pending {
		if err := x.applyWhiteout(wo); err != nil {
			return err
		}
	}
	for i := len(x.dirs) - 1; i >= 0; i-- {
		d := x.dirs[i]
		dir, base := path.Split(d.name)
		pfd, err := openDirIn(x.root, strings.TrimSuffix(dir, "/"), false)
		if err != nil {
			return fmt.Errorf("set the mode of %s: %w", d.name, err)
		}
		fd, err := unix.Openat(pfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err == nil {
			err = unix.Fchmod(fd, d.mode)
			unix.Close(fd)
			if err == nil {
				err = setTimes(pfd, base, d.mtime)
			}
		} else if errors.Is(err, unix.ENOENT) || errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			err = nil // a later entry replaced or removed it
		}
		unix.Close(pfd)
		if err != nil {
			return fmt.Errorf("set the mode of %s: %w", d.name, err)
		}
	}
	return nil
}
