package images

import (
	"errors"
	"fmt"
	"os"
	"path"
	"strings"

	"golang.org/x/sys/unix"
)

// The danger in unpacking a tar is a path that leads out of the target: an
// entry "../../etc/cron.d/x", or an entry "lib" that is a symlink to /etc
// followed by an entry "lib/passwd" that writes through it. Checking the
// names is not enough; the *directories* on the way must be resolved inside
// the target, every time, as the kernel walks them.
//
// openat2(2) with RESOLVE_IN_ROOT does exactly that (Linux 5.6+): the dirfd
// is the root of the walk, ".." stops there, and a symlink, even an absolute
// one, is resolved as if the target were / (which is what it means inside
// the container). Older kernels get a walk one component at a time with
// O_NOFOLLOW, which refuses to go through a symlink at all.

// cleanName turns a tar entry's name into a path relative to the target.
// Absolute names lose their leading "/" (GNU tar does the same); a ".."
// component is refused: no honest layer needs one.
func cleanName(name string) (string, error) {
	trimmed := strings.TrimLeft(name, "/")
	for _, c := range strings.Split(trimmed, "/") {
		if c == ".." {
			return "", fmt.Errorf("entry %q: a \"..\" component would climb out of the target; the layer is malicious or broken", name)
		}
	}
	p := path.Clean(trimmed)
	if p == "." {
		return "", nil
	}
	return p, nil
}

// useOpenat2 is false once the kernel said it has no openat2; tests set it
// to exercise the fallback.
var useOpenat2 = true

// resolveFlags: stay under the root, and never through /proc magic links.
const resolveFlags = unix.RESOLVE_IN_ROOT | unix.RESOLVE_NO_MAGICLINKS

// openDirIn opens the directory rel (clean, relative; "" is root itself)
// inside the directory open as root, never leaving it. With create, missing
// directories are made (mode 0755), as tar does for entries whose parents
// the archive does not list.
func openDirIn(root int, rel string, create bool) (int, error) {
	fd, err := openIn(root, rel)
	if err == nil || !create || !errors.Is(err, unix.ENOENT) {
		return fd, err
	}
	// Make the missing part one directory at a time, each resolved afresh.
	fd, err = unix.Dup(root)
	if err != nil {
		return -1, err
	}
	for _, c := range strings.Split(rel, "/") {
		next, err := openIn(fd, c)
		if errors.Is(err, unix.ENOENT) {
			if err = unix.Mkdirat(fd, c, 0o755); err == nil || errors.Is(err, unix.EEXIST) {
				next, err = openIn(fd, c)
			}
		}
		unix.Close(fd)
		if err != nil {
			return -1, fmt.Errorf("make directory %s: %w", rel, err)
		}
		fd = next
	}
	return fd, nil
}

// openIn opens the directory rel under root, resolved inside root.
func openIn(root int, rel string) (int, error) {
	if rel == "" {
		rel = "."
	}
	if useOpenat2 {
		fd, err := unix.Openat2(root, rel, &unix.OpenHow{
			Flags:   unix.O_RDONLY | unix.O_DIRECTORY | unix.O_CLOEXEC,
			Resolve: resolveFlags,
		})
		if !errors.Is(err, unix.ENOSYS) {
			return fd, err
		}
		useOpenat2 = false
	}
	return openNoFollow(root, rel)
}

// openNoFollow is the fallback walk: one component at a time, refusing
// symlinks (ELOOP from O_NOFOLLOW).
func openNoFollow(root int, rel string) (int, error) {
	fd, err := unix.Dup(root)
	if err != nil {
		return -1, err
	}
	if rel == "." {
		return fd, nil
	}
	for _, c := range strings.Split(rel, "/") {
		next, err := unix.Openat(fd, c, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if errors.Is(err, unix.ELOOP) || errors.Is(err, unix.ENOTDIR) {
			var st unix.Stat_t
			if unix.Fstatat(fd, c, &st, unix.AT_SYMLINK_NOFOLLOW) == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
				err = fmt.Errorf("%s goes through the symlink %s: refused, as this kernel has no openat2 to resolve it inside the target: %w", rel, c, unix.ELOOP)
			}
		}
		unix.Close(fd)
		if err != nil {
			return -1, err
		}
		fd = next
	}
	return fd, nil
}

// WriteFileIn writes data to the file name (a path inside root, such as
// etc/hosts) under the directory root, as a container would see it:
// every directory of the path resolved inside root, made if missing. The
// data goes to a new file, owned by uid and gid (-1 keeps root's), which
// then takes the name's place by rename(2): whatever was there (a
// symlink, a FIFO that would block an open for writing) is replaced,
// never opened. A later chapter writes a container's /etc/hosts with it:
// through a path the image chose, a symlink to the host's /etc would
// otherwise make root write the host's file.
func WriteFileIn(root, name string, data []byte, perm os.FileMode, uid, gid int) error {
	rel, err := cleanName(name)
	if err != nil {
		return err
	}
	rootFD, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: root, Err: err}
	}
	defer unix.Close(rootFD)
	dir, file := path.Split(rel)
	dirFD, err := openDirIn(rootFD, strings.TrimSuffix(dir, "/"), true)
	if err != nil {
		return fmt.Errorf("%s in %s: %w", name, root, err)
	}
	defer unix.Close(dirFD)
	tmp := "." + file + ".minibox-new"
	unix.Unlinkat(dirFD, tmp, 0) // from a write that was killed
	fd, err := unix.Openat(dirFD, tmp, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, uint32(perm.Perm()))
	if err != nil {
		return fmt.Errorf("%s in %s: %w", name, root, err)
	}
	f := os.NewFile(uintptr(fd), name)
	_, err = f.Write(data)
	if err == nil && (uid >= 0 || gid >= 0) {
		err = f.Chown(uid, gid)
	}
	if err = errors.Join(err, f.Close()); err == nil {
		err = unix.Renameat(dirFD, tmp, dirFD, file)
	}
	if err != nil {
		unix.Unlinkat(dirFD, tmp, 0)
		return fmt.Errorf("%s in %s: %w", name, root, err)
	}
	return nil
}
