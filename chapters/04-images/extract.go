package images

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Extract unpacks a layer (a tar, gzip-compressed or not) into dir, and
// never writes outside dir, whatever the layer says: see resolve.go. Every
// directory on the way to an entry is resolved inside dir; the entry itself
// is made with the *at syscalls relative to that directory, never through a
// symlink.

// WhiteoutMode says what Extract does with OCI whiteouts.
type WhiteoutMode int

const (
	// ApplyWhiteouts deletes what a whiteout names from dir: for unpacking
	// the layers of an image, one on top of the other, into one rootfs.
	ApplyWhiteouts WhiteoutMode = iota
	// OverlayWhiteouts turns whiteouts into overlayfs's marks (a 0:0
	// character device, the opaque xattr): for unpacking one layer on its
	// own, to be an overlay lowerdir. Needs root.
	OverlayWhiteouts
)

// ExtractOptions tune Extract.
type ExtractOptions struct {
	Whiteouts WhiteoutMode
	// Devices allows device nodes. Without it they are skipped: a layer
	// that carries /dev/sda would hand a container the host's disk.
	Devices bool
}

// ExtractResult says what Extract did.
type ExtractResult struct {
	Entries int      // tar entries read
	Skipped []string // entries not made, each with the reason
}

// Extract unpacks the tar stream r (plain or gzip) into dir, which must
// exist. Owners are set only when running as root.
func Extract(r io.Reader, dir string, opts ExtractOptions) (*ExtractResult, error) {
	return extract(r, dir, opts, io.Discard)
}

// extract is Extract that also writes the uncompressed tar to tee, for
// hashing (the layer's diff ID). It reads r to its end, so that a digest
// checked at end of file (verifyingReader) is checked.
func extract(r io.Reader, dir string, opts ExtractOptions, tee io.Writer) (*ExtractResult, error) {
	r, closeR, err := decompress(r, tee)
	if err != nil {
		return nil, err
	}
	defer closeR()
	root, err := unix.Open(dir, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("extract into %s: %w", dir, err)
	}
	defer unix.Close(root)
	x := &extractor{
		root: root, opts: opts, chown: os.Geteuid() == 0,
		res: &ExtractResult{}, cacheFd: -1, buf: make([]byte, 256<<10),
		written: map[string]bool{},
	}
	defer x.uncache()
	tr := tar.NewReader(r)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			// Past the tar's end marker: padding, and the end of the blob.
			if _, err := io.Copy(io.Discard, r); err != nil {
				return x.res, fmt.Errorf("extract into %s: read the layer: %w", dir, err)
			}
			break
		}
		if err != nil {
			return x.res, fmt.Errorf("extract into %s: read the tar: %w", dir, err)
		}
		x.res.Entries++
		if err := x.entry(hdr, tr); err != nil {
			return x.res, fmt.Errorf("extract %s into %s: %w", hdr.Name, dir, err)
		}
	}
	if err := x.finish(); err != nil {
		return x.res, fmt.Errorf("extract into %s: %w", dir, err)
	}
	return x.res, nil
}

// decompress sniffs gzip's magic number and undoes it if present. The
// decompression runs in its own goroutine, ahead of the file writes, as
// `tar -xzf` runs gzip in a process of its own.
func decompress(r io.Reader, tee io.Writer) (io.Reader, func(), error) {
	br := bufio.NewReaderSize(r, 1<<20)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, nil, fmt.Errorf("read the layer: %w", err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return io.TeeReader(br, tee), func() {}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, fmt.Errorf("read the layer's gzip header: %w", err)
	}
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 1<<20)
		_, err := io.Copy(io.MultiWriter(bw, tee), zr)
		if err == nil {
			err = bw.Flush()
		}
		pw.CloseWithError(err)
	}()
	return bufio.NewReaderSize(pr, 1<<20), func() { pr.Close() }, nil
}

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
		mode := uint32(unix.S_IFCHR)
		if hdr.Typeflag == tar.TypeBlock {
			mode = unix.S_IFBLK
		}
		dev := int(unix.Mkdev(uint32(hdr.Devmajor), uint32(hdr.Devminor)))
		err = x.create(pfd, base, func() error { return unix.Mknodat(pfd, base, mode|uint32(hdr.Mode&0o7777), dev) })
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
	if x.chown {
		if err := unix.Fchownat(pfd, base, hdr.Uid, hdr.Gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
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
	if err == nil {
		err = unix.Fchmod(fd, uint32(hdr.Mode&0o7777))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return x.meta(pfd, base, hdr, false)
}

// meta sets owner, times and, with chmod, the mode of base in pfd.
func (x *extractor) meta(pfd int, base string, hdr *tar.Header, chmod bool) error {
	if x.chown {
		if err := unix.Fchownat(pfd, base, hdr.Uid, hdr.Gid, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return err
		}
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
		return markOpaque(fd, "/"+wo.Dir)
	}
	pfd, err := x.parent(wo.Dir)
	if err != nil {
		return err
	}
	return x.create(pfd, wo.Target, func() error { return makeOverlayWhiteout(pfd, wo.Target) })
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
