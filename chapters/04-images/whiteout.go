package images

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// A layer records deletions too. A tar cannot hold "nothing", so OCI layers
// mark a deleted path NAME with an empty file .wh.NAME beside it, and a
// directory whose old content is all gone (deleted, then made again) with
// an empty file .wh..wh..opq inside it: an "opaque" directory.
//
// overlayfs marks the same two things its own way in its upper directory: a
// deleted file is a character device with device number 0:0, and an opaque
// directory has the extended attribute trusted.overlay.opaque="y". This file
// converts between the two: commit turns overlay's marks into OCI's, and
// unpacking a layer for overlay turns OCI's back into overlay's.

const (
	// WhiteoutPrefix starts the name of an OCI whiteout file.
	WhiteoutPrefix = ".wh."
	// OpaqueWhiteout is the name of the OCI opaque-directory marker.
	OpaqueWhiteout = ".wh..wh..opq"
	// overlayOpaqueXattr marks an opaque directory in overlayfs.
	overlayOpaqueXattr = "trusted.overlay.opaque"
)

// whiteout is what an OCI whiteout entry means.
type whiteout struct {
	Dir    string // the directory it is in, relative to the layer's root
	Target string // the name it deletes, or "" for an opaque marker
}

// parseWhiteout reports whether the entry at name (clean, relative) is an
// OCI whiteout, and what it deletes. A whiteout that names something other
// than a plain name in its own directory (".wh..", ".wh.") is an error: it
// would point outside its directory.
func parseWhiteout(name string) (w whiteout, ok bool, err error) {
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if !strings.HasPrefix(base, WhiteoutPrefix) {
		return whiteout{}, false, nil
	}
	if base == OpaqueWhiteout {
		return whiteout{Dir: dir}, true, nil
	}
	target := strings.TrimPrefix(base, WhiteoutPrefix)
	if target == "" || target == "." || target == ".." || strings.HasPrefix(target, WhiteoutPrefix) {
		return whiteout{}, false, fmt.Errorf("whiteout %q names no file in its directory", name)
	}
	return whiteout{Dir: dir, Target: target}, true, nil
}

// whiteoutName returns the OCI whiteout entry that deletes name.
func whiteoutName(name string) string {
	dir, base := path.Split(name)
	return dir + WhiteoutPrefix + base
}

// opaqueName returns the OCI entry that marks the directory dir opaque.
func opaqueName(dir string) string { return dir + "/" + OpaqueWhiteout }

// ociWhiteout returns the OCI entry that stands for overlayfs's mark at p,
// named rel in the layer (fi is p's lstat): .wh.NAME beside a deleted
// file, .wh..wh..opq inside an opaque directory, or "" for anything that
// is no mark. A commit writes it in the mark's place.
//
//workshop:exercise img.commit-whiteouts
func ociWhiteout(p, rel string, fi fs.FileInfo) (string, error) {
	if isOverlayWhiteout(fi) {
		return whiteoutName(rel), nil
	}
	if !fi.IsDir() {
		return "", nil
	}
	opaque, err := isOpaqueDir(p)
	if err != nil || !opaque {
		return "", err
	}
	return opaqueName(rel), nil
}

// isOverlayWhiteout reports whether fi is overlayfs's mark of a deleted
// file: a character device 0:0.
func isOverlayWhiteout(fi fs.FileInfo) bool {
	if fi.Mode()&fs.ModeCharDevice == 0 {
		return false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	return st.Rdev == 0
}

// isOpaqueDir reports whether overlayfs marked the directory at p opaque.
func isOpaqueDir(p string) (bool, error) {
	buf := make([]byte, 8)
	n, err := unix.Lgetxattr(p, overlayOpaqueXattr, buf)
	if errors.Is(err, unix.ENODATA) || errors.Is(err, unix.ENOTSUP) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read %s of %s: %w", overlayOpaqueXattr, p, err)
	}
	return string(buf[:n]) == "y", nil
}

// makeOverlayMark makes overlayfs's mark for the OCI whiteout wo in its
// directory, open as dirfd, for a layer unpacked to be a lowerdir: a 0:0
// character device in place of the name it deletes, or the opaque xattr
// on the directory itself. Only root may make either (mknod of a device, a
// trusted.* attribute).
//
//workshop:exercise img.unpack-whiteouts
func makeOverlayMark(dirfd int, wo whiteout) error {
	if wo.Target == "" {
		if err := unix.Fsetxattr(dirfd, overlayOpaqueXattr, []byte("y"), 0); err != nil {
			return fmt.Errorf("mark /%s opaque (%s): %w (trusted.* attributes need root)", wo.Dir, overlayOpaqueXattr, err)
		}
		return nil
	}
	if err := unix.Mknodat(dirfd, wo.Target, unix.S_IFCHR, 0); err != nil {
		if errors.Is(err, unix.EPERM) && unix.Geteuid() != 0 {
			return fmt.Errorf("make the overlay whiteout %s: %w (a 0:0 character device: only root may make one)", wo.Target, err)
		}
		return fmt.Errorf("make the overlay whiteout %s: %w", wo.Target, err)
	}
	return nil
}
