package images

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Extract's entries, one function per kind of tar entry.

func (x *extractor) entry(hdr *tar.Header, r io.Reader) error {
	name, err := cleanName(hdr.Name)
	if err != nil {
		return err
	}
	if hdr.Typeflag != tar.TypeReg {
		x.uncache()
	}
	if name == "" {
		if hdr.Typeflag == tar.TypeDir {
			return nil // the root itself: dir is given
		}
		return fmt.Errorf("an entry with no name")
	}
	if wo, ok, err := parseWhiteout(name); err != nil || ok {
		if err != nil {
			return err
		}
		return x.whiteout(wo)
	}
	dir, base := path.Split(name)
	pfd, err := x.parent(strings.TrimSuffix(dir, "/"))
	if err != nil {
		return err
	}
	x.written[name] = true
	return x.makeEntry(pfd, name, base, hdr, r)
}

// makeEntry makes the entry name, base in the directory pfd, as its type says.
func (x *extractor) makeEntry(pfd int, name, base string, hdr *tar.Header, r io.Reader) error {
	var err error
	switch hdr.Typeflag {
	case tar.TypeDir:
		return x.mkdir(pfd, name, base, hdr)
	case tar.TypeReg:
		return x.file(pfd, base, hdr, r)
	case tar.TypeSymlink:
		err = x.create(pfd, base, func() error { return unix.Symlinkat(hdr.Linkname, pfd, base) })
	case tar.TypeLink:
		err = x.hardlink(pfd, base, hdr.Linkname)
		if err == nil {
			return nil // a hard link shares its target's owner, mode and times
		}
	case tar.TypeChar, tar.TypeBlock:
		if !x.opts.Devices {
			x.skip(name, "a device node, and this extraction allows none")
			delete(x.written, name)
			return nil
		}
		err = x.device(pfd, base, hdr)
	case tar.TypeFifo:
		err = x.create(pfd, base, func() error { return unix.Mknodat(pfd, base, unix.S_IFIFO|uint32(hdr.Mode&0o7777), 0) })
	case tar.TypeXGlobalHeader:
		delete(x.written, name)
		return nil
	default:
		x.skip(name, fmt.Sprintf("tar entry type %q is not supported", hdr.Typeflag))
		delete(x.written, name)
		return nil
	}
	if err != nil {
		return err
	}
	return x.meta(pfd, base, hdr, hdr.Typeflag != tar.TypeSymlink)
}

// device makes the device node base in pfd, a character or block device.
func (x *extractor) device(pfd int, base string, hdr *tar.Header) error {
	mode := uint32(unix.S_IFCHR)
	if hdr.Typeflag == tar.TypeBlock {
		mode = unix.S_IFBLK
	}
	dev := int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor)))
	return x.create(pfd, base, func() error { return unix.Mknodat(pfd, base, mode|uint32(hdr.Mode&0o7777), dev) })
}

func (x *extractor) mkdir(pfd int, name, base string, hdr *tar.Header) error {
	err := unix.Mkdirat(pfd, base, 0o700)
	if errors.Is(err, unix.EEXIST) {
		var fi unix.Stat_t
		if err = unix.Fstatat(pfd, base, &fi, unix.AT_SYMLINK_NOFOLLOW); err == nil && fi.Mode&unix.S_IFMT != unix.S_IFDIR {
			if err = x.clear(pfd, base); err == nil {
				err = unix.Mkdirat(pfd, base, 0o700)
			}
		}
	}
	if err != nil {
		return err
	}
	if err := x.chownat(pfd, base, hdr); err != nil {
		return err
	}
	// Mode and times last: a read-only directory must still take its
	// files, and each file made in it changes its mtime.
	x.dirs = append(x.dirs, dirMeta{name: name, mode: uint32(hdr.Mode & 0o7777), mtime: hdr.ModTime})
	return nil
}

func (x *extractor) file(pfd int, base string, hdr *tar.Header, r io.Reader) error {
	flags := unix.O_WRONLY | unix.O_CREAT | unix.O_EXCL | unix.O_NOFOLLOW | unix.O_CLOEXEC
	var fd int
	err := x.create(pfd, base, func() (err error) {
		fd, err = unix.Openat(pfd, base, flags, 0o600)
		return err
	})
	if err != nil {
		return err
	}
	f := os.NewFile(uintptr(fd), base)
	_, err = io.CopyBuffer(struct{ io.Writer }{f}, r, x.buf)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// The mode after the owner: chown(2) clears a regular file's setuid
	// and setgid bits, which su or ping need.
	return x.meta(pfd, base, hdr, true)
}

// meta sets owner, times and, with chmod, the mode of base in pfd.
func (x *extractor) meta(pfd int, base string, hdr *tar.Header, chmod bool) error {
	if err := x.chownat(pfd, base, hdr); err != nil {
		return err
	}
	if chmod {
		// base is not a symlink (chmod is false for those), so fchmodat,
		// which follows one, is safe.
		if err := unix.Fchmodat(pfd, base, uint32(hdr.Mode&0o7777), 0); err != nil {
			return err
		}
	}
	return setTimes(pfd, base, hdr.ModTime)
}

// chownat gives base in pfd the entry's owner, shifted by the options'
// Shift, when running as root.
func (x *extractor) chownat(pfd int, base string, hdr *tar.Header) error {
	if !x.chown {
		return nil
	}
	uid, gid, err := x.opts.Shift.ToHost(hdr.Uid, hdr.Gid)
	if err != nil {
		return err
	}
	return unix.Fchownat(pfd, base, uid, gid, unix.AT_SYMLINK_NOFOLLOW)
}

func setTimes(pfd int, base string, mtime time.Time) error {
	ts := unix.NsecToTimespec(mtime.UnixNano())
	return unix.UtimesNanoAt(pfd, base, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}

// hardlink links base in pfd to target, a path inside the root. linkat
// without AT_SYMLINK_FOLLOW links a symlink itself, never what it points to.
func (x *extractor) hardlink(pfd int, base, linkname string) error {
	target, err := cleanName(linkname)
	if err != nil {
		return fmt.Errorf("hard link to %w", err)
	}
	if target == "" {
		return fmt.Errorf("hard link to the root directory")
	}
	tdir, tbase := path.Split(target)
	tfd, err := openDirIn(x.root, strings.TrimSuffix(tdir, "/"), false)
	if err != nil {
		return fmt.Errorf("hard link to %s: %w", linkname, err)
	}
	defer unix.Close(tfd)
	return x.create(pfd, base, func() error { return unix.Linkat(tfd, tbase, pfd, base, 0) })
}
