package workshop

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// errMount stops the walk of RemoveTree at the first mount point.
var errMount = errors.New("a mount point")

// RemoveTree removes dir like os.RemoveAll, but refuses when something is
// mounted on it or under it: RemoveAll would walk into the mount and delete
// what it shows, perhaps the host's own /dev after a learner's bind mount.
//
// It asks the kernel about each entry, statx(2) with STATX_ATTR_MOUNT_ROOT
// (Linux 5.8), in the mount namespace of the calling thread, before it
// removes anything.
func RemoveTree(dir string) error {
	var mount string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		var st unix.Statx_t
		if err := unix.Statx(unix.AT_FDCWD, path, unix.AT_SYMLINK_NOFOLLOW, 0, &st); err != nil {
			return &fs.PathError{Op: "statx", Path: path, Err: err}
		}
		if st.Attributes_mask&unix.STATX_ATTR_MOUNT_ROOT != 0 && st.Attributes&unix.STATX_ATTR_MOUNT_ROOT != 0 {
			mount = path
			return errMount
		}
		return nil
	})
	switch {
	case errors.Is(err, errMount):
		return fmt.Errorf("will not remove %s: %s is mounted there; unmount it first (sudo umount %s)", dir, mount, mount)
	case errors.Is(err, fs.ErrNotExist):
		return nil // as RemoveAll: nothing to remove
	case err != nil:
		return err
	}
	return os.RemoveAll(dir)
}
